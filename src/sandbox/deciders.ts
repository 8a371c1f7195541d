// The allocation deciders the sandbox models, with Elasticsearch's decider names, rules and explanation texts
// (ReplicaAfterPrimaryActive, Filter, NodeShutdown (node-shutdown.ts), SameShard, DiskThreshold, Throttling, ShardsLimit,
// Awareness, DataTier, ClusterRebalance, ConcurrentRebalance).
import { diskCanAllocate, diskCanRemain, type DiskView } from './disk-threshold.js';
import { describeRouting, isDataNode, type EsNode, type Routing, type ShardCopy } from './model.js';
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
export interface AllocationView extends DiskView {
  readonly settings: ClusterSettings;
  dataNodes(): readonly EsNode[];
  node(id: string): EsNode | undefined;
  replicasOf(index: string): number;
  indexSettings(index: string): Record<string, string>; // flat, without the "index." prefix
  copies(): readonly ShardCopy[];
  shardCount(nodeId: string, index?: string): number;
  routingsOnNode(nodeId: string): readonly Routing[];
  shardRoutings(index: string, shard: number): readonly Routing[];
  initializingRoutings(): Iterable<Routing>;
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
    filter(view, copy, node),
    nodeShutdown(view, node),
    sameShard(view, copy, node),
    { decider: 'disk_threshold', ...diskCanAllocate(view, copy, node) },
    throttling(view, copy, node),
    shardsLimit(view, copy, node, true),
    awareness(view, copy, node, true),
    dataTier(view, copy, node),
  ];
}

/** Decisions for `copy` staying on its current node (the deciders that override canRemain). */
export function canRemain(view: AllocationView, copy: ShardCopy, node: EsNode): Decision[] {
  return [
    filter(view, copy, node),
    nodeShutdown(view, node),
    { decider: 'disk_threshold', ...diskCanRemain(view, node) },
    shardsLimit(view, copy, node, false),
    awareness(view, copy, node, false),
    dataTier(view, copy, node),
  ];
}

/** Cluster-wide rebalancing gates. */
export function canRebalance(view: AllocationView): Decision[] {
  return [clusterRebalance(view), concurrentRebalance(view)];
}

function activePrimary(view: AllocationView, copy: ShardCopy): Routing | undefined {
  return view.shardRoutings(copy.index, copy.shard).find((r) => r.copy.primary && r.state !== 'INITIALIZING');
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

function filter(view: AllocationView, copy: ShardCopy, node: EsNode): Decision {
  const index = indexGroups(view.indexSettings(copy.index), 'routing.allocation');
  const s = view.settings;
  const checks: [scope: string, groups: (kind: string) => Record<string, string>][] = [
    ['index', (kind) => index(kind)],
    ['cluster', (kind) => s.group(`${ALLOCATION}.${kind}`)],
  ];
  for (const [scope, groups] of checks) {
    const prefix = scope === 'index' ? 'index.routing.allocation' : ALLOCATION;
    const require = buildFilters('AND', groups('require'));
    if (require && !matchesNode(require, node)) {
      return decision('filter', 'NO', `node does not match ${scope} setting [${prefix}.require] filters [${describeFilters(require)}]`);
    }
    const include = buildFilters('OR', groups('include'));
    if (include && !matchesNode(include, node)) {
      return decision('filter', 'NO', `node does not match ${scope} setting [${prefix}.include] filters [${describeFilters(include)}]`);
    }
    const exclude = buildFilters('OR', groups('exclude'));
    if (exclude && matchesNode(exclude, node)) {
      return decision('filter', 'NO', `node matches ${scope} setting [${prefix}.exclude] filters [${describeFilters(exclude)}]`);
    }
  }
  return decision('filter', 'YES', 'node passes include/exclude/require filters');
}

/** `routing.allocation.<kind>.<attr>` index settings keyed by attr; _tier_preference belongs to the data_tier decider. */
function indexGroups(settings: Record<string, string>, prefix: string): (kind: string) => Record<string, string> {
  return (kind) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(settings)) {
      const p = `${prefix}.${kind}.`;
      if (k.startsWith(p) && k !== `${prefix}.include._tier_preference`) out[k.slice(p.length)] = v;
    }
    return out;
  };
}

