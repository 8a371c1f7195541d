// Drain: wait until Elasticsearch has moved every copy off an excluded node and nothing is
// unassigned (F7). When copies stay and nothing moves, ask Elasticsearch why and show it in the
// status; when nothing has progressed for stallAfter, stop with a clear, non-retryable error
// instead of waiting all night (F1). A poll that fails does not stop the stall clock.
import { ApplicationFailure, isCancellation } from '@temporalio/workflow';
import { formatDuration } from '../config/duration.js';
import { DrainProgress } from '../domain/drain-progress.js';
import { drainWaitingFor, type DrainPoll } from '../domain/drain-safety.js';
import type { DrainHold } from '../domain/drain-hold.js';
import { bestEffortReads, summarised } from './activity-proxies.js';
import { announce } from './announce.js';
import type { DrainMethod } from './drain-method.js';
import { describeFailure, isPermanent } from './failures.js';
import { operationMetrics } from './metrics.js';
import type { OperationState } from './operation-state.js';
import type { ClusterPolicy } from './types.js';
import { LONGEST_DRAIN_WATCH_MS, watchSlice, within } from './waiting.js';

/** How long past its own return time a drain poll may take before the stall clock stops waiting for it. */
const POLL_GRACE_MS = 5_000;

/** `hold`: what this operation put in place to drain the node (drain-method.ts), put back if it goes missing mid-drain. */
export async function drainNode(op: OperationState, policy: ClusterPolicy, node: string, method: DrainMethod, hold: DrainHold | undefined): Promise<void> {
  op.enter('draining', node);
  const startedAt = Date.now();
  const progress = new DrainProgress(startedAt);
  let explainedThisStreak = false;
  let last: DrainPoll | undefined;
  let pollError: string | undefined;
  let progressAt: number | undefined;
  for (;;) {
    // After a first look the watch keeps control until there is something to decide (it keeps the
    // stall clock and retries failing polls itself); before it, a watch that keeps failing is
    // retried by Temporal, and the stall clock must not wait for it.
    const returnAfterMs = last ? LONGEST_DRAIN_WATCH_MS : watchSlice(progress.remainingBeforeStall(Date.now(), policy.stallAfterMs), policy.pollIntervalMs);
    try {
      const watched = await within(returnAfterMs + policy.pollIntervalMs + POLL_GRACE_MS, () =>
        method.watch(policy, { node, hold, last, returnAfterMs, progressSince: progress.since }),
      );
      const { lastProgressAt, pollError: watchError, ...poll } = watched ?? {};
      pollError = watched ? watchError : `no answer for ${formatDuration(returnAfterMs + policy.pollIntervalMs + POLL_GRACE_MS)}`;
      if (watched && !watchError) last = poll as DrainPoll;
      progressAt = lastProgressAt;
    } catch (err) {
      if (isCancellation(err) || isPermanent(err)) throw err;
      pollError = describeFailure(err);
      progressAt = undefined;
    }
    if (pollError) op.note(`polling the drain of ${node} fails: ${pollError}`);
    if (last && !pollError && hold && last.entryInForce === false) {
      hold = await method.restore(op, policy, node, hold);
      continue;
    }
    if (last && !pollError) {
      op.drainObserved(last);
      // Work left: copies on the node plus copies to rebuild; progress is that number going down.
      // (the watch saw the copies move meanwhile: the stall clock runs from its last progress)
      if (progress.observe({ shardsLeft: last.shardsLeft + last.unassigned, at: progressAt ?? Date.now() })) {
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

/**
 * Asks Elasticsearch why; records a stall when it says the copies cannot move (or the clock ran out).
 * With drainMethod shutdown, a STALLED shard migration counts as Elasticsearch saying so, and its
 * explanation comes first.
 */
async function explainStall(op: OperationState, policy: ClusterPolicy, node: string, poll: DrainPoll, since: number, stalled: boolean): Promise<boolean> {
  const explained = poll.nodePresent
    ? await summarised(bestEffortReads.explainStuckShards, `ask Elasticsearch why ${node} does not drain`, policy.cluster, node).catch((err: unknown) => {
        if (isCancellation(err)) throw err;
        return { stuck: false, reasons: [`Elasticsearch could not explain it: ${describeFailure(err)}`] };
      })
    : { stuck: true, reasons: [`${node} is not in the cluster (it left or restarted)`] };
  const shutdownStalled = poll.shutdown?.status === 'STALLED';
  const why = shutdownStalled
    ? { stuck: true, reasons: [`[node_shutdown] shard migration STALLED: ${poll.shutdown?.explanation ?? 'no explanation'}`, ...explained.reasons] }
    : explained;
  if (!why.stuck && !stalled) return false;
  operationMetrics.stalled(op.metricTags());
  op.stalled({ node, since: new Date(since).toISOString(), reasons: why.reasons });
  const message = `${node}: waiting for ${drainWaitingFor(poll)} and nothing moves. Elasticsearch says: ${why.reasons.join(' | ') || 'nothing'}`;
  op.note(message);
  await announce(policy.cluster, 'DrainStalled', message);
  return true;
}
