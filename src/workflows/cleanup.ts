// Compensation: remove every exclusion entry the operation still owns, on every way out (F3). An
// entry whose pod is on its way out (the StatefulSet was shrunk, or the pod is terminating) is
// removed only once the pod and its node are gone: un-excluding a dying node would let
// Elasticsearch move shards onto it (F7). Every entry is tried; what cannot be removed is reported.
import { formatEntry, type OwnedExclusion } from '../domain/exclusion-list.js';
import { podOrdinal } from '../domain/scale-plan.js';
import { calls, cleanups } from './activity-proxies.js';
import { describeFailure } from './failures.js';
import type { OperationState } from './operation-state.js';
import { waitUntilGone } from './pod-gone.js';

export async function releaseExclusions(op: OperationState, cluster: string): Promise<void> {
  const owned = op.ownedEntries();
  if (owned.length === 0) return;
  op.enter('cleaning-up', op.status.node);
  const policy = await calls.loadClusterPolicy(cluster);
  for (const entry of owned) {
    try {
      if (await podIsLeaving(cluster, policy.statefulSet, entry)) {
        op.note(`cleanup: ${entry.pod} is being removed; its exclusion stays until the pod and its node are gone`);
        await waitUntilGone(policy, entry.pod);
        op.podRemoved(entry.pod);
      }
      const edit = await cleanups.removeExclusion(cluster, entry, entry.scope);
      if (edit.conflict) op.conflictSeen(edit.conflict);
      op.release(entry, true);
      op.note(`compensation: removed exclusion ${formatEntry(entry)}`);
    } catch (err) {
      op.leave(entry, describeFailure(err));
    }
  }
}

async function podIsLeaving(cluster: string, statefulSet: string, entry: OwnedExclusion): Promise<boolean> {
  const ordinal = podOrdinal(statefulSet, entry.pod);
  if (ordinal === undefined) return false;
  const fate = await cleanups.podFate(cluster, { name: entry.pod, ordinal });
  return fate.leaving;
}
