// Scale-in, one node at a time from the highest ordinal, as the runbook says:
// pre-flight → exclude → drain → shrink the StatefulSet → wait until the pod is gone → remove
// the exclusion this operation added.
import { ApplicationFailure } from '@temporalio/workflow';
import { formatEntry, type ExclusionEntry } from '../domain/exclusion-list.js';
import { excludedNodeNames } from '../domain/drain-sequence.js';
import { podsToRemove, podOrdinal } from '../domain/scale-plan.js';
import { preflightAllows, preflightDrain } from '../domain/zone-preflight.js';
import { calls, watchers } from './activity-proxies.js';
import { drainNode } from './drain.js';
import type { OperationState } from './operation-state.js';
import type { AllocationState, ClusterPolicy } from './types.js';
import { repeatUntil } from './waiting.js';

export async function scaleIn(op: OperationState, policy: ClusterPolicy, fromReplicas: number, target: number): Promise<void> {
  for (const pod of podsToRemove(policy.statefulSet, fromReplicas, target)) {
    const ordinal = podOrdinal(policy.statefulSet, pod)!;
    const state = await preflight(op, policy, pod);
    const entry = exclusionEntryFor(pod, state, policy);

    op.enter('excluding', pod);
    const alreadyExcluded = state.exclusions[entry.attribute]?.includes(entry.value) ?? false;
    if (!alreadyExcluded) {
      op.own(entry);
      await calls.addExclusion(policy.cluster, entry);
      op.note(`excluded ${formatEntry(entry)} from shard allocation`);
    }

    await drainNode(op, policy, pod);

    op.enter('shrinking', pod);
    await calls.setReplicas(policy.cluster, { expected: ordinal + 1, replicas: ordinal });
    op.note(`StatefulSet scaled to ${ordinal} replicas`);

    op.enter('waiting-pod-gone', pod);
    await waitUntilGone(policy, pod);
    op.status.removedPods.push(pod);

    if (!alreadyExcluded) {
      op.enter('cleaning-up', pod);
      await calls.removeExclusion(policy.cluster, entry);
      op.release(entry, false);
      op.note(`${pod} removed; its exclusion ${formatEntry(entry)} cleaned up`);
    }
  }
}

async function preflight(op: OperationState, policy: ClusterPolicy, pod: string): Promise<AllocationState> {
  op.enter('preflight', pod);
  const state = await calls.readAllocationState(policy.cluster);
  const result = preflightDrain({
    node: pod,
    nodes: state.nodes,
    shards: state.shards,
    awareness: state.awareness,
    excludedNodes: excludedNodeNames(state.nodes, state.exclusions),
  });
  op.status.preflight = result;
  op.note(`pre-flight ${result.verdict === 'ok' ? 'ok' : 'WARNING'}: ${result.summary}`);
  if (!preflightAllows(result, policy.awarenessPolicy)) {
    throw ApplicationFailure.nonRetryable(
      `pre-flight refused to drain ${pod}: ${result.summary} (awarenessPolicy is "refuse")`,
      'PreflightRefused',
      result,
    );
  }
  return state;
}

function exclusionEntryFor(pod: string, state: AllocationState, policy: ClusterPolicy): ExclusionEntry {
  if (policy.exclusionAttribute === '_name') return { attribute: '_name', value: pod };
  const node = state.nodes.find((n) => n.name === pod);
  if (!node) throw ApplicationFailure.nonRetryable(`no Elasticsearch node named ${pod} to exclude by _ip`, 'NodeNotFound');
  return { attribute: '_ip', value: node.ip };
}

/** The pod object is gone and its Elasticsearch node has left the cluster. */
async function waitUntilGone(policy: ClusterPolicy, pod: string): Promise<void> {
  const watch = watchers(policy.pollIntervalMs);
  const request = { cluster: policy.cluster, pollIntervalMs: policy.pollIntervalMs, returnAfterMs: 30_000 };
  await repeatUntil(() => watch.waitForPodGone({ ...request, pod }), ({ gone }) => gone);
  await repeatUntil<{ matching: number }>(
    (last) => watch.watchNodes({ ...request, names: [pod], present: false, lastMatching: last?.matching }),
    ({ matching }) => matching === 1,
  );
}
