// Allocation awareness as Elasticsearch applies it: at most ceil(copies / values) copies of a shard per value of
// each awareness attribute, the values being those of every data node (excluded ones too) plus forced values.
import { isDataNode, listSetting, type NodeFacts } from './facts.js';

const ATTRIBUTES = 'cluster.routing.allocation.awareness.attributes';
const forcedKey = (attribute: string): string => `cluster.routing.allocation.awareness.force.${attribute}.values`;

export interface Awareness {
  attributes: string[];
  /** Number of values of each attribute (data nodes' plus forced). */
  valueCount: Map<string, number>;
}

export function awareness(settings: Record<string, string>, nodes: readonly NodeFacts[]): Awareness {
  const attributes = listSetting(settings[ATTRIBUTES]);
  const valueCount = new Map<string, number>();
  for (const attribute of attributes) {
    const values = new Set(nodes.filter(isDataNode).flatMap((n) => (n.attributes[attribute] === undefined ? [] : [n.attributes[attribute]!])));
    for (const forced of listSetting(settings[forcedKey(attribute)])) values.add(forced);
    valueCount.set(attribute, values.size);
  }
  return { attributes, valueCount };
}

/**
 * Why awareness refuses another copy of a shard with `copies` copies on `target`, given the nodes holding the
 * other copies (the moving one excluded), or undefined.
 */
export function awarenessRefusal(a: Awareness, copies: number, holders: readonly NodeFacts[], target: NodeFacts): string | undefined {
  for (const attribute of a.attributes) {
    const value = target.attributes[attribute];
    if (value === undefined) return `${target.name} has no awareness attribute ${attribute}`;
    const max = Math.ceil(copies / a.valueCount.get(attribute)!);
    const count = holders.filter((h) => h.attributes[attribute] === value).length + 1;
    if (count > max) return `awareness allows ${max} of the ${copies} copies in ${attribute} ${value}`;
  }
  return undefined;
}
