// The allocation deciders the sandbox models, with Elasticsearch's decider names, rules and explanation texts
// (ReplicaAfterPrimaryActive, Filter, NodeShutdown (node-shutdown.ts), SameShard, Throttling, Awareness, ClusterRebalance, ConcurrentRebalance).
import { describeRouting, routingsOf, type EsNode, type Routing, type ShardCopy } from './model.js';
import { buildFilters, describeFilters, matchesNode } from './node-filters.js';
import { nodeShutdown } from './node-shutdown.js';
import { tokens } from './patterns.js';
import type { ClusterSettings } from './settings.js';

export type DecisionType = 'YES' | 'NO' | 'THROTTLE';

export interface Decision {
  decider: string;
  decision: DecisionType;
  explanation: string;
}

/** What the deciders read from the cluster. */
export interface AllocationView {
  readonly settings: ClusterSettings;
  dataNodes(): readonly EsNode[];
  node(id: string): EsNode | undefined;
  replicasOf(index: string): number;
  copies(): readonly ShardCopy[];
}

const ALLOCATION = 'cluster.routing.allocation';
const AWARENESS_ATTRIBUTES = `${ALLOCATION}.awareness.attributes`;
const CONCURRENT_RECOVERIES = `${ALLOCATION}.node_concurrent_recoveries`;
const INCOMING_RECOVERIES = `${ALLOCATION}.node_concurrent_incoming_recoveries`;
const OUTGOING_RECOVERIES = `${ALLOCATION}.node_concurrent_outgoing_recoveries`;
const INITIAL_PRIMARIES_RECOVERIES = `${ALLOCATION}.node_initial_primaries_recoveries`;
const ALLOW_REBALANCE = `${ALLOCATION}.allow_rebalance`;
const CONCURRENT_REBALANCE = `${ALLOCATION}.cluster_concurrent_rebalance`;

const decision = (decider: string, type: DecisionType, explanation: string): Decision => ({ decider, decision: type, explanation });

/** Combined outcome: NO wins over THROTTLE, which wins over YES. */
export function overall(decisions: readonly Decision[]): DecisionType {
  if (decisions.some((d) => d.decision === 'NO')) return 'NO';
  if (decisions.some((d) => d.decision === 'THROTTLE')) return 'THROTTLE';
  return 'YES';
}

/** Decisions for allocating `copy` (unassigned, or started and being moved) to `node`, in ES's decider order. */
export function canAllocate(view: AllocationView, copy: ShardCopy, node: EsNode): Decision[] {
  return [
    replicaAfterPrimaryActive(view, copy),
    filter(view, node),
    nodeShutdown(view, node),
    sameShard(view, copy, node),
    throttling(view, copy, node),
    awareness(view, copy, node, true),
  ];
}

/** Decisions for `copy` staying on its current node (the deciders that override canRemain). */
export function canRemain(view: AllocationView, copy: ShardCopy, node: EsNode): Decision[] {
  return [filter(view, node), nodeShutdown(view, node), awareness(view, copy, node, false)];
}

/** Cluster-wide rebalancing gates. */
export function canRebalance(view: AllocationView): Decision[] {
  return [clusterRebalance(view), concurrentRebalance(view)];
}

function shardRoutings(view: AllocationView, index: string, shard: number): Routing[] {
  return view.copies().filter((c) => c.index === index && c.shard === shard).flatMap(routingsOf);
}

function activePrimary(view: AllocationView, copy: ShardCopy): Routing | undefined {
  return shardRoutings(view, copy.index, copy.shard).find((r) => r.copy.primary && r.state !== 'INITIALIZING');
}

function intSetting(view: AllocationView, keys: string[], fallback: number): number {
  for (const key of keys) {
    const v = view.settings.effective(key);
    if (v !== undefined) return Number(v);
  }
  return fallback;
}

function replicaAfterPrimaryActive(view: AllocationView, copy: ShardCopy): Decision {
  const name = 'replica_after_primary_active';
  if (copy.primary) return decision(name, 'YES', 'shard is primary and can be allocated');
  return activePrimary(view, copy)
    ? decision(name, 'YES', 'primary shard for this replica is already active')
    : decision(name, 'NO', 'primary shard for this replica is not yet active');
}

