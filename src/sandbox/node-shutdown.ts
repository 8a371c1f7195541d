// The node-shutdown API (`PUT/GET/DELETE _nodes/<id>/shutdown`, Elasticsearch 7.15+) over the simulated
// cluster, and the `node_shutdown` allocation decider it drives: a node with a `remove` record accepts no
// shard and may keep none, like an excluded node. Status follows Elasticsearch: COMPLETE when the node
// holds no copy (or has left), STALLED when a copy it holds can go nowhere, IN_PROGRESS otherwise.
import { EsException, illegalArgument } from './es-errors.js';
import type { EsCluster } from './es-cluster.js';
import type { ApiRequest, ApiResponse } from './http.js';
import type { Decision, AllocationView } from './deciders.js';
import type { EsNode } from './model.js';

const TYPES = ['restart', 'remove', 'replace', 'sigterm'] as const;
type ShutdownType = (typeof TYPES)[number];

interface ShutdownRecord {
  nodeId: string;
  type: ShutdownType;
  reason: string;
  startedMillis: number;
}

/** The records of one cluster, kept beside it (the cluster model itself knows nothing of them). */
const registries = new WeakMap<object, Map<string, ShutdownRecord>>();
function recordsOf(view: object): Map<string, ShutdownRecord> {
  let records = registries.get(view);
  if (!records) registries.set(view, (records = new Map()));
  return records;
}

/** The `node_shutdown` decider, for canAllocate and canRemain alike. */
export function nodeShutdown(view: AllocationView, node: EsNode): Decision {
  const record = recordsOf(view).get(node.id);
  if (record && (record.type === 'remove' || record.type === 'sigterm' || record.type === 'replace')) {
    return { decider: 'node_shutdown', decision: 'NO', explanation: `node [${node.id}] is preparing to be removed from the cluster` };
  }
  return { decider: 'node_shutdown', decision: 'YES', explanation: 'this node is not currently shutting down' };
}

type MigrationStatus = 'COMPLETE' | 'IN_PROGRESS' | 'STALLED' | 'NOT_STARTED';

function migration(cluster: EsCluster, record: ShutdownRecord): { status: MigrationStatus; shard_migrations_remaining: number; explanation?: string } {
  const node = cluster.node(record.nodeId);
  if (!node) return { status: 'COMPLETE', shard_migrations_remaining: 0, explanation: 'node is not currently part of the cluster' };
  if (record.type === 'restart') return { status: 'COMPLETE', shard_migrations_remaining: 0, explanation: 'no shard relocation is necessary for a node restart' };
  const held = cluster.copies().filter((c) => c.nodeId === node.id && c.state !== 'UNASSIGNED');
  if (held.length === 0) return { status: 'COMPLETE', shard_migrations_remaining: 0 };
  const stuck = held.find((c) => c.state === 'STARTED' && cluster.bestTarget(c, { exclude: node.id, skip: ['throttling'] }).status === 'no');
  if (stuck) {
    return {
      status: 'STALLED',
      shard_migrations_remaining: held.length,
      explanation: `shard [${stuck.shard}] [${stuck.primary ? 'primary' : 'replica'}] of index [${stuck.index}] cannot move, use the Cluster Allocation Explain API on this shard for details`,
    };
  }
  return { status: 'IN_PROGRESS', shard_migrations_remaining: held.length };
}

function statusBody(cluster: EsCluster, record: ShutdownRecord): Record<string, unknown> {
  const shards = migration(cluster, record);
  return {
    node_id: record.nodeId,
    type: record.type.toUpperCase(),
    reason: record.reason,
    shutdown_startedmillis: record.startedMillis,
    status: shards.status,
    shard_migration: shards,
    persistent_tasks: { status: 'COMPLETE' },
    plugins: { status: 'COMPLETE' },
  };
}

/** The REST handlers; es-api.ts registers them before its generic `_nodes` routes. */
export function shutdownApi(cluster: EsCluster) {
  const records = recordsOf(cluster);
  // a record changes what the deciders answer, like a settings write: the allocator must look again
  const changed = (): void => void cluster.settings.version++;
  return {
    put(r: ApiRequest): ApiResponse {
      const nodeId = r.params.node!;
      let body: { type?: string; reason?: string };
      try {
        body = JSON.parse(r.body || '{}') as typeof body;
      } catch {
        throw illegalArgument('request body is not valid JSON');
      }
      const type = String(body.type ?? '').toLowerCase();
      if (!TYPES.includes(type as ShutdownType)) throw illegalArgument(`unknown shutdown type [${body.type ?? ''}]`);
      if (!body.reason) throw illegalArgument('[reason] is required');
      const existing = records.get(nodeId);
      records.set(nodeId, { nodeId, type: type as ShutdownType, reason: body.reason, startedMillis: existing?.startedMillis ?? Date.now() });
      changed();
      return { status: 200, body: { acknowledged: true } };
    },
    get(r: ApiRequest): ApiResponse {
      const ids = r.params.node ? r.params.node.split(',') : [...records.keys()];
      return { status: 200, body: { nodes: ids.flatMap((id) => (records.has(id) ? [statusBody(cluster, records.get(id)!)] : [])) } };
    },
    delete(r: ApiRequest): ApiResponse {
      const nodeId = r.params.node!;
      if (!records.delete(nodeId)) throw new EsException(404, 'resource_not_found_exception', `node [${nodeId}] is not currently shutting down`);
      changed();
      return { status: 200, body: { acknowledged: true } };
    },
  };
}
