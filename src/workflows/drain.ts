// Drain: wait until Elasticsearch has moved every copy off an excluded node and nothing is
// unassigned (F7). When copies stay and nothing moves, ask Elasticsearch why and show it in the
// status; when nothing has progressed for stallAfter, stop with a clear, non-retryable error
// instead of waiting all night (F1). A poll that fails does not stop the stall clock.
import { ApplicationFailure, isCancellation } from '@temporalio/workflow';
import { formatDuration } from '../config/duration.js';
import { DrainProgress } from '../domain/drain-progress.js';
import { drainWaitingFor, type DrainPoll } from '../domain/drain-safety.js';
import { calls, MAX_WATCH_MS, watchers } from './activity-proxies.js';
import { describeFailure, isPermanent } from './failures.js';
import { operationMetrics } from './metrics.js';
import type { OperationState } from './operation-state.js';
import type { ClusterPolicy } from './types.js';

export async function drainNode(op: OperationState, policy: ClusterPolicy, node: string): Promise<void> {
  op.enter('draining', node);
  const { watchDrain } = watchers(policy.pollIntervalMs);
  const startedAt = Date.now();
  const progress = new DrainProgress(startedAt);
  let explainedThisStreak = false;
  let last: DrainPoll | undefined;
  let pollError: string | undefined;
  for (;;) {
    const remaining = progress.remainingBeforeStall(Date.now(), policy.stallAfterMs);
    try {
      last = await watchDrain({
        cluster: policy.cluster,
        node,
        last,
        pollIntervalMs: policy.pollIntervalMs,
        returnAfterMs: Math.min(Math.max(remaining, policy.pollIntervalMs), MAX_WATCH_MS),
      });
      pollError = undefined;
    } catch (err) {
      if (isCancellation(err) || isPermanent(err)) throw err;
      pollError = describeFailure(err);
      op.note(`polling the drain of ${node} keeps failing: ${pollError}`);
    }
    if (last && !pollError) {
      op.drainObserved(last);
      // Work left: copies on the node plus copies to rebuild; progress is that number going down.
      if (progress.observe({ shardsLeft: last.shardsLeft + last.unassigned, at: Date.now() })) {
        explainedThisStreak = false;
        op.progressed();
      }
      operationMetrics.shardsLeft({ ...op.metricTags(), node }, last.shardsLeft);
      if (last.drained) {
        operationMetrics.drainFinished(op.metricTags(), Date.now() - startedAt);
        op.note(`${node} drained: no copy on it, none unassigned`);
        return;
      }
    }
    const stalled = progress.isStalled(Date.now(), policy.stallAfterMs);
    if (last && !pollError && !explainedThisStreak && (last.relocating === 0 || stalled)) {
      explainedThisStreak = await explainStall(op, policy, node, last, progress.since, stalled);
    }
    if (stalled) {
      const why = pollError ? `the drain could not be polled: ${pollError}` : op.stall?.reasons.join(' | ') || 'Elasticsearch gave no reason';
      throw ApplicationFailure.nonRetryable(
        `drain of ${node} made no progress for ${formatDuration(policy.stallAfterMs)}, waiting for ${last ? drainWaitingFor(last) : 'a first poll'}: ${why}`,
        'DrainStalled',
        op.stall,
      );
    }
  }
}

/** Asks Elasticsearch why; records a stall when it says the copies cannot move (or the clock ran out). */
async function explainStall(op: OperationState, policy: ClusterPolicy, node: string, poll: DrainPoll, since: number, stalled: boolean): Promise<boolean> {
  const why = poll.nodePresent ? await calls.explainStuckShards(policy.cluster, node) : { stuck: true, reasons: [`${node} is not in the cluster (it left or restarted)`] };
  if (!why.stuck && !stalled) return false;
  operationMetrics.stalled(op.metricTags());
  op.stalled({ node, since: new Date(since).toISOString(), reasons: why.reasons });
  op.note(`${node}: waiting for ${drainWaitingFor(poll)} and nothing moves. Elasticsearch says: ${why.reasons.join(' | ') || 'nothing'}`);
  return true;
}
