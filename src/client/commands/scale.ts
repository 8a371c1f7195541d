import { userInfo } from 'node:os';
import { replicasArgument } from '../arguments.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { followOperation, knownOperations, operationFor } from '../follow.js';
import { clusterConfigOf, clusterWorkflowIdOf, submitTarget } from '../../temporal/submit-target.js';

export const scaleHelp = `Sets a new target for the cluster, as a schedule does: a running operation with another target is
superseded (cancelled, its exclusions removed) and the new target pursued. Checks the target against
the cluster's minReplicas/maxReplicas first; nothing changes when it is out of range.

With --wait, follows the operation until it ends, printing its progress. Exit code: 0 it reached the
target, 1 it failed, 3 it was superseded by a newer target or cancelled.`;

export async function scaleCommand(ctx: CliContext, cluster: string, replicasText: string, wait: boolean): Promise<number> {
  clusterConfigOf(ctx.config, cluster);
  const replicas = replicasArgument(replicasText);
  const client = await ctx.client();
  const clusterWorkflowId = clusterWorkflowIdOf(ctx.config, cluster);
  const known = wait ? await knownOperations(client, clusterWorkflowId) : new Set<string>();
  const { workflowId, request } = await submitTarget(client, ctx.config, { cluster, replicas, source: `cli:${userInfo().username}` });
  ctx.out(`${cluster}: target ${String(replicas)} replicas sent to ${workflowId}`);
  if (!wait) {
    ctx.out(`follow it with: es-scaler status ${cluster}`);
    return EXIT.ok;
  }
  const pursuit = await operationFor(client, clusterWorkflowId, request, known, ctx.out);
  if ('supersededBy' in pursuit) {
    ctx.out(`${cluster}: superseded before it started by target ${pursuit.supersededBy.replicas} (from ${pursuit.supersededBy.source})`);
    return EXIT.notReached;
  }
  ctx.out(`${cluster}: following ${pursuit.workflowId}`);
  const record = await followOperation(client, clusterWorkflowId, pursuit.workflowId, ctx.out);
  ctx.out(`${cluster}: ${record.outcome}: ${record.detail}`);
  return record.outcome === 'succeeded' ? EXIT.ok : record.outcome === 'failed' ? EXIT.failure : EXIT.notReached;
}