function filter(view: AllocationView, node: EsNode): Decision {
  const s = view.settings;
  const require = buildFilters('AND', s.group(`${ALLOCATION}.require`));
  if (require && !matchesNode(require, node)) {
    return decision('filter', 'NO', `node does not match cluster setting [${ALLOCATION}.require] filters [${describeFilters(require)}]`);
  }
  const include = buildFilters('OR', s.group(`${ALLOCATION}.include`));
  if (include && !matchesNode(include, node)) {
    // sic: this is ES's wording
    return decision('filter', 'NO', `node does not cluster setting [${ALLOCATION}.include] filters [${describeFilters(include)}]`);
  }
  const exclude = buildFilters('OR', s.group(`${ALLOCATION}.exclude`));
  if (exclude && matchesNode(exclude, node)) {
    return decision('filter', 'NO', `node matches cluster setting [${ALLOCATION}.exclude] filters [${describeFilters(exclude)}]`);
  }
  return decision('filter', 'YES', 'node passes include/exclude/require filters');
}

function sameShard(view: AllocationView, copy: ShardCopy, node: EsNode): Decision {
  const here = shardRoutings(view, copy.index, copy.shard).find((r) => r.nodeId === node.id);
  if (!here) return decision('same_shard', 'YES', 'this node does not hold a copy of this shard');
  const what = here.copy === copy ? 'this shard is already allocated to this node' : 'a copy of this shard is already allocated to this node';
  return decision('same_shard', 'NO', `${what} [${describeRouting(here)}]`);
}

function incomingRecoveries(view: AllocationView, nodeId: string): number {
  return view.copies().flatMap(routingsOf).filter((r) => r.state === 'INITIALIZING' && r.nodeId === nodeId).length;
}

/** Recoveries copying from `nodeId`: relocations away from it and replica recoveries from a primary on it. */
function outgoingRecoveries(view: AllocationView, nodeId: string): number {
  return view
    .copies()
    .flatMap(routingsOf)
    .filter((r) => r.state === 'INITIALIZING')
    .filter((r) => (r.relocationTarget ? r.relocatingNodeId : r.copy.primary ? undefined : activePrimary(view, r.copy)?.nodeId) === nodeId)
    .length;
}

function throttling(view: AllocationView, copy: ShardCopy, node: EsNode): Decision {
  const name = 'throttling';
  if (copy.primary && copy.state === 'UNASSIGNED') {
    const limit = intSetting(view, [INITIAL_PRIMARIES_RECOVERIES], 4);
    const recovering = view
      .copies()
      .flatMap(routingsOf)
      .filter((r) => r.nodeId === node.id && r.state === 'INITIALIZING' && r.copy.primary && !r.relocationTarget).length;
    return recovering >= limit
      ? decision(name, 'THROTTLE', `reached the limit of ongoing initial primary recoveries [${recovering}], cluster setting [${INITIAL_PRIMARIES_RECOVERIES}=${limit}]`)
      : decision(name, 'YES', `below primary recovery limit of [${limit}]`);
  }
  const inLimit = intSetting(view, [INCOMING_RECOVERIES, CONCURRENT_RECOVERIES], 2);
  const outLimit = intSetting(view, [OUTGOING_RECOVERIES, CONCURRENT_RECOVERIES], 2);
  const incoming = incomingRecoveries(view, node.id);
  if (incoming >= inLimit) {
    return decision(
      name,
      'THROTTLE',
      `reached the limit of incoming shard recoveries [${incoming}], cluster setting [${INCOMING_RECOVERIES}=${inLimit}] (can also be set via [${CONCURRENT_RECOVERIES}])`,
    );
  }
  const primary = activePrimary(view, copy);
  if (!primary) return decision(name, 'NO', 'primary shard for this replica is not yet active');
  const outgoing = outgoingRecoveries(view, primary.nodeId);
  if (outgoing >= outLimit) {
    return decision(
      name,
      'THROTTLE',
      `reached the limit of outgoing shard recoveries [${outgoing}] on the node [${primary.nodeId}] which holds the primary, cluster setting [${OUTGOING_RECOVERIES}=${outLimit}] (can also be set via [${CONCURRENT_RECOVERIES}])`,
    );
  }
  return decision(name, 'YES', `below shard recovery limit of outgoing: [${outgoing} < ${outLimit}] incoming: [${incoming} < ${inLimit}]`);
}

const javaList = (values: string[]): string => `[${values.join(', ')}]`;

