// Reads a cluster's status: the cluster workflow's, plus the running operation's.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
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
  return { workflowId, cluster, operation };
}
