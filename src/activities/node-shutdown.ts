// The node-shutdown drain method (Elasticsearch 7.15+, what ECK uses): a `remove` record per node
// instead of an entry in the shared exclusion list, so no other writer's entry can be lost. Every
// function does one API call or one wait loop and is idempotent. Records are keyed by node id; the
// reason names the operation and the node (domain/node-shutdown.ts), and es-scaler deletes only
// records whose reason names the operation that asks.
import type { Client } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import { ApplicationFailure } from '@temporalio/common';
import type { DrainPoll } from '../domain/drain-safety.js';
import { engineOfRoot, nodeShutdownProblem, type RootInfo } from '../domain/engine.js';
import { leftoverRecords, ownerOf, shutdownReason, type ShardMigrationStatus, type ShutdownRecord } from '../domain/node-shutdown.js';
import type { ClusterConnections } from './connections.js';
import { watchDrainUntilDecision, type DrainWatch, type DrainWatchRequest } from './drain-watch.js';
import type { createElasticsearchActivities } from './elasticsearch.js';
import { withoutRootEndpoint } from './search-client.js';

type Elasticsearch = Pick<ReturnType<typeof createElasticsearchActivities>, 'readDrain' | 'nodeIds'>;

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

export function createNodeShutdownActivities(connections: ClusterConnections, elasticsearch: Elasticsearch) {
  const es = (cluster: string) => connections.elasticsearch(cluster);

  return {
    /**
     * Before a shutdown drain changes anything: the engine (from `GET /`) must have the node-shutdown
     * API, and the API must answer (the Maven integ-test builds lack the module).
     */
    async checkNodeShutdownSupport(cluster: string): Promise<void> {
      const client = es(cluster);
      const root = await client.info().catch((err: unknown) => {
        if (withoutRootEndpoint(err)) return undefined; // an Elasticsearch build without rest-root: the API check below decides
        throw err;
      });
      const problem = root && nodeShutdownProblem(engineOfRoot(root as RootInfo));
      if (problem) throw ApplicationFailure.nonRetryable(problem, 'DrainMethodUnsupported');
      await statusOf(client);
    },

    /**
     * Puts a `remove` record for the node `node` (id `nodeId`) with this operation's reason. A `remove`
     * record someone else put is left as it is (`placed: false`): it drains the node already, and it is
     * not ours to delete.
     */
    async putShutdownRecord(request: { cluster: string; nodeId: string; node: string; operationId: string }): Promise<{ placed: boolean; changed: boolean }> {
      const client = es(request.cluster);
      const reason = shutdownReason(request.operationId, request.node);
      const existing = (await statusOf(client, request.nodeId)).find((r) => r.nodeId === request.nodeId);
      if (existing?.type === 'REMOVE' && existing.reason === reason) return { placed: true, changed: false };
      if (existing?.type === 'REMOVE' && !existing.ours) return { placed: false, changed: false };
      await client.shutdown.putNode({ node_id: request.nodeId, type: 'remove', reason });
      return { placed: true, changed: true };
    },

    /** The record of one node, or undefined when there is none. */
    async readShutdownStatus(cluster: string, nodeId: string): Promise<ShutdownRecord | undefined> {
      return (await statusOf(es(cluster), nodeId)).find((r) => r.nodeId === nodeId);
    },

    /** Deletes the node's record if `operationId` wrote it; `changed: false` when there is none, or it is not that operation's. */
    async deleteShutdownRecord(cluster: string, record: { nodeId: string; operationId: string }): Promise<{ changed: boolean }> {
      const client = es(cluster);
      const existing = (await statusOf(client, record.nodeId)).find((r) => r.nodeId === record.nodeId);
      if (existing?.ours?.operationId !== record.operationId) return { changed: false };
      try {
        await client.shutdown.deleteNode({ node_id: record.nodeId });
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

    /** Records earlier operations of this cluster workflow left behind (see `leftoverRecords`). */
    async findLeftoverShutdownRecords(cluster: string, owner: { clusterWorkflowId: string; operationId: string }) {
      return leftoverRecords(await statusOf(es(cluster)), owner.clusterWorkflowId, owner.operationId);
    },

    /**
     * Watches the shutdown drain of `node` (drain-watch.ts says when it reports back; a change of the
     * migration status is reported too). The verdict is the exclusion drain's (node present, no copy
     * on it, none unassigned: F7) and, on top, the record's shard migration COMPLETE. `entryInForce`
     * is false when the node, as it is now (a restarted node may have a new id), has no `remove`
     * record: the workflow puts one back.
     */
    async watchShutdownDrain(request: DrainWatchRequest): Promise<DrainWatch> {
      const client = es(request.cluster);
      const read = async (): Promise<DrainPoll> => {
        const [drain, records, [nodeId]] = await Promise.all([
          elasticsearch.readDrain(request.cluster, request.node),
          statusOf(client),
          elasticsearch.nodeIds(request.cluster, [request.node]),
        ]);
        const record = records.find((r) => r.nodeId === nodeId && r.type === 'REMOVE');
        return {
          ...drain,
          drained: drain.drained && record?.shardMigration.status === 'COMPLETE',
          entryInForce: nodeId === undefined || record !== undefined,
          ...(record && { shutdown: record.shardMigration }),
        };
      };
      return watchDrainUntilDecision(request, read, (poll, last) => poll.shutdown?.status !== last?.shutdown?.status);
    },
  };
}
