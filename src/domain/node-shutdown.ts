// The node-shutdown drain method's records, as es-scaler reads and writes them. A record is keyed by
// node id (the API's key); the reason names es-scaler, the operation and the node's name, so the
// operation's cleanup and the stale sweep can tell ours apart from anyone else's, also after the node
// has left. A record is held like an exclusion entry: owned before the call that writes it (F3).

export type ShardMigrationStatus = 'COMPLETE' | 'IN_PROGRESS' | 'STALLED' | 'NOT_STARTED';

export interface ShardMigration {
  status: ShardMigrationStatus;
  remaining: number;
  explanation?: string;
}

export interface ShutdownRecord {
  nodeId: string;
  type: string; // REMOVE, RESTART, ...
  reason: string;
  /** Set when the reason is one es-scaler wrote. */
  ours?: { operationId: string; node: string };
  shardMigration: ShardMigration;
}

/** A record an operation holds: the node's id when the record was put, and the pod it drains. */
export interface OwnedShutdownRecord {
  nodeId: string;
  pod: string;
}

const REASON = /^es-scaler operation (\S+) drains node (\S+)$/;

/** The reason es-scaler writes on its records; `ownerOf` reads it back. */
export const shutdownReason = (operationId: string, node: string): string => `es-scaler operation ${operationId} drains node ${node}`;

export function ownerOf(reason: string): { operationId: string; node: string } | undefined {
  const match = REASON.exec(reason);
  return match ? { operationId: match[1]!, node: match[2]! } : undefined;
}

/** How status, notes and the compensation report name a record: its REST resource and the pod. */
export function formatRecord(record: OwnedShutdownRecord): string {
  return `_nodes/${record.nodeId}/shutdown (${record.pod})`;
}

/**
 * Records that an earlier operation of this cluster workflow left behind: ours (by reason), written by
 * an operation of `clusterWorkflowId` other than the running one. Operations of one cluster workflow
 * run one at a time, so no running operation drains their nodes. Records of other tools, and of other
 * cluster workflows on the same Elasticsearch cluster (another StatefulSet), are never touched.
 */
export function leftoverRecords(records: ShutdownRecord[], clusterWorkflowId: string, runningOperationId: string): (OwnedShutdownRecord & { operationId: string })[] {
  return records.flatMap((r) =>
    r.ours && r.ours.operationId.startsWith(`${clusterWorkflowId}/`) && r.ours.operationId !== runningOperationId
      ? [{ nodeId: r.nodeId, pod: r.ours.node, operationId: r.ours.operationId }]
      : [],
  );
}
