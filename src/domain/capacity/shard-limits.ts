// Shard count limits: total_shards_per_node (index and cluster level) caps where copies may go during a drain;
// cluster.max_shards_per_node caps how many shards the cluster may hold open, counted per data node left.
import type { IndexFacts } from './facts.js';

const CLUSTER_TOTAL = 'cluster.routing.allocation.total_shards_per_node';
const INDEX_TOTAL = 'routing.allocation.total_shards_per_node';
const MAX_SHARDS_PER_NODE = 'cluster.max_shards_per_node';
const DEFAULT_MAX_SHARDS_PER_NODE = 1000;

export interface NodeLimits {
  cluster: number; // -1: no limit
  index(index: IndexFacts): number;
}

export function nodeLimits(settings: Record<string, string>): NodeLimits {
  const cluster = Number(settings[CLUSTER_TOTAL] ?? -1);
  return { cluster, index: (index) => Number(index.settings[INDEX_TOTAL] ?? -1) };
}

/** Why one more copy of `index` may not go to a node holding these counts, or undefined. */
export function limitRefusal(limits: NodeLimits, index: IndexFacts, nodeName: string, onNode: number, ofIndexOnNode: number): string | undefined {
  if (limits.cluster > 0 && onNode >= limits.cluster) return `${nodeName} holds ${onNode} shards, ${CLUSTER_TOTAL} is ${limits.cluster}`;
  const indexLimit = limits.index(index);
  if (indexLimit > 0 && ofIndexOnNode >= indexLimit) {
    return `${nodeName} holds ${ofIndexOnNode} shards of [${index.name}], its index.${INDEX_TOTAL} is ${indexLimit}`;
  }
  return undefined;
}

export interface ShardCapacity {
  openShards: number;
  maxShards: number; // cluster.max_shards_per_node × data nodes left
}

/**
 * cluster.max_shards_per_node after the drain: a cluster above it keeps its shards but refuses new indices and
 * replicas (rollovers of data streams fail), so it is a warning, not a drain that cannot finish.
 */
export function shardCapacityAfter(settings: Record<string, string>, openShards: number, dataNodesLeft: number): ShardCapacity & { exceeded: boolean } {
  const perNode = Number(settings[MAX_SHARDS_PER_NODE] ?? DEFAULT_MAX_SHARDS_PER_NODE);
  const maxShards = perNode * dataNodesLeft;
  return { openShards, maxShards, exceeded: openShards > maxShards };
}
