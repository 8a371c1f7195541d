// The one wait loop of every waiting activity: poll, heartbeat the progress, sleep in a way that
// a cancellation interrupts (F2), and hand control back to the workflow when the picture changes
// or `returnAfterMs` has passed, so the workflow's status stays current.
//
// The sleeps of a call start short (250 ms) and double up to the poll interval: a wait that ends
// soon after it began (an instant drain, a pod that stops in two seconds) is seen that soon, not a
// whole poll interval later; a long wait polls at the poll interval. An unchanged observation is
// returned only after the sleep that follows it, so a caller that asks again at once never polls
// back to back, whatever the interval and `returnAfterMs` (F9: no busy loop).
import { Context } from '@temporalio/activity';

export interface WatchOptions<T> {
  pollIntervalMs: number;
  /** Return at the latest after this long (or one poll interval, if that is longer), even without a change. */
  returnAfterMs: number;
  poll: () => Promise<T>;
  /** True when the workflow should hear about this poll now. */
  worthReporting: (observation: T) => boolean;
  /** Added to every heartbeat, so the UI's pending activity says what is watched ({ node: "es-data-6" }). */
  about?: Record<string, unknown>;
}

/** The first sleep of a call; each next one doubles, up to the poll interval. */
export const FIRST_SLEEP_MS = 250;

export async function watch<T>({ pollIntervalMs, returnAfterMs, poll, worthReporting, about }: WatchOptions<T>): Promise<T> {
  const context = Context.current();
  const deadline = Date.now() + returnAfterMs;
  let sleepMs = Math.min(FIRST_SLEEP_MS, pollIntervalMs);
  for (;;) {
    const observation = await poll();
    context.heartbeat({ ...about, ...observation, at: new Date().toISOString() });
    if (worthReporting(observation)) return observation;
    await context.sleep(sleepMs);
    sleepMs = Math.min(2 * sleepMs, pollIntervalMs);
    if (Date.now() >= deadline) return observation;
  }
}
