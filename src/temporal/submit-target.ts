// Hands a desired replica count to a cluster's workflow, starting that workflow if needed
// (signalWithStart). Used by the CLI and by the schedules' requestScale workflow, so a manual
// `scale` supersedes a running operation exactly as a schedule does.
import type { Client } from '@temporalio/client';
import type { Config } from '../config/schema.js';
import { InputError } from '../domain/input-error.js';
import { replicasProblem } from '../domain/scale-plan.js';
import { clusterWorkflowId } from '../domain/cluster-identity.js';
import { setTargetSignal } from '../workflows/messages.js';
import { EsClusterKey } from '../workflows/search-attributes.js';
import type { ClusterWorkflowInput, TargetRequest } from '../workflows/types.js';

export interface TargetSubmission {
  cluster: string;
  replicas: unknown;
  source: string;
}

export function clusterConfigOf(config: Config, cluster: string) {
  const found = config.clusters[cluster];
  if (!found) {
    throw new InputError(`cluster: unknown cluster "${cluster}" (configured: ${Object.keys(config.clusters).join(', ')})`);
  }
  return found;
}

export function clusterWorkflowIdOf(config: Config, cluster: string): string {
  return clusterWorkflowId(clusterConfigOf(config, cluster).kubernetes);
}

/** Validates the request against the cluster's guards; throws InputError naming the field. */
export function validateTarget(config: Config, submission: TargetSubmission): TargetRequest {
  const problem = replicasProblem(submission.replicas, clusterConfigOf(config, submission.cluster));
  if (problem) throw new InputError(problem);
  return { replicas: submission.replicas as number, source: submission.source, requestedAt: new Date().toISOString() };
}

export async function submitTarget(client: Client, config: Config, submission: TargetSubmission): Promise<{ workflowId: string; request: TargetRequest }> {
  const request = validateTarget(config, submission);
  const workflowId = clusterWorkflowIdOf(config, submission.cluster);
  const input: ClusterWorkflowInput = { cluster: submission.cluster };
  await client.workflow.signalWithStart('clusterWorkflow', {
    workflowId,
    taskQueue: config.temporal.taskQueue,
    args: [input],
    signal: setTargetSignal,
    signalArgs: [request],
    typedSearchAttributes: [{ key: EsClusterKey, value: submission.cluster }],
    memo: { cluster: submission.cluster },
  });
  return { workflowId, request };
}
