// Exclusions found at the start of an operation belong to no live operation: the cluster workflow
// runs one operation at a time. They are reported; with sweepStaleExclusions, the ones that are
// ours to remove (recorded as left behind by an earlier operation, or naming a pod of this
// StatefulSet that no longer exists, like the incident's zombie) are removed. An operator's
// exclusion of a live pod, and anything else, is never touched (F3, F6).
import { formatEntry } from '../domain/exclusion-list.js';
import { calls, writes } from './activity-proxies.js';
import { operationMetrics } from './metrics.js';
import type { OperationState } from './operation-state.js';
import type { ClusterPolicy } from './types.js';

export async function reviewStaleExclusions(op: OperationState, policy: ClusterPolicy, recordedLeftovers: string[]): Promise<void> {
  const { stale, sweepable } = await calls.reviewStaleExclusions(policy.cluster, recordedLeftovers);
  op.staleFound(stale);
  if (stale.length === 0) return;
  operationMetrics.staleExclusionsFound(op.metricTags(), stale.length);
  op.note(`exclusions owned by no operation: ${stale.map(formatEntry).join(', ')}`);
  if (!policy.sweepStaleExclusions) return;
  for (const entry of sweepable) {
    const edit = await writes.removeExclusion(policy.cluster, entry);
    if (edit.conflict) op.conflictSeen(edit.conflict);
    op.swept(entry);
    op.note(`swept stale exclusion ${formatEntry(entry)}`);
  }
}
