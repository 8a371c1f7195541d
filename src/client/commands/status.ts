import { formatDuration } from '../../config/duration.js';
import { clusterConfigOf, clusterWorkflowIdOf } from '../../temporal/submit-target.js';
import type { CliContext } from '../context.js';
import { readClusterStatus, type ClusterStatusView } from '../cluster-status.js';
import { structuredOutput, type OutputFormat } from '../output.js';

export const statusHelp = `Shows, per cluster: the desired target, the running operation (phase, node being drained, shards
left, stall reasons from Elasticsearch), and the last outcomes. Without a cluster, all clusters.
-o wide adds the operation's events and exclusions, and the whole kept history.`;

export async function statusCommand(ctx: CliContext, cluster: string | undefined, format: OutputFormat): Promise<void> {
  const clusters = cluster ? [cluster] : Object.keys(ctx.config.clusters);
  clusters.forEach((name) => clusterConfigOf(ctx.config, name));
  const client = await ctx.client();
  const views: Record<string, ClusterStatusView | null> = {};
  for (const name of clusters) views[name] = (await readClusterStatus(client, clusterWorkflowIdOf(ctx.config, name))) ?? null;
  const structured = structuredOutput(format, views);
  if (structured !== undefined) {
    ctx.out(structured);
    return;
  }
  for (const [name, view] of Object.entries(views)) ctx.out(renderStatus(name, view, format === 'wide'));
}

export function renderStatus(cluster: string, view: ClusterStatusView | null, wide = false): string {
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
    const migration = op.drain?.shutdown ? ` (node shutdown: shard migration ${op.drain.shutdown.status})` : '';
    lines.push(`  phase:    ${op.phase}${where}${shards}${migration}`);
    if (op.preflight) lines.push(`  preflight: ${op.preflight.verdict}: ${op.preflight.summary}`);
    if (op.votingExclusion) lines.push(`  voting exclusion: ${op.votingExclusion} (cleared once its pod is gone)`);
    if (op.stall) {
      lines.push(`  STALLED:  no progress on ${op.stall.node} since ${op.stall.since}; Elasticsearch says:`);
      for (const reason of op.stall.reasons) lines.push(`            ${reason}`);
    }
    if (op.staleExclusions.length) lines.push(`  stale exclusions (owned by no operation): ${op.staleExclusions.join(', ')}`);
    if (wide) {
      lines.push(`  owned exclusions: ${op.ownedExclusions.join(', ') || 'none'}`);
      for (const event of op.events) lines.push(`  event:    ${event.at} ${event.message}`);
    }
  } else {
    lines.push('  running:  nothing');
  }
  for (const record of (wide ? history : history.slice(-5)).slice().reverse()) {
    lines.push(`  last:     ${record.workflowId} → ${record.target} (${record.source}): ${record.outcome}: ${record.detail}`);
  }
  for (const { request, reason } of wide ? rejected : rejected.slice(-3)) lines.push(`  rejected: ${JSON.stringify(request)}: ${reason}`);
  return lines.join('\n');
}