function sameShard(view: AllocationView, copy: ShardCopy, node: EsNode): Decision {
  const here = view.shardRoutings(copy.index, copy.shard).find((r) => r.nodeId === node.id);
  if (!here) return decision('same_shard', 'YES', 'this node does not hold a copy of this shard');
  const what = here.copy === copy ? 'this shard is already allocated to this node' : 'a copy of this shard is already allocated to this node';
  return decision('same_shard', 'NO', `${what} [${describeRouting(here)}]`);
}

function incomingRecoveries(view: AllocationView, nodeId: string): number {
  return view.routingsOnNode(nodeId).filter((r) => r.state === 'INITIALIZING').length;
}

/** Recoveries copying from `nodeId`: relocations away from it and replica recoveries from a primary on it. */
export function outgoingRecoveries(view: AllocationView, nodeId: string): number {
  return [...view.initializingRoutings()]
    .filter((r) => (r.relocationTarget ? r.relocatingNodeId : r.copy.primary ? undefined : activePrimary(view, r.copy)?.nodeId) === nodeId)
    .length;
}

function throttling(view: AllocationView, copy: ShardCopy, node: EsNode): Decision {
  const name = 'throttling';
  if (copy.primary && copy.state === 'UNASSIGNED') {
    const limit = intSetting(view, [INITIAL_PRIMARIES_RECOVERIES], 4);
    const recovering = view.routingsOnNode(node.id).filter((r) => r.state === 'INITIALIZING' && r.copy.primary && !r.relocationTarget).length;
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
  const routings = view.shardRoutings(copy.index, copy.shard);
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

const TOTAL_SHARDS_PER_NODE = 'total_shards_per_node';

/** index/cluster total_shards_per_node: copies on the node (not those leaving) against each limit; -1 is no limit. */
function shardsLimit(view: AllocationView, copy: ShardCopy, node: EsNode, allocating: boolean): Decision {
  const name = 'shards_limit';
  const indexLimit = Number(view.indexSettings(copy.index)[`routing.allocation.${TOTAL_SHARDS_PER_NODE}`] ?? -1);
  const clusterLimit = intSetting(view, [`${ALLOCATION}.${TOTAL_SHARDS_PER_NODE}`], -1);
  if (indexLimit <= 0 && clusterLimit <= 0) return decision(name, 'YES', `total shard limits are disabled: [index: ${indexLimit}, cluster: ${clusterLimit}] <= 0`);
  // allocating: one more would reach past the limit; remaining: the node is already past it
  const over = (count: number, limit: number): boolean => (allocating ? count >= limit : count > limit);
  const nodeCount = view.shardCount(node.id);
  if (clusterLimit > 0 && over(nodeCount, clusterLimit)) {
    return decision(name, 'NO', `too many shards [${nodeCount}] allocated to this node, cluster setting [${ALLOCATION}.${TOTAL_SHARDS_PER_NODE}=${clusterLimit}]`);
  }
  const indexCount = view.shardCount(node.id, copy.index);
  if (indexLimit > 0 && over(indexCount, indexLimit)) {
    return decision(
      name,
      'NO',
      `too many shards [${indexCount}] allocated to this node for index [${copy.index}], index setting [index.routing.allocation.${TOTAL_SHARDS_PER_NODE}=${indexLimit}]`,
    );
  }
  return decision(name, 'YES', `the shard count [${nodeCount}] for this node is under the index limit [${indexLimit}] and cluster level node limit [${clusterLimit}]`);
}

/** A node holds a tier when it has its role or the generic data role. */
function hasTier(node: EsNode, tier: string): boolean {
  return node.roles.includes(tier) || node.roles.includes('data');
}

/** index.routing.allocation.include._tier_preference: the first listed tier with any node in the cluster is required. */
function dataTier(view: AllocationView, copy: ShardCopy, node: EsNode): Decision {
  const name = 'data_tier';
  const preference = tokens(view.indexSettings(copy.index)['routing.allocation.include._tier_preference']);
  if (preference.length === 0) return decision(name, 'YES', 'node passes tier preference filters');
  const listed = preference.join(',');
  const tier = preference.find((t) => view.dataNodes().some((n) => isDataNode(n) && hasTier(n, t)));
  if (tier === undefined) return decision(name, 'NO', `index has a preference for tiers [${listed}], but no nodes for any of those tiers are available in the cluster`);
  return hasTier(node, tier)
    ? decision(name, 'YES', `index has a preference for tiers [${listed}] and node has tier [${tier}]`)
    : decision(name, 'NO', `index has a preference for tiers [${listed}] and node does not meet the required [${tier}] tier`);
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
