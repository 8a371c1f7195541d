// Timeouts and retry policies, declared once per activity group.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** Single API calls. Retried until they succeed or fail for a reason retrying cannot fix. */
export const calls = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** Longest time a watching activity keeps control before reporting back to the workflow. */
export const MAX_WATCH_MS = 60_000;

/**
 * Waiting activities poll and heartbeat every poll interval; a worker that dies is noticed after
 * two missed heartbeats and the watch moves to another worker. On cancellation the workflow goes
 * on at once (TRY_CANCEL, the default): the watch only reads, so nothing waits for it.
 */
export function watchers(pollIntervalMs: number) {
  return proxyActivities<Activities>({
    startToCloseTimeout: MAX_WATCH_MS + 30_000,
    heartbeatTimeout: pollIntervalMs * 2 + 5_000,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
  });
}
