import type { CliContext } from '../context.js';
import { readClusterStatus } from '../cluster-status.js';
import { EXIT } from '../exit-codes.js';
import { followOperation } from '../follow.js';
import { clusterWorkflowIdOf } from '../../temporal/submit-target.js';

export const cancelHelp = `Cancels the cluster's running scale operation (the same request as \`temporal workflow cancel\`).
The operation removes the exclusions it added, then ends; replicas stay where they are.

With --wait, follows the operation until it has cleaned up and ended. Exit code: 0 it ended
cancelled, 1 it failed, 3 it ended otherwise before the cancel reached it (succeeded, superseded).`;

export async function cancelCommand(ctx: CliContext, cluster: string, wait: boolean): Promise<number> {
  const client = await ctx.client();
  const clusterWorkflowId = clusterWorkflowIdOf(ctx.config, cluster);
  const status = await readClusterStatus(client, clusterWorkflowId);
  const running = status?.cluster.running;
  if (!running) {
    ctx.out(`${cluster}: no operation running, nothing to cancel`);
    return EXIT.ok;
  }
  await client.workflow.getHandle(running.workflowId).cancel();
  ctx.out(`${cluster}: cancellation requested for ${running.workflowId} (target ${running.target}); it cleans up, then stops`);
  if (!wait) return EXIT.ok;
  const record = await followOperation(client, clusterWorkflowId, running.workflowId, ctx.out);
  ctx.out(`${cluster}: ${record.outcome}: ${record.detail}`);
  return record.outcome === 'cancelled' ? EXIT.ok : record.outcome === 'failed' ? EXIT.failure : EXIT.notReached;
}
