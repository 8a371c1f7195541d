import { formatDuration } from '../../config/duration.js';
import { clusterConfigOf, clusterWorkflowIdOf } from '../submit-target.js';
import type { CliContext } from '../context.js';
import { readClusterStatus, type ClusterStatusView } from '../cluster-status.js';

export const statusHelp = `es-scaler status [cluster] [--json] [--config FILE]

Shows, per cluster: the desired target, the running operation (phase, node being drained, shards
left, stall reasons from Elasticsearch), and the last outcomes. Without a cluster, all clusters.`;

export async function statusCommand(ctx: CliContext, args: string[], json: boolean): Promise<void> {
  const clusters = args[0] ? [args[0]] : Object.keys(ctx.config.clusters);
  clusters.forEach((cluster) => clusterConfigOf(ctx.config, cluster));
  const client = await ctx.client();
  const views: Record<string, ClusterStatusView | null> = {};
  for (const cluster of clusters) views[cluster] = (await readClusterStatus(client, clusterWorkflowIdOf(ctx.config, cluster))) ?? null;
  if (json) {
    ctx.out(JSON.stringify(views, null, 2));
    return;
  }
  for (const [cluster, view] of Object.entries(views)) ctx.out(renderStatus(cluster, view));
}

export function renderStatus(cluster: string, view: ClusterStatusView | null): string {
  if (!view) return `${cluster}: no operation has run yet`;
  const lines = [`${cluster} (${view.workflowId})`];
  const { desired, running, history, rejected } = view.cluster;
  if (desired) lines.push(`  desired:  ${desired.replicas} replicas (from ${desired.source})`);
  const op = view.operation;
  if (running && op) {
    const since = formatDuration(Date.now() - Date.parse(running.startedAt));
    lines.push(`  running:  ${running.workflowId}: ${op.fromReplicas ?? '?'} → ${op.target} replicas, for ${since}`);
    const where = op.node ? ` ${op.node}` : '';
    const shards = op.shardsLeft !== undefined ? `, ${op.shardsLeft} shards left` : '';
    lines.push(`  phase:    ${op.phase}${where}${shards}`);
    if (op.preflight && op.preflight.verdict !== 'ok') lines.push(`  preflight: ${op.preflight.verdict}: ${op.preflight.summary}`);
    if (op.stall) {
      lines.push(`  STALLED:  no progress on ${op.stall.node} since ${op.stall.since}; Elasticsearch says:`);
      for (const reason of op.stall.reasons) lines.push(`            ${reason}`);
    }
    if (op.staleExclusions.length) lines.push(`  stale exclusions (owned by no operation): ${op.staleExclusions.join(', ')}`);
  } else {
    lines.push('  running:  nothing');
  }
  for (const record of history.slice(-5).reverse()) {
    lines.push(`  last:     ${record.workflowId} → ${record.target} (${record.source}): ${record.outcome}: ${record.detail}`);
  }
  for (const { request, reason } of rejected.slice(-3)) lines.push(`  rejected: ${JSON.stringify(request)}: ${reason}`);
  return lines.join('\n');
}
