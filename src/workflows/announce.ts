// Kubernetes Events on the StatefulSet for the moments an on-call engineer looks for: scale
// started, drain stalled, superseded, cleanup done, failed, stale exclusion found. Best effort:
// never in the way of the operation, and sent even while it is being cancelled.
import { CancellationScope } from '@temporalio/workflow';
import type { EventReason } from '../activities/events.js';
import { announcements, summarised } from './activity-proxies.js';

export async function announce(cluster: string, reason: EventReason, message: string): Promise<void> {
  await CancellationScope.nonCancellable(() => summarised(announcements.recordEvent, `Kubernetes Event ${reason}`, cluster, { reason, message })).catch(() => undefined);
}
