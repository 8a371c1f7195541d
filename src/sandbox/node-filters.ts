// cluster.routing.allocation.{require,include,exclude}.* matching, with the semantics of ES's DiscoveryNodeFilters.
import type { EsNode } from './model.js';
import { simpleMatch, tokens } from './patterns.js';
import type { FlatSettings } from './settings.js';

export type FilterOp = 'AND' | 'OR';

export interface NodeFilters {
  op: FilterOp; // require: AND, include/exclude: OR
  entries: [attribute: string, values: string[]][];
}

/** `group` maps attribute (e.g. `_name`) to a comma-separated value; empty values are ignored, as in ES. */
export function buildFilters(op: FilterOp, group: FlatSettings): NodeFilters | undefined {
  const entries = Object.entries(group)
    .map(([attr, v]): [string, string[]] => [attr, tokens(v)])
    .filter(([, values]) => values.length > 0);
  return entries.length > 0 ? { op, entries } : undefined;
}

const IP_ATTRIBUTES = new Set(['_ip', '_host_ip', '_publish_ip']);

/** undefined when the node has no such attribute. In the sandbox a node's host name and address are its IP. */
function valueMatches(attr: string, pattern: string, node: EsNode): boolean | undefined {
  if (IP_ATTRIBUTES.has(attr) || attr === '_host') return simpleMatch(pattern, node.ip);
  if (attr === '_id') return pattern === node.id;
  if (attr === '_name' || attr === 'name') return simpleMatch(pattern, node.name);
  const value = node.attributes[attr];
  return value === undefined ? undefined : simpleMatch(pattern, value);
}

export function matchesNode(filters: NodeFilters, node: EsNode): boolean {
  for (const [attr, values] of filters.entries) {
    const results = values.map((v) => valueMatches(attr, v, node));
    if (filters.op === 'OR') {
      if (results.includes(true)) return true;
    } else {
      // AND: an IP entry needs one matching value, any other entry needs all of them
      const ok = IP_ATTRIBUTES.has(attr) ? results.includes(true) : results.every((r) => r === true);
      if (!ok) return false;
    }
  }
  return filters.op === 'AND';
}

/** DiscoveryNodeFilters#toString, e.g. `_name:"es-data-6 OR es-data-7",zone:"eu-central-1a"`. */
export function describeFilters(filters: NodeFilters): string {
  return filters.entries.map(([attr, values]) => `${attr}:"${values.join(` ${filters.op} `)}"`).join(',');
}
