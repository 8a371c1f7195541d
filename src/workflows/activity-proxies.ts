// Timeouts and retry policies, declared once per activity group.
import { patched, proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { watchTaskQueue } from './task-queues.js';
import { MAX_WATCH_MS } from './waiting.js';

/** Watches scheduled on the watch task queue; a history recorded before it has them on the main queue. */
export const WATCH_QUEUE_PATCH = 'watch-task-queue';

const RETRY = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' } as const;

/** Reads. Retried until they succeed or fail for a reason retrying cannot fix (401/403/404). */
export const calls = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: RETRY });

/**
 * Writes to the cluster (add an exclusion, resize the StatefulSet). The workflow runs them in a
 * non-cancellable scope: a cancelled write may still land, so a cancel waits until it has landed
 * or failed for good before cleanup undoes it (F3). Bounded, so that wait is bounded too.
 */
export const writes = proxyActivities<Activities>({ startToCloseTimeout: '30s', scheduleToCloseTimeout: '5m', retry: RETRY });

/** Cleanup on the way out. Bounded: an entry that still cannot be removed after this is reported as left. */
export const cleanups = proxyActivities<Activities>({ startToCloseTimeout: '30s', scheduleToCloseTimeout: '10m', retry: RETRY });

/** Reads that only inform (Elasticsearch's explanation of a stall): bounded, and the caller goes on without them. */
export const bestEffortReads = proxyActivities<Activities>({ startToCloseTimeout: '30s', scheduleToCloseTimeout: '1m', retry: RETRY });

/** Kubernetes Events: best effort, never retried, never in the way of the operation. */
export const announcements = proxyActivities<Activities>({ startToCloseTimeout: '10s', retry: { maximumAttempts: 1 } });

/** Calls an activity with the one-line summary the Temporal UI shows on its bar ("drain es-data-6"). */
export function summarised<A extends unknown[], R>(
  activity: { executeWithOptions(options: ActivityOptions, args: A): Promise<R> },
  summary: string,
  ...args: A
): Promise<R> {
  return activity.executeWithOptions({ summary }, args);
}

/**
 * Waiting activities poll and heartbeat every poll interval; a worker that dies is noticed after
 * two missed heartbeats and the watch moves to another worker. A watch that keeps failing gives
 * control back after a few attempts, so the caller's own clocks (the stall clock) keep running.
 * On cancellation the workflow goes on at once (TRY_CANCEL, the default): the watch only reads.
 * They run on the watch task queue, whose worker has a budget of slots of its own.
 */
export function watchers(pollIntervalMs: number, longestCallMs = MAX_WATCH_MS) {
  const oneCall = longestCallMs + pollIntervalMs + 30_000;
  return proxyActivities<Activities>({
    ...(patched(WATCH_QUEUE_PATCH) && { taskQueue: watchTaskQueue(workflowInfo().taskQueue) }),
    startToCloseTimeout: oneCall,
    scheduleToCloseTimeout: 3 * oneCall,
    heartbeatTimeout: pollIntervalMs * 2 + 5_000,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
  });
}
