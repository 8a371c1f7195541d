// Predicts, before anything is excluded, whether Elasticsearch's allocation awareness will let a
// node drain (F1). The rule follows Elasticsearch's awareness decider: for each awareness
// attribute, a shard may have at most ceil(copies / number of attribute values) copies per value,
// where the values are those of every data node in the cluster plus any forced values. Only
// data nodes count, as values and as destinations (a dedicated master holds no shards).
import { isDataNode, type HasRoles } from './node-roles.js';

export interface NodeView extends HasRoles {
  name: string;
  ip: string;
  attributes: Record<string, string>;
}

/** At most this many blocked copies are listed in a result (its summary counts them all). */
export const MAX_LISTED_BLOCKED_SHARDS = 10;

export interface ShardCopy {
  index: string;
  shard: number;
  primary: boolean;
  node: string;
  /** 1 + number_of_replicas of the index. */
  copies: number;
}

export interface AwarenessSettings {
  attributes: string[];
  forcedValues: Record<string, string[]>;
}

export interface BlockedShard {
  index: string;
  shard: number;
  primary: boolean;
  reason: string;
}

export type PreflightVerdict = 'ok' | 'empties-zone' | 'blocked';

export interface PreflightResult {
  node: string;
  verdict: PreflightVerdict;
  /** Awareness values left without any allocatable node once this node is drained. */
  emptiedZones: { attribute: string; value: string }[];
  /** The first MAX_LISTED_BLOCKED_SHARDS blocked copies; blockedCount has them all. */
  blockedShards: BlockedShard[];
  blockedCount: number;
  summary: string;
}

export interface PreflightInput {
  node: string;
  nodes: NodeView[];
  shards: ShardCopy[];
  awareness: AwarenessSettings;
  /** Nodes already excluded from allocation (they take no shards). */
  excludedNodes: string[];
}

export function preflightDrain(input: PreflightInput): PreflightResult {
  const placement = new ShardPlacement(input);
  const emptiedZones = placement.emptiedZones();
  const blockedShards: BlockedShard[] = [];
  for (const copy of placement.copiesOn(input.node)) {
    const options = placement.destinations(copy);
    if (options.length === 0) {
      blockedShards.push({ ...shardId(copy), reason: 'no other node can hold a copy of this shard' });
      continue;
    }
    if (options.every((o) => o.refusal !== undefined)) blockedShards.push({ ...shardId(copy), reason: options[0]!.refusal! });
  }

  const verdict: PreflightVerdict = blockedShards.length > 0 ? 'blocked' : emptiedZones.length > 0 ? 'empties-zone' : 'ok';
  return {
    node: input.node,
    verdict,
    emptiedZones,
    blockedShards: blockedShards.slice(0, MAX_LISTED_BLOCKED_SHARDS),
    blockedCount: blockedShards.length,
    summary: summarise(input.node, verdict, emptiedZones, blockedShards),
  };
}

/**
 * Where every shard copy is while `input.node` drains, indexed once (by node, by shard, attribute
 * values per awareness attribute) so that questions about each copy do not rescan the cluster.
 * `move` lets a prediction play the drain forward.
 */
export class ShardPlacement {
  private readonly nodeByName: Map<string, NodeView>;
  private readonly dataNodes: NodeView[];
  private readonly unavailable: Set<string>;
  private readonly valueCount: Map<string, number>;
  private readonly copiesByShard = new Map<string, ShardCopy[]>();
  private readonly copiesByNode = new Map<string, ShardCopy[]>();

  constructor(private readonly input: PreflightInput) {
    this.nodeByName = new Map(input.nodes.map((n) => [n.name, n]));
    this.dataNodes = input.nodes.filter(isDataNode);
    this.unavailable = new Set([...input.excludedNodes, input.node]);
    this.valueCount = new Map(
      input.awareness.attributes.map((attribute) => {
        const values = new Set(this.dataNodes.map((n) => n.attributes[attribute]).filter((v): v is string => v !== undefined));
        for (const forced of input.awareness.forcedValues[attribute] ?? []) values.add(forced);
        return [attribute, values.size];
      }),
    );
    for (const copy of input.shards) this.place(copy);
  }

  copiesOn(node: string): ShardCopy[] {
    return [...(this.copiesByNode.get(node) ?? [])];
  }

  load(node: string): number {
    return this.copiesByNode.get(node)?.length ?? 0;
  }

