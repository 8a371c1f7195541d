// What the capacity pre-flight knows about a cluster: read once by the activity from Elasticsearch's own APIs
// (_nodes/stats fs, _cat/shards store, index settings, cluster settings), never sent through workflow history.

export interface NodeFacts {
  name: string;
  roles: string[];
  attributes: Record<string, string>; // node.attr.*
  ip?: string;
  totalBytes: number; // fs total of the data path
  availableBytes: number;
}

/** An assigned shard copy, where it is now (a relocation counts at its target). */
export interface CopyFacts {
  index: string;
  shard: number;
  primary: boolean;
  node: string;
  bytes: number; // store size
}

export interface IndexFacts {
  name: string;
  shards: number; // number_of_shards
  copies: number; // 1 + number_of_replicas
  settings: Record<string, string>; // flat, without the "index." prefix, e.g. "routing.allocation.require.zone"
}

export interface ClusterFacts {
  nodes: NodeFacts[];
  copies: CopyFacts[];
  indices: Record<string, IndexFacts>;
  /** Effective cluster settings, flat (transient over persistent). */
  settings: Record<string, string>;
}

/** A node that can hold shards: the generic data role or any data tier. */
export function isDataNode(node: Pick<NodeFacts, 'roles'>): boolean {
  return node.roles.some((r) => r === 'data' || r.startsWith('data_'));
}

/** Master-eligible: Elasticsearch's `master` role, OpenSearch's `cluster_manager`. */
export function isMasterEligible(node: Pick<NodeFacts, 'roles'>): boolean {
  return node.roles.includes('master') || node.roles.includes('cluster_manager');
}

/** Comma-separated setting values, trimmed, empties dropped. */
export function listSetting(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
}
