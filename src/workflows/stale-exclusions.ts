// Exclusions found at the start of an operation belong to no live operation: the cluster workflow
// runs one operation at a time. They are reported; with sweepStaleExclusions, the ones naming a
// pod of this StatefulSet (a leftover of an interrupted scale-in, like the incident's zombie) are
// removed. Entries anyone else put there are never touched (F3, F6).
import { formatEntry, isLeftoverOf, listEntries } from '../domain/exclusion-list.js';
import { calls } from './activity-proxies.js';
import { operationMetrics } from './metrics.js';
import type { OperationState } from './operation-state.js';
import type { AllocationState, ClusterPolicy } from './types.js';

export async function reviewStaleExclusions(op: OperationState, policy: ClusterPolicy, state: AllocationState): Promise<void> {
  const stale = listEntries(state.exclusions);
  op.status.staleExclusions = stale.map(formatEntry);
  if (stale.length === 0) return;
  operationMetrics.staleExclusionsFound(op.metricTags(), stale.length);
  op.note(`exclusions owned by no operation: ${op.status.staleExclusions.join(', ')}`);
  if (!policy.sweepStaleExclusions) return;
  for (const entry of stale.filter((e) => isLeftoverOf(policy.statefulSet, e))) {
    await calls.removeExclusion(policy.cluster, entry);
    op.status.sweptExclusions.push(formatEntry(entry));
    op.note(`swept stale exclusion ${formatEntry(entry)}`);
  }
}
