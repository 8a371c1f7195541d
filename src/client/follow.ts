// `scale --wait` and `cancel --wait`: follow a scale operation until the cluster workflow records
// its end, printing a line each time its progress changes (phase, node, shards left, stall).
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { InputError } from '../domain/input-error.js';
import type { ClusterStatus, OperationRecord, OperationStatus, TargetRequest } from '../workflows/types.js';

const POLL_MS = 500;
/** When no operation has taken up the target by then, say what may be missing. */
const HINT_AFTER_MS = 15_000;

/** What `scale --wait` found happened to its target before an operation took it up. */
export type Pursuit = { workflowId: string } | { supersededBy: TargetRequest };

/** The operation ids the cluster knows now, so a later look can tell a new one from them. */
export async function knownOperations(client: Client, clusterWorkflowId: string): Promise<Set<string>> {
  const status = await queryCluster(client, clusterWorkflowId);
  return new Set([...(status?.history.map((r) => r.workflowId) ?? []), ...(status?.running ? [status.running.workflowId] : [])]);
}

/**
 * The operation pursuing `request`: the running one once the request is the cluster's desired
 * target, or one that already ended with it. A newer request first means it was superseded.
 */
export async function operationFor(
  client: Client,
  clusterWorkflowId: string,
  request: TargetRequest,
  known: Set<string>,
  out: (line: string) => void,
): Promise<Pursuit> {
  const hintAt = Date.now() + HINT_AFTER_MS;
  let hinted = false;
  for (;;) {
    if (!hinted && Date.now() > hintAt) {
      out(`  still waiting for ${clusterWorkflowId} to take up the target: is a worker running for this config file?`);
      hinted = true;
    }
    const status = await queryCluster(client, clusterWorkflowId);
    if (status) {
      const rejected = status.rejected.find((r) => r.request.requestedAt === request.requestedAt && r.request.source === request.source);
      if (rejected) throw new InputError(`replicas: the cluster workflow rejected the target: ${rejected.reason}`);
      const ended = status.history.find((r) => !known.has(r.workflowId) && r.target === request.replicas && r.source === request.source);
      if (ended) return { workflowId: ended.workflowId };
      const desired = status.desired;
      if (desired?.requestedAt === request.requestedAt && status.running?.target === request.replicas) return { workflowId: status.running.workflowId };
      if (desired?.requestedAt && request.requestedAt && desired.requestedAt > request.requestedAt) return { supersededBy: desired };
    }
    await sleep(POLL_MS);
  }
}

/** Follows an operation to its end; returns how the cluster workflow recorded it. */
export async function followOperation(client: Client, clusterWorkflowId: string, workflowId: string, out: (line: string) => void): Promise<OperationRecord> {
  let last = '';
  for (;;) {
    const record = (await queryCluster(client, clusterWorkflowId))?.history.find((r) => r.workflowId === workflowId);
    if (record) return record;
    const progress = await client.workflow
      .getHandle(workflowId)
      .query<OperationStatus>('status')
      .then(progressLine, () => undefined); // it may have just closed: the record comes next
    if (progress && progress !== last) out(`  ${progress}`);
    last = progress ?? last;
    await sleep(POLL_MS);
  }
}

export function progressLine(op: OperationStatus): string {
  const where = op.node ? ` ${op.node}` : '';
  const shards = op.shardsLeft !== undefined ? `, ${op.shardsLeft} shards left` : '';
  const stall = op.stall ? `; STALLED since ${op.stall.since}: ${op.stall.reasons.join(' | ')}` : '';
  return `${op.phase}${where}${shards}${stall}`;
}

async function queryCluster(client: Client, clusterWorkflowId: string): Promise<ClusterStatus | undefined> {
  try {
    return await client.workflow.getHandle(clusterWorkflowId).query<ClusterStatus>('status');
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
