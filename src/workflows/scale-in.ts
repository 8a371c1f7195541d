// Scale-in, one node at a time from the highest ordinal, as the runbook says:
// pre-flight → exclude → drain → shrink the StatefulSet → wait until the pod is gone → remove
// the exclusion this operation added. Writes run to completion even when a cancel arrives
// meanwhile (the cleanup then sees what really landed, F3).
import { ApplicationFailure, CancellationScope } from '@temporalio/workflow';
import { formatEntry, type OwnedExclusion } from '../domain/exclusion-list.js';
import { podsToRemove, podOrdinal } from '../domain/scale-plan.js';
import { preflightAllows } from '../domain/zone-preflight.js';
import { calls, writes } from './activity-proxies.js';
import { drainNode } from './drain.js';
import { hasFailureType } from './failures.js';
import type { OperationState } from './operation-state.js';
import { waitUntilGone } from './pod-gone.js';
import type { ClusterPolicy } from './types.js';

export async function scaleIn(op: OperationState, policy: ClusterPolicy, fromReplicas: number, target: number): Promise<void> {
  for (const pod of podsToRemove(policy.statefulSet, fromReplicas, target)) {
    const ordinal = podOrdinal(policy.statefulSet, pod)!;
    const { entry, alreadyExcluded } = await preflight(op, policy, pod);

    op.enter('excluding', pod);
    if (!alreadyExcluded) {
      op.own(entry);
      const edit = await CancellationScope.nonCancellable(() => writes.addExclusion(policy.cluster, entry));
      op.placed(entry, edit.scope);
      if (edit.conflict) op.conflictSeen(edit.conflict);
      op.note(`excluded ${formatEntry(entry)} from shard allocation`);
    }

    await drainThenShrink(op, policy, pod, ordinal, alreadyExcluded ? undefined : entry);

    op.enter('waiting-pod-gone', pod);
    await waitUntilGone(policy, pod);
    op.podRemoved(pod);

    if (!alreadyExcluded) {
      op.enter('cleaning-up', pod);
      const owned = op.ownedEntries().find((e) => formatEntry(e) === formatEntry(entry))!;
      await CancellationScope.nonCancellable(() => writes.removeExclusion(policy.cluster, owned, owned.scope));
      op.release(entry, false);
      op.note(`${pod} removed; its exclusion ${formatEntry(entry)} cleaned up`);
    }
  }
}

/** Drain, then shrink; if the shrink's own last check finds the node no longer drained (it restarted), drain again. */
async function drainThenShrink(op: OperationState, policy: ClusterPolicy, pod: string, ordinal: number, entry: OwnedExclusion | undefined): Promise<void> {
  for (;;) {
    await drainNode(op, policy, pod, entry);
    op.enter('shrinking', pod);
    try {
      await CancellationScope.nonCancellable(() => writes.shrinkAfterDrain(policy.cluster, { pod, expected: ordinal + 1, replicas: ordinal }));
      op.note(`StatefulSet scaled to ${ordinal} replicas`);
      return;
    } catch (err) {
      if (!hasFailureType(err, 'NotDrained')) throw err;
      op.note(`${pod} is no longer drained right before the shrink; draining again`);
    }
  }
}

async function preflight(op: OperationState, policy: ClusterPolicy, pod: string): Promise<{ entry: OwnedExclusion; alreadyExcluded: boolean }> {
  op.enter('preflight', pod);
  const result = await calls.preflightNode(policy.cluster, pod);
  const { exclusions, nodeIp, ...verdict } = result;
  op.preflightDone(verdict);
  op.note(`pre-flight ${verdict.verdict === 'ok' ? 'ok' : 'WARNING'}: ${verdict.summary}`);
  if (!preflightAllows(verdict, policy.awarenessPolicy)) {
    throw ApplicationFailure.nonRetryable(
      `pre-flight refused to drain ${pod}: ${verdict.summary} (awarenessPolicy is "refuse")`,
      'PreflightRefused',
      verdict,
    );
  }
  const entry = exclusionEntryFor(pod, nodeIp, policy);
  return { entry, alreadyExcluded: exclusions[entry.attribute]?.includes(entry.value) ?? false };
}

function exclusionEntryFor(pod: string, nodeIp: string | undefined, policy: ClusterPolicy): OwnedExclusion {
  if (policy.exclusionAttribute === '_name') return { attribute: '_name', value: pod, pod };
  if (!nodeIp) throw ApplicationFailure.nonRetryable(`no Elasticsearch node named ${pod} to exclude by _ip`, 'NodeNotFound');
  return { attribute: '_ip', value: nodeIp, pod };
}
