// Calls a watching activity again and again until it reports the awaited state. Each call hands
// back the last observation so the activity can wait for a change, and how long it may keep
// control. Every wait that has no natural end (a pod stuck Terminating, a Pending pod) has a
// deadline: past it, the wait fails with what it waited for, instead of waiting (and growing
// history) forever (F9).
import { ApplicationFailure, CancellationScope, sleep } from '@temporalio/workflow';
import { formatDuration } from '../config/duration.js';

/** Longest time a watching activity keeps control before reporting back to the workflow. */
export const MAX_WATCH_MS = 60_000;

/**
 * Longest time a drain watch keeps control once the workflow has had a first look: it reports
 * back itself when there is something to decide (drained, stuck, stalled), so this only bounds
 * how stale the workflow's status may get; a drain costs the same history up to this long.
 */
export const LONGEST_DRAIN_WATCH_MS = 6 * 3_600_000;

export interface WaitBound {
  /** Give up after this long. */
  limitMs: number;
  /** What was awaited, for the failure: "es-data-7 to be gone". */
  what: string;
  pollIntervalMs: number;
}

export async function repeatUntil<T>(
  watch: (last: T | undefined, returnAfterMs: number) => Promise<T>,
  done: (observation: T) => boolean,
  bound: WaitBound,
  onObservation: (observation: T) => void = () => undefined,
): Promise<T> {
  const deadline = Date.now() + bound.limitMs;
  let last: T | undefined;
  for (;;) {
    last = await watch(last, watchSlice(deadline - Date.now(), bound.pollIntervalMs));
    onObservation(last);
    if (done(last)) return last;
    if (Date.now() >= deadline) {
      throw ApplicationFailure.nonRetryable(`gave up waiting for ${bound.what} after ${formatDuration(bound.limitMs)}`, 'WaitTimedOut', last);
    }
  }
}

/** How long one watch call may keep control: not past `remainingMs`, at least one poll, at most MAX_WATCH_MS. */
export function watchSlice(remainingMs: number, pollIntervalMs: number): number {
  return Math.min(Math.max(remainingMs, pollIntervalMs), MAX_WATCH_MS);
}

/**
 * Runs `work` (a read) but gives up waiting for it after `ms`: the result, or undefined when the
 * time ran out (the work is then cancelled). Keeps a workflow's own clocks running while an
 * activity retries a failing call.
 */
export async function within<T>(ms: number, work: () => Promise<T>): Promise<T | undefined> {
  const workScope = new CancellationScope();
  const timerScope = new CancellationScope();
  const result = workScope.run(work);
  const timeout = timerScope.run(() => sleep(ms));
  // The loser is cancelled below and rejects later: that rejection is expected, not unhandled.
  result.catch(() => undefined);
  timeout.catch(() => undefined);
  const winner = await Promise.race([result.then((value) => ({ value })), timeout.then(() => undefined)]);
  if (winner) {
    timerScope.cancel();
    return winner.value;
  }
  workScope.cancel();
  return undefined;
}
