// Compensation: remove every exclusion entry (or node-shutdown record) the operation still owns, on
// every way out (F3). An entry whose pod is on its way out (the StatefulSet was shrunk, or the pod is terminating) is
// removed only once the pod and its node are gone: un-excluding a dying node would let
// Elasticsearch move shards onto it (F7). Every entry is tried; what cannot be removed is reported.
import { formatHold, isShutdownRecord } from '../domain/drain-hold.js';
import { podOrdinal } from '../domain/scale-plan.js';
import { calls, cleanups } from './activity-proxies.js';
import { announce } from './announce.js';
import { releaseHold } from './drain-method.js';
import { describeFailure, isPermanent } from './failures.js';
import type { OperationState } from './operation-state.js';
import { waitUntilGone } from './pod-gone.js';

export async function releaseExclusions(op: OperationState, cluster: string): Promise<void> {
  const owned = op.ownedEntries();
  if (owned.length === 0) return;
  op.enter('cleaning-up', op.status.node);
  const policy = await calls.loadClusterPolicy(cluster);
  for (const entry of owned) {
    try {
      if (await podIsLeaving(cluster, policy.statefulSet, entry.pod)) {
        op.note(`cleanup: ${entry.pod} is being removed; its exclusion stays until the pod and its node are gone`);
        await waitUntilGone(policy, entry.pod, { podObjectOptional: true });
        op.podRemoved(entry.pod);
      }
      await releaseHold(op, cleanups, cluster, entry, 'compensation: ');
      op.release(entry, true);
      op.note(`compensation: removed ${isShutdownRecord(entry) ? 'shutdown record' : 'exclusion'} ${formatHold(entry)}`);
    } catch (err) {
      op.leave(entry, describeFailure(err));
    }
  }
  const removed = owned.filter((e) => !op.ownedEntries().some((still) => formatHold(still) === formatHold(e)));
  if (removed.length > 0) await announce(cluster, 'CleanupDone', `removed ${removed.map(formatHold).join(', ')} on the way out`);
}

/** Whether the pod is on its way out. If Kubernetes cannot tell us (no permission), assume it is: waiting for its node to leave is the safe side. */
export async function podIsLeaving(cluster: string, statefulSet: string, pod: string): Promise<boolean> {
  const ordinal = podOrdinal(statefulSet, pod);
  if (ordinal === undefined) return false;
  return cleanups.podFate(cluster, { name: pod, ordinal }).then(
    (fate) => fate.leaving,
    (err: unknown) => {
      if (isPermanent(err)) return true;
      throw err;
    },
  );
}
