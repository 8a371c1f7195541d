import { clusterWorkflowIdOf } from '../submit-target.js';
import { requiredArgument } from '../arguments.js';
import type { CliContext } from '../context.js';
import { readClusterStatus } from '../cluster-status.js';

export const cancelHelp = `es-scaler cancel <cluster> [--config FILE]

Cancels the cluster's running scale operation (the same request as \`temporal workflow cancel\`).
The operation removes the exclusions it added, then ends; replicas stay where they are.`;

export async function cancelCommand(ctx: CliContext, args: string[]): Promise<void> {
  const cluster = requiredArgument('cluster', args[0]);
  const client = await ctx.client();
  const status = await readClusterStatus(client, clusterWorkflowIdOf(ctx.config, cluster));
  const running = status?.cluster.running;
  if (!running) {
    ctx.out(`${cluster}: no operation running, nothing to cancel`);
    return;
  }
  await client.workflow.getHandle(running.workflowId).cancel();
  ctx.out(`${cluster}: cancellation requested for ${running.workflowId} (target ${running.target}); it cleans up, then stops`);
}