  /** All copies, as they are after the moves made so far. */
  shards(): ShardCopy[] {
    return [...this.copiesByNode.values()].flat();
  }

  /** Awareness values left without an allocatable node once the node is drained. */
  emptiedZones(): { attribute: string; value: string }[] {
    const drained = this.nodeByName.get(this.input.node);
    return this.input.awareness.attributes.flatMap((attribute) => {
      const value = drained?.attributes[attribute];
      if (value === undefined) return [];
      const others = this.dataNodes.some((n) => !this.unavailable.has(n.name) && n.attributes[attribute] === value);
      return others ? [] : [{ attribute, value }];
    });
  }

  /** Every node that could hold another copy of `copy`'s shard, with awareness's refusal if any. */
  destinations(copy: ShardCopy): { target: NodeView; refusal?: string }[] {
    const holders = new Set(this.siblings(copy).map((s) => s.node));
    return this.dataNodes
      .filter((n) => !this.unavailable.has(n.name) && !holders.has(n.name))
      .map((target) => ({ target, refusal: this.awarenessRefusal(copy, target) }));
  }

  /** The nodes that may take `copy` when the node drains, as allocation awareness decides. */
  allowedDestinations(copy: ShardCopy): NodeView[] {
    return this.destinations(copy)
      .filter((o) => o.refusal === undefined)
      .map((o) => o.target);
  }

  move(copy: ShardCopy, target: string): void {
    this.remove(copy);
    this.place({ ...copy, node: target });
  }

  /** Drops a copy that has nowhere to go. */
  remove(copy: ShardCopy): void {
    for (const [map, key] of [[this.copiesByShard, shardKey(copy)], [this.copiesByNode, copy.node]] as const) {
      const list = map.get(key) ?? [];
      const i = list.indexOf(copy);
      if (i >= 0) list.splice(i, 1);
    }
  }

  private place(copy: ShardCopy): void {
    for (const [map, key] of [[this.copiesByShard, shardKey(copy)], [this.copiesByNode, copy.node]] as const) {
      const list = map.get(key);
      if (list) list.push(copy);
      else map.set(key, [copy]);
    }
  }

  private siblings(copy: ShardCopy): ShardCopy[] {
    return this.copiesByShard.get(shardKey(copy)) ?? [];
  }

  /** Why awareness refuses moving `copy` onto `target`, or undefined when it allows it. */
  private awarenessRefusal(copy: ShardCopy, target: NodeView): string | undefined {
    const source = this.nodeByName.get(copy.node);
    for (const attribute of this.input.awareness.attributes) {
      const targetValue = target.attributes[attribute];
      if (targetValue === undefined || targetValue === source?.attributes[attribute]) continue;
      const values = this.valueCount.get(attribute)!;
      const maxPerValue = Math.ceil(copy.copies / values);
      const inTarget = this.siblings(copy).filter((s) => this.nodeByName.get(s.node)?.attributes[attribute] === targetValue).length;
      const after = inTarget + 1;
      if (after > maxPerValue) {
        return `${copy.copies} copies over ${values} values of [${attribute}] allow at most ${maxPerValue} per value; ${attribute}=${targetValue} would hold ${after}`;
      }
    }
    return undefined;
  }
}

function shardKey(copy: ShardCopy): string {
  return `${copy.index}\u0000${copy.shard}`;
}

function shardId(copy: ShardCopy) {
  return { index: copy.index, shard: copy.shard, primary: copy.primary };
}

function summarise(
  node: string,
  verdict: PreflightVerdict,
  emptiedZones: PreflightResult['emptiedZones'],
  blocked: BlockedShard[],
): string {
  const zones = emptiedZones.map((z) => `${z.attribute}=${z.value}`).join(', ');
  switch (verdict) {
    case 'ok':
      return `${node} can be drained: every shard copy on it has an allowed destination`;
    case 'empties-zone':
      return `${node} is the last node with ${zones}; its shards can move, but that zone will be empty`;
    case 'blocked':
      return (
        `${node}${zones ? ` is the last node with ${zones} and` : ''} holds ${blocked.length} shard ` +
        `cop${blocked.length === 1 ? 'y' : 'ies'} that allocation awareness will not move (${blocked[0]!.reason})`
      );
  }
}

/** Whether a scale-in may proceed past the pre-flight under the cluster's awareness policy. */
export function preflightAllows(result: PreflightResult, policy: 'refuse' | 'allow'): boolean {
  return policy === 'allow' || result.verdict === 'ok';
}
