import { clusterConfigOf, submitTarget } from '../submit-target.js';
import { replicasArgument, requiredArgument } from '../arguments.js';
import type { CliContext } from '../context.js';
import { userInfo } from 'node:os';

export const scaleHelp = `es-scaler scale <cluster> <replicas> [--config FILE]

Sets a new target for the cluster, as a schedule does: a running operation with another target is
superseded (cancelled, its exclusions removed) and the new target pursued. Checks the target against
the cluster's minReplicas/maxReplicas first; nothing changes when it is out of range.`;

export async function scaleCommand(ctx: CliContext, args: string[]): Promise<void> {
  const cluster = requiredArgument('cluster', args[0]);
  clusterConfigOf(ctx.config, cluster);
  const replicas = replicasArgument(args[1]);
  const { workflowId } = await submitTarget(await ctx.client(), ctx.config, {
    cluster,
    replicas,
    source: `cli:${userInfo().username}`,
  });
  ctx.out(`${cluster}: target ${String(replicas)} replicas sent to ${workflowId}`);
  ctx.out(`follow it with: es-scaler status ${cluster}`);
}
