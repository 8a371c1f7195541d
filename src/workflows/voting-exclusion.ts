// A master-eligible node leaves the voting configuration before its pod goes, and the exclusion is cleared once the
// pod is gone (on every way out too, F3): one node at a time, the way the official operator removes masters. The
// operation owns the exclusion from the moment it decides to add it, so a crash mid-call still clears it.
import { CancellationScope } from '@temporalio/workflow';
import { calls, cleanups, summarised, writes } from './activity-proxies.js';
import { podIsLeaving } from './cleanup.js';
import { describeFailure } from './failures.js';
import type { OperationState } from './operation-state.js';
import { waitUntilGone } from './pod-gone.js';

export async function excludeFromVoting(op: OperationState, cluster: string, pod: string): Promise<void> {
  op.ownVotingExclusion(pod);
  await CancellationScope.nonCancellable(() => summarised(writes.addVotingExclusion, `voting exclusion ${pod}`, cluster, pod));
  op.note(`${pod} is master-eligible: excluded from the voting configuration until its pod is gone`);
}

export async function clearVotingExclusion(op: OperationState, cluster: string): Promise<void> {
  const pod = op.votingExclusion!;
  await CancellationScope.nonCancellable(() => summarised(writes.clearVotingExclusions, 'clear voting exclusions', cluster));
  op.votingExclusionCleared();
  op.note(`voting configuration exclusion of ${pod} cleared`);
}

/** Compensation: the exclusion goes once its pod is gone, or at once when the pod stays. */
export async function releaseVotingExclusion(op: OperationState, cluster: string): Promise<void> {
  const pod = op.votingExclusion;
  if (pod === undefined) return;
  try {
    const policy = await calls.loadClusterPolicy(cluster);
    if (await podIsLeaving(cluster, policy.statefulSet, pod)) {
      await waitUntilGone(policy, pod, { podObjectOptional: true });
      if (!op.status.removedPods.includes(pod)) op.podRemoved(pod);
    }
    await summarised(cleanups.clearVotingExclusions, 'compensation: clear voting exclusions', cluster);
    op.votingExclusionCleared();
    op.note(`compensation: voting configuration exclusion of ${pod} cleared`);
  } catch (err) {
    op.note(`voting configuration exclusion of ${pod} LEFT IN PLACE: ${describeFailure(err)}`);
  }
}
