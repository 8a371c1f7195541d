// Scale-in, one node at a time from the highest ordinal, as the runbook says:
// pre-flight → exclude → drain → shrink the StatefulSet → wait until the pod is gone → remove
// the exclusion this operation added (or, with drainMethod shutdown, put and delete a node-shutdown
// record instead: drain-method.ts). Writes run to completion even when a cancel arrives
// meanwhile (the cleanup then sees what really landed, F3).
import { ApplicationFailure, CancellationScope } from '@temporalio/workflow';
import { formatHold, isShutdownRecord, type DrainHold } from '../domain/drain-hold.js';
import type { OwnedExclusion } from '../domain/exclusion-list.js';
import { podsToRemove, podOrdinal } from '../domain/scale-plan.js';
import { preflightAllows } from '../domain/zone-preflight.js';
import { calls, summarised, writes } from './activity-proxies.js';
import { drainNode } from './drain.js';
import { drainMethodFor, releaseHold, type DrainMethod } from './drain-method.js';
import { hasFailureType } from './failures.js';
import type { OperationState } from './operation-state.js';
import { waitUntilGone } from './pod-gone.js';
import type { ClusterPolicy } from './types.js';

export async function scaleIn(op: OperationState, policy: ClusterPolicy, fromReplicas: number, target: number): Promise<void> {
  const method = drainMethodFor(policy);
  for (const pod of podsToRemove(policy.statefulSet, fromReplicas, target)) {
    const ordinal = podOrdinal(policy.statefulSet, pod)!;
    const found = await preflight(op, policy, pod);

    op.enter('excluding', pod);
    const hold = await method.hold(op, policy, pod, found);

    await drainThenShrink(op, policy, pod, ordinal, method, hold);

    op.enter('waiting-pod-gone', pod);
    await waitUntilGone(policy, pod);
    op.podRemoved(pod);

    if (hold) {
      op.enter('cleaning-up', pod);
      // a restarted node may have got a second record (its new id): every hold of this pod goes
      for (const owned of op.ownedEntries().filter((h) => h.pod === pod)) {
        await CancellationScope.nonCancellable(() => releaseHold(op, writes, policy.cluster, owned));
        op.release(owned, false);
        op.note(`${pod} removed; its ${isShutdownRecord(owned) ? 'shutdown record' : 'exclusion'} ${formatHold(owned)} cleaned up`);
      }
    }
  }
}

/** Drain, then shrink; if the shrink's own last check finds the node no longer drained (it restarted), drain again. */
async function drainThenShrink(op: OperationState, policy: ClusterPolicy, pod: string, ordinal: number, method: DrainMethod, hold: DrainHold | undefined): Promise<void> {
  for (;;) {
    await drainNode(op, policy, pod, method, hold);
    op.enter('shrinking', pod);
    try {
      await CancellationScope.nonCancellable(() =>
        summarised(writes.shrinkAfterDrain, `resize ${policy.statefulSet} ${ordinal + 1} → ${ordinal} (removes ${pod})`, policy.cluster, { pod, expected: ordinal + 1, replicas: ordinal }),
      );
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
  const result = await summarised(calls.preflightNode, `pre-flight ${pod}`, policy.cluster, pod);
  const { exclusions, nodeIp, nodeZone, ...verdict } = result;
  op.preflightDone(verdict, nodeZone);
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
