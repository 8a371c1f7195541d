// The node-shutdown drain method (Elasticsearch 7.15+, what ECK uses): a `remove` record per node
// instead of an entry in the shared exclusion list, so no other writer's entry can be lost. Every
// function does one API call and is idempotent. Records are keyed by node id (the API's key); the
// reason names es-scaler, the operation and the node's name, so a stale sweep can tell ours apart even
// after the node has left.
import type { Client } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import { ApplicationFailure } from '@temporalio/common';
import type { ClusterConnections } from './connections.js';

export type ShardMigrationStatus = 'COMPLETE' | 'IN_PROGRESS' | 'STALLED' | 'NOT_STARTED';

export interface ShutdownRecord {
  nodeId: string;
  type: string; // REMOVE, RESTART, ...
  reason: string;
  /** Set when the reason is one es-scaler wrote. */
  ours?: { operationId: string; node: string };
  shardMigration: { status: ShardMigrationStatus; remaining: number; explanation?: string };
}

const REASON = /^es-scaler operation (\S+) drains node (\S+)$/;

/** The reason es-scaler writes on its records; `ownerOf` reads it back. */
export const shutdownReason = (operationId: string, node: string): string => `es-scaler operation ${operationId} drains node ${node}`;

export function ownerOf(reason: string): { operationId: string; node: string } | undefined {
  const match = REASON.exec(reason);
  return match ? { operationId: match[1]!, node: match[2]! } : undefined;
}

interface RawStatus {
  node_id: string;
  type: string;
  reason: string;
  shard_migration: { status: string; shard_migrations_remaining?: number; explanation?: string };
}

function toRecord(raw: RawStatus): ShutdownRecord {
  const owner = ownerOf(raw.reason);
  return {
    nodeId: raw.node_id,
    type: raw.type.toUpperCase(),
    reason: raw.reason,
    ...(owner ? { ours: owner } : {}),
    shardMigration: {
      status: raw.shard_migration.status.toUpperCase() as ShardMigrationStatus,
      remaining: raw.shard_migration.shard_migrations_remaining ?? 0,
      ...(raw.shard_migration.explanation ? { explanation: raw.shard_migration.explanation } : {}),
    },
  };
}

async function nodeIdOf(client: Client, node: string): Promise<string> {
  const info = await client.nodes.info({ node_id: '_all', filter_path: 'nodes.*.name' });
  const id = Object.entries(info.nodes ?? {}).find(([, n]) => n.name === node)?.[0];
  if (!id) throw ApplicationFailure.nonRetryable(`node: no node named "${node}" is in the cluster`, 'NodeNotFound');
  return id;
}

async function statusOf(client: Client, nodeId?: string): Promise<ShutdownRecord[]> {
  const response = (await client.shutdown.getNode(nodeId ? { node_id: nodeId } : {})) as unknown as { nodes: unknown };
  // without the x-pack-shutdown module, Elasticsearch routes GET _nodes/shutdown to nodes info: `nodes` is then an object
  if (!Array.isArray(response.nodes)) {
    throw ApplicationFailure.nonRetryable(
      'drainMethod: this cluster has no node-shutdown API (GET _nodes/shutdown was answered as a nodes-info request; ' +
        'the x-pack-shutdown module is missing); use drainMethod: exclude',
      'NodeShutdownUnavailable',
    );
  }
  return (response.nodes as RawStatus[]).map(toRecord);
}

export function createNodeShutdownActivities(connections: ClusterConnections) {
  const es = (cluster: string) => connections.elasticsearch(cluster);

  return {
    /** Puts a `remove` record for the node named `node`; returns its node id (needed to read and delete it later). */
    async putShutdownRecord(request: { cluster: string; node: string; operationId: string }): Promise<{ nodeId: string; changed: boolean }> {
      const client = es(request.cluster);
      const nodeId = await nodeIdOf(client, request.node);
      const reason = shutdownReason(request.operationId, request.node);
      const existing = (await statusOf(client, nodeId)).find((r) => r.nodeId === nodeId);
      if (existing?.type === 'REMOVE' && existing.reason === reason) return { nodeId, changed: false };
      await client.shutdown.putNode({ node_id: nodeId, type: 'remove', reason });
      return { nodeId, changed: true };
    },

    /** The record of one node, or undefined when there is none. */
    async readShutdownStatus(cluster: string, nodeId: string): Promise<ShutdownRecord | undefined> {
      return (await statusOf(es(cluster), nodeId)).find((r) => r.nodeId === nodeId);
    },

    /** Deletes the node's record; `changed: false` when there was none. */
    async deleteShutdownRecord(cluster: string, nodeId: string): Promise<{ changed: boolean }> {
      try {
        await es(cluster).shutdown.deleteNode({ node_id: nodeId });
        return { changed: true };
      } catch (err) {
        if (err instanceof errors.ResponseError && err.statusCode === 404) return { changed: false };
        throw err;
      }
    },

    /** Every shutdown record of the cluster, ours (reason parsed into `ours`) and others'. */
    async listShutdownRecords(cluster: string): Promise<ShutdownRecord[]> {
      return statusOf(es(cluster));
    },
  };
}
