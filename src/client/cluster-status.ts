// Reads a cluster's status: the cluster workflow's, plus the running operation's.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { ClusterStatus, OperationStatus } from '../workflows/types.js';

export interface ClusterStatusView {
  workflowId: string;
  cluster: ClusterStatus;
  operation?: OperationStatus;
}

export async function readClusterStatus(client: Client, workflowId: string): Promise<ClusterStatusView | undefined> {
  let cluster: ClusterStatus;
  try {
    cluster = await client.workflow.getHandle(workflowId).query<ClusterStatus>('status');
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  const running = cluster.running;
  const operation = running ? await client.workflow.getHandle(running.workflowId).query<OperationStatus>('status') : undefined;
  if (running && operation?.phase === 'draining' && operation.node) {
    operation.shardsLeft = (await liveShardsLeft(client, running.workflowId, operation.node)) ?? operation.shardsLeft;
  }
  return { workflowId, cluster, operation };
}

/**
 * The drain watch reports to the workflow only when there is something to decide (docs/design.md →
 * Drain watching in rounds), so the operation's own count is as of that report; the watch's last
 * heartbeat has the count of its latest poll.
 */
async function liveShardsLeft(client: Client, workflowId: string, node: string): Promise<number | undefined> {
  const { raw } = await client.workflow.getHandle(workflowId).describe();
  for (const activity of raw.pendingActivities ?? []) {
    const payload = activity.heartbeatDetails?.payloads?.[0];
    if (!payload) continue;
    const details = defaultPayloadConverter.fromPayload<{ node?: string; shardsLeft?: unknown }>(payload as Payload);
    if (details?.node === node && typeof details.shardsLeft === 'number') return details.shardsLeft;
  }
  return undefined;
}
