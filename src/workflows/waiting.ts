// Calls a watching activity again and again until it reports the awaited state. Each call hands
// back the last observation so the activity can wait for a change. Every wait that has no natural
// end (a pod stuck Terminating, a Pending pod) has a deadline: past it, the wait fails with what it
// waited for, instead of waiting (and growing history) forever (F9).
import { ApplicationFailure } from '@temporalio/workflow';
import { formatDuration } from '../config/duration.js';

export interface WaitBound {
  /** Give up after this long. */
  limitMs: number;
  /** What was awaited, for the failure: "es-data-7 to be gone". */
  what: string;
}

export async function repeatUntil<T>(
  watch: (last: T | undefined) => Promise<T>,
  done: (observation: T) => boolean,
  bound: WaitBound,
  onObservation: (observation: T) => void = () => undefined,
): Promise<T> {
  const deadline = Date.now() + bound.limitMs;
  let last: T | undefined;
  for (;;) {
    last = await watch(last);
    onObservation(last);
    if (done(last)) return last;
    if (Date.now() >= deadline) {
      throw ApplicationFailure.nonRetryable(`gave up waiting for ${bound.what} after ${formatDuration(bound.limitMs)}`, 'WaitTimedOut', last);
    }
  }
}

/** How long a watch call may keep control: short enough for fresh status, never past the wait's deadline. */
export function watchSlice(pollIntervalMs: number): number {
  return Math.max(pollIntervalMs, 30_000);
}
