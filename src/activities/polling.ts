// The one wait loop of every waiting activity: poll, heartbeat the progress, sleep in a way that
// a cancellation interrupts (F2), and hand control back to the workflow when the picture changes
// or `returnAfterMs` has passed, so the workflow's status stays current.
//
// Between two polls there is always a full poll interval, also across calls: an unchanged
// observation is returned only after the sleep that follows it, so a caller that asks again at
// once polls on schedule, whatever the interval and `returnAfterMs` (F9: a poll interval longer
// than `returnAfterMs` must never turn into a busy loop).
import { Context } from '@temporalio/activity';

export interface WatchOptions<T> {
  pollIntervalMs: number;
  /** Return at the latest after this long (or one poll interval, if that is longer), even without a change. */
  returnAfterMs: number;
  poll: () => Promise<T>;
  /** True when the workflow should hear about this poll now. */
  worthReporting: (observation: T) => boolean;
}

export async function watch<T>({ pollIntervalMs, returnAfterMs, poll, worthReporting }: WatchOptions<T>): Promise<T> {
  const context = Context.current();
  const deadline = Date.now() + returnAfterMs;
  for (;;) {
    const observation = await poll();
    context.heartbeat(observation);
    if (worthReporting(observation)) return observation;
    await context.sleep(pollIntervalMs);
    if (Date.now() >= deadline) return observation;
  }
}
