// Scale-in, one node at a time from the highest ordinal, as the runbook says:
// pre-flight → hold the node (an exclusion, or with drainMethod shutdown a node-shutdown record:
// drain-method.ts; and, for a master-eligible node the policy allows, a voting exclusion) → drain
// → shrink the StatefulSet → wait until the pod is gone → release what this operation added.
// Writes run to completion even when a cancel arrives meanwhile (the cleanup then sees what really
// landed, F3).
import { ApplicationFailure, CancellationScope, patched } from '@temporalio/workflow';
import { formatHold, isShutdownRecord, type DrainHold } from '../domain/drain-hold.js';
import type { OwnedExclusion } from '../domain/exclusion-list.js';
import { podsToRemove, podOrdinal } from '../domain/scale-plan.js';
import type { NodePreflight } from '../activities/capacity.js';
import { formatByteSize } from '../domain/capacity/byte-size.js';
import type { CapacityVerdict } from '../domain/capacity/verdict.js';
import { calls, summarised, writes } from './activity-proxies.js';
import { drainNode } from './drain.js';
import { drainMethodFor, releaseHold, type DrainMethod } from './drain-method.js';
import { hasFailureType } from './failures.js';
import type { OperationState } from './operation-state.js';
import { waitUntilGone } from './pod-gone.js';
import type { ClusterPolicy } from './types.js';
import { clearVotingExclusion, excludeFromVoting } from './voting-exclusion.js';

export async function scaleIn(op: OperationState, policy: ClusterPolicy, fromReplicas: number, target: number): Promise<void> {
  const method = drainMethodFor(policy);
  for (const pod of podsToRemove(policy.statefulSet, fromReplicas, target)) {
    const ordinal = podOrdinal(policy.statefulSet, pod)!;
    const found = await preflight(op, policy, pod);

    op.enter('excluding', pod);
    const hold = await method.hold(op, policy, pod, found);

    if (found.masterEligible && patched('voting-exclusion')) await excludeFromVoting(op, policy.cluster, pod);

    await drainThenShrink(op, policy, pod, ordinal, method, hold);

    op.enter('waiting-pod-gone', pod);
    await waitUntilGone(policy, pod);
    op.podRemoved(pod);
    if (op.votingExclusion === pod) await clearVotingExclusion(op, policy.cluster);

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

async function preflight(op: OperationState, policy: ClusterPolicy, pod: string): Promise<PreflightOutcome> {
  op.enter('preflight', pod);
  const result: NodePreflight | LegacyZonePreflight = await summarised(calls.preflightNode, `pre-flight ${pod}`, policy.cluster, pod, policy.preflight);
  if (!('capacity' in result)) return legacyPreflight(op, policy, pod, result);
  const { capacity, exclusions, nodeIp, nodeZone } = result;
  op.preflightDone(capacity, nodeZone);
  op.note(`pre-flight ${capacity.verdict === 'ok' ? 'ok' : capacity.verdict.toUpperCase()}: ${capacity.summary}`);
  if (capacity.verdict === 'blocked') {
    throw ApplicationFailure.nonRetryable(`pre-flight refused to drain ${pod}: ${refusal(capacity)}`, 'PreflightRefused', capacity);
  }
  const entry = exclusionEntryFor(pod, nodeIp, policy);
  return { entry, alreadyExcluded: exclusions[entry.attribute]?.includes(entry.value) ?? false, masterEligible: capacity.masterEligible };
}

interface PreflightOutcome {
  entry: OwnedExclusion;
  alreadyExcluded: boolean;
  /** The policy allowed removing a master-eligible node: it leaves the voting configuration first. */
  masterEligible: boolean;
}

/** The checks that refuse, each with its numbers, and the policy field that would change it. */
function refusal(capacity: CapacityVerdict): string {
  const blocking = capacity.findings.filter((f) => f.outcome === 'blocks');
  const why = (f: CapacityVerdict['findings'][number]) => (f.absolute ? `refused whatever preflight.${f.check} says` : `preflight.${f.check} is "refuse"`);
  return `${blocking.map((f) => `${f.check}: ${f.message} (${why(f)})`).join('; ')}; ${capacity.numbers.copiesToMove} copies (${formatByteSize(capacity.numbers.bytesToMove)}) to move`;
}

/**
 * The zone-only pre-flight result that histories recorded before the capacity pre-flight, replayed as it was
 * decided then: only "ok" passed unless the loaded policy's awarenessPolicy was "allow".
 */
interface LegacyZonePreflight {
  verdict: string;
  summary: string;
  exclusions: Record<string, string[]>;
  nodeIp?: string;
}

function legacyPreflight(op: OperationState, policy: ClusterPolicy, pod: string, result: LegacyZonePreflight): PreflightOutcome {
  op.note(`pre-flight ${result.verdict === 'ok' ? 'ok' : 'WARNING'}: ${result.summary}`);
  if (result.verdict !== 'ok' && (policy as { awarenessPolicy?: string }).awarenessPolicy !== 'allow') {
    throw ApplicationFailure.nonRetryable(`pre-flight refused to drain ${pod}: ${result.summary} (awarenessPolicy is "refuse")`, 'PreflightRefused', result);
  }
  const entry = exclusionEntryFor(pod, result.nodeIp, policy);
  return { entry, alreadyExcluded: result.exclusions[entry.attribute]?.includes(entry.value) ?? false, masterEligible: false };
}

function exclusionEntryFor(pod: string, nodeIp: string | undefined, policy: ClusterPolicy): OwnedExclusion {
  if (policy.exclusionAttribute === '_name') return { attribute: '_name', value: pod, pod };
  if (!nodeIp) throw ApplicationFailure.nonRetryable(`no Elasticsearch node named ${pod} to exclude by _ip`, 'NodeNotFound');
  return { attribute: '_ip', value: nodeIp, pod };
}