/**
 * At most ceil(copies / values) copies of a shard per attribute value, where values are those of the data
 * nodes in the cluster (excluded nodes included) plus the forced ones. Started and initializing copies count
 * (so relocation targets do, relocation sources do not); when moving, the copy counts towards the target's value.
 */
function awareness(view: AllocationView, copy: ShardCopy, node: EsNode, moveToNode: boolean): Decision {
  const attributes = tokens(view.settings.effective(AWARENESS_ATTRIBUTES));
  if (attributes.length === 0) {
    return decision('awareness', 'YES', `allocation awareness is not enabled, set cluster setting [${AWARENESS_ATTRIBUTES}] to enable it`);
  }
  const shardCount = view.replicasOf(copy.index) + 1;
  const routings = shardRoutings(view, copy.index, copy.shard);
  for (const attr of attributes) {
    const value = node.attributes[attr];
    if (value === undefined) {
      return decision(
        'awareness',
        'NO',
        `node does not contain the awareness attribute [${attr}]; required attributes cluster setting [${AWARENESS_ATTRIBUTES}=${attributes.join(',')}]`,
      );
    }
    const valueOf = (nodeId: string | undefined): string | undefined => (nodeId === undefined ? undefined : view.node(nodeId)?.attributes[attr]);
    let count = routings.filter((r) => r.state !== 'RELOCATING' && valueOf(r.nodeId) === value).length;
    if (moveToNode) {
      const from = copy.state === 'RELOCATING' ? copy.target?.nodeId : copy.nodeId;
      if (valueOf(from) !== value) count++;
    }
    const actual = [...new Set(view.dataNodes().flatMap((n) => (n.attributes[attr] === undefined ? [] : [n.attributes[attr]!])))].sort();
    const forced = tokens(view.settings.effective(`${ALLOCATION}.awareness.force.${attr}.values`));
    const valueCount = new Set([...actual, ...forced]).size;
    const max = Math.ceil(shardCount / valueCount);
    if (count > max) {
      const forcedText = forced.length > 0 ? `${javaList([...forced].sort())} from forced awareness` : 'no forced awareness';
      return decision(
        'awareness',
        'NO',
        `there are [${shardCount}] copies of this shard and [${valueCount}] values for attribute [${attr}] (${javaList(actual)} from nodes in the cluster and ${forcedText}) so there may be at most [${max}] copies of this shard allocated to nodes with each value, but (including this copy) there would be [${count}] copies allocated to nodes with [node.attr.${attr}: ${value}]`,
      );
    }
  }
  return decision('awareness', 'YES', 'node meets all awareness attribute requirements');
}

function clusterRebalance(view: AllocationView): Decision {
  const name = 'cluster_rebalance';
  const type = view.settings.effective(ALLOW_REBALANCE) ?? 'indices_all_active';
  const copies = view.copies();
  const inactive = (c: ShardCopy): boolean => c.state === 'INITIALIZING'; // relocation targets live on RELOCATING copies
  const no = (what: string): Decision => decision(name, 'NO', `the cluster has ${what} shards and cluster setting [${ALLOW_REBALANCE}] is set to [${type}]`);
  if (type === 'indices_primaries_active') {
    if (copies.some((c) => c.primary && c.state === 'UNASSIGNED')) return no('unassigned primary');
    if (copies.some((c) => c.primary && inactive(c))) return no('inactive primary');
    return decision(name, 'YES', 'all primary shards are active');
  }
  if (type === 'indices_all_active') {
    if (copies.some((c) => c.state === 'UNASSIGNED')) return no('unassigned');
    if (copies.some(inactive)) return no('inactive');
  }
  return decision(name, 'YES', 'all shards are active');
}

function concurrentRebalance(view: AllocationView): Decision {
  const name = 'concurrent_rebalance';
  const limit = intSetting(view, [CONCURRENT_REBALANCE], 2);
  if (limit === -1) return decision(name, 'YES', 'unlimited concurrent rebalances are allowed');
  const relocating = view.copies().filter((c) => c.state === 'RELOCATING').length;
  return relocating >= limit
    ? decision(name, 'THROTTLE', `reached the limit of concurrently rebalancing shards [${relocating}], cluster setting [${CONCURRENT_REBALANCE}=${limit}]`)
    : decision(name, 'YES', `below threshold [${limit}] for concurrent rebalances, current rebalance shard count [${relocating}]`);
}
