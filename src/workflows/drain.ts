// Drain: wait until Elasticsearch has moved every shard off an excluded node. When shards stay and
// nothing moves, ask Elasticsearch why and show it in the status; when nothing has moved for
// stallAfter, stop with a clear, non-retryable error instead of waiting all night (F1).
import { ApplicationFailure } from '@temporalio/workflow';
import { formatDuration } from '../config/duration.js';
import { DrainProgress } from '../domain/drain-progress.js';
import { calls, MAX_WATCH_MS, watchers } from './activity-proxies.js';
import { operationMetrics } from './metrics.js';
import type { OperationState } from './operation-state.js';
import type { ClusterPolicy } from './types.js';

export async function drainNode(op: OperationState, policy: ClusterPolicy, node: string): Promise<void> {
  op.enter('draining', node);
  const { watchDrain } = watchers(policy.pollIntervalMs);
  const startedAt = Date.now();
  const progress = new DrainProgress(startedAt);
  let explainedThisStreak = false;
  for (;;) {
    const remaining = progress.remainingBeforeStall(Date.now(), policy.stallAfterMs);
    const poll = await watchDrain({
      cluster: policy.cluster,
      node,
      lastShardsLeft: progress.shardsLeft,
      pollIntervalMs: policy.pollIntervalMs,
      returnAfterMs: Math.min(Math.max(remaining, policy.pollIntervalMs), MAX_WATCH_MS),
    });
    if (progress.observe({ shardsLeft: poll.shardsLeft, at: Date.now() })) {
      explainedThisStreak = false;
      op.status.stall = undefined;
    }
    op.status.shardsLeft = poll.shardsLeft;
    operationMetrics.shardsLeft({ ...op.metricTags(), node }, poll.shardsLeft);
    if (poll.shardsLeft === 0) {
      operationMetrics.drainFinished(op.metricTags(), Date.now() - startedAt);
      op.note(`${node} drained`);
      return;
    }
    const stalled = progress.isStalled(Date.now(), policy.stallAfterMs);
    if (!explainedThisStreak && (poll.relocating === 0 || stalled)) {
      const why = await calls.explainStuckShards(policy.cluster, node);
      if (why.stuck || stalled) {
        explainedThisStreak = true;
        operationMetrics.stalled(op.metricTags());
        op.status.stall = { node, since: new Date(progress.since).toISOString(), reasons: why.reasons };
        op.note(`${node}: ${poll.shardsLeft} shards cannot move. Elasticsearch says: ${why.reasons.join(' | ') || 'nothing'}`);
      }
    }
    if (stalled) {
      throw ApplicationFailure.nonRetryable(
        `drain of ${node} made no progress for ${formatDuration(policy.stallAfterMs)} with ${poll.shardsLeft} shards left: ` +
          (op.status.stall?.reasons.join(' | ') || 'Elasticsearch gave no reason'),
        'DrainStalled',
        op.status.stall,
      );
    }
  }
}
