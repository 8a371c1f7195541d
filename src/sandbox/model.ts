// Data shapes of the simulated Elasticsearch cluster, shared by the allocator, the deciders and the HTTP layer.
import { createHash } from 'node:crypto';

/** The roles of a node whose `node.roles` is not set (Elasticsearch's default), sorted as _nodes lists them. */
export const DEFAULT_ROLES = ['data', 'data_cold', 'data_content', 'data_frozen', 'data_hot', 'data_warm', 'ingest', 'master', 'ml', 'remote_cluster_client', 'transform'];

/** Every role name `node.roles` accepts, with the letter `_cat/nodes` prints for it. */
export const ROLE_LETTERS: Record<string, string> = {
  data: 'd',
  data_cold: 'c',
  data_content: 's',
  data_frozen: 'f',
  data_hot: 'h',
  data_warm: 'w',
  ingest: 'i',
  master: 'm',
  ml: 'l',
  remote_cluster_client: 'r',
  transform: 't',
  voting_only: 'v',
};

export interface EsNode {
  id: string;
  name: string;
  ip: string;
  roles: readonly string[]; // node.roles, sorted
  attributes: Record<string, string>; // node.attr.*
  disk: NodeDisk;
  joinSeq: number; // join order; the earliest master-eligible node still present is the elected master
}

/** A node that can hold shards: the generic `data` role or any data tier. */
export function isDataNode(node: Pick<EsNode, 'roles'>): boolean {
  return node.roles.some((r) => r === 'data' || r.startsWith('data_'));
}

export function isMasterEligible(node: Pick<EsNode, 'roles'>): boolean {
  return node.roles.includes('master');
}

/** `_cat/nodes` node.role: the roles' letters in alphabetical order, "-" for a coordinating-only node. */
export function roleLetters(roles: readonly string[]): string {
  const letters = roles.map((r) => ROLE_LETTERS[r] ?? '').sort().join('');
  return letters === '' ? '-' : letters;
}

/** The node's data path: its size, and what is used on it besides shard copies (the OS, logs, other tenants). */
export interface NodeDisk {
  totalBytes: number;
  otherBytes: number;
}

export interface IndexMeta {
  name: string;
  uuid: string;
  primaries: number;
  replicas: number;
  createdAt: number;
  shardBytes?: number; // store size of each shard copy; by default derived from a document count
  settings: Record<string, string>; // other index settings, flat, without the "index." prefix
}

const BYTES_PER_DOC = 612;

function hash(s: string): number {
  return createHash('md5').update(s).digest().readUInt32BE(0);
}

/** Deterministic document count of a shard. */
export function docsOf(index: string, shard: number): number {
  return 1000 + (hash(`${index}/${shard}`) % 9000);
}

/** Store size of one copy of a shard. */
export function storeBytes(meta: IndexMeta | undefined, index: string, shard: number): number {
  return meta?.shardBytes ?? docsOf(index, shard) * BYTES_PER_DOC;
}

export type CopyState = 'UNASSIGNED' | 'INITIALIZING' | 'STARTED' | 'RELOCATING';

export type UnassignedReason = 'INDEX_CREATED' | 'NODE_LEFT' | 'REPLICA_ADDED' | 'PRIMARY_FAILED';

/** Values of ES's AllocationDecision as printed by the explain API. */
export type LastAllocationStatus = 'no_attempt' | 'no' | 'throttled' | 'no_valid_shard_copy';

export interface UnassignedInfo {
  reason: UnassignedReason;
  at: number;
  details?: string;
  lastAllocationStatus: LastAllocationStatus;
}

/**
 * One copy of a shard (a ShardRouting in ES terms). A relocation is kept on its source copy (`target`);
 * `routings()` expands it into the RELOCATING source and the INITIALIZING target, as ES's RoutingNodes do.
 */
export interface ShardCopy {
  index: string;
  shard: number;
  primary: boolean;
  allocationId: string;
  state: CopyState;
  nodeId?: string;
  target?: { nodeId: string; allocationId: string };
  progressMs: number; // of the running recovery or relocation
  recoverySource?: 'new' | 'peer'; // INITIALIZING only: empty store (new index) or copied from the primary
  unassigned?: UnassignedInfo;
  dataLost?: boolean; // unassigned primary whose every copy is gone (ephemeral storage): it can never be allocated
}

export interface Routing {
  copy: ShardCopy;
  nodeId: string;
  state: 'STARTED' | 'INITIALIZING' | 'RELOCATING';
  allocationId: string;
  relocatingNodeId?: string; // source: the target node; relocation target: the source node
  relocationTarget: boolean;
}

export function routingsOf(copy: ShardCopy): Routing[] {
  if (copy.state === 'UNASSIGNED' || copy.nodeId === undefined) return [];
  if (copy.state !== 'RELOCATING') {
    return [{ copy, nodeId: copy.nodeId, state: copy.state, allocationId: copy.allocationId, relocationTarget: false }];
  }
  if (!copy.target) throw new Error(`relocating copy [${copy.index}][${copy.shard}] has no target`);
  return [
    { copy, nodeId: copy.nodeId, state: 'RELOCATING', allocationId: copy.allocationId, relocatingNodeId: copy.target.nodeId, relocationTarget: false },
    { copy, nodeId: copy.target.nodeId, state: 'INITIALIZING', allocationId: copy.target.allocationId, relocatingNodeId: copy.nodeId, relocationTarget: true },
  ];
}

export function isActive(copy: ShardCopy): boolean {
  return copy.state === 'STARTED' || copy.state === 'RELOCATING';
}

/** ShardRouting#toString, as quoted by the same_shard decider. */
export function describeRouting(r: Routing): string {
  const c = r.copy;
  const parts = [`[${c.index}][${c.shard}]`, `node[${r.nodeId}]`];
  if (r.relocatingNodeId !== undefined) parts.push(`relocating [${r.relocatingNodeId}]`);
  parts.push(c.primary ? '[P]' : '[R]');
  if (r.state === 'INITIALIZING') parts.push(`recovery_source[${r.relocationTarget || c.recoverySource !== 'new' ? 'peer recovery' : 'new shard recovery'}]`);
  parts.push(`s[${r.state}]`);
  parts.push(r.relocationTarget ? `a[id=${r.allocationId}, rId=${c.allocationId}]` : `a[id=${r.allocationId}]`);
  parts.push('failed_attempts[0]'); // failed relocations of this copy: the sandbox's relocations never fail
  return parts.join(', ');
}

/** Routing table order: index, shard, primary first. */
export function routingTableOrder(copies: readonly ShardCopy[]): ShardCopy[] {
  return [...copies].sort((a, b) => a.index.localeCompare(b.index) || a.shard - b.shard || Number(b.primary) - Number(a.primary));
}
