// Scale-out: wait until no earlier incarnation of the new pods is still in the cluster, grow the
// StatefulSet, wait until the new Elasticsearch nodes have joined, then until cluster health is
// back to what it was. Never succeed while a new node's name is still excluded (a leftover entry).
import { ApplicationFailure, CancellationScope } from '@temporalio/workflow';
import { formatEntry, type ExclusionEntry } from '../domain/exclusion-list.js';
import { healthAtLeast, type ClusterHealth } from '../domain/health.js';
import { podsToAdd } from '../domain/scale-plan.js';
import { calls, watchers, writes } from './activity-proxies.js';
import type { OperationState } from './operation-state.js';
import type { ClusterPolicy } from './types.js';
import { repeatUntil } from './waiting.js';

export async function scaleOut(op: OperationState, policy: ClusterPolicy, fromReplicas: number, target: number): Promise<void> {
  const added = podsToAdd(policy.statefulSet, fromReplicas, target);
  const watch = watchers(policy.pollIntervalMs);
  const request = { cluster: policy.cluster, pollIntervalMs: policy.pollIntervalMs };
  const bound = (what: string) => ({ limitMs: policy.stallAfterMs, pollIntervalMs: policy.pollIntervalMs, what });
  const { health: healthBefore } = await calls.readExclusionsAndHealth(policy.cluster);

  const lingering = await calls.nodeIds(policy.cluster, added);
  if (lingering.length > 0) {
    op.enter('waiting-old-nodes-gone');
    op.note(`${lingering.length} node(s) named like the new pods are still in the cluster (leaving); waiting for them to go first`);
    await repeatUntil<{ matching: number }>(
      (last, returnAfterMs) => watch.watchNodes({ ...request, returnAfterMs, names: added, present: false, lastMatching: last?.matching }),
      ({ matching }) => matching === added.length,
      bound('the earlier nodes named like the new pods to leave'),
    );
  }

  op.enter('growing');
  await CancellationScope.nonCancellable(() => writes.growReplicas(policy.cluster, { expected: fromReplicas, replicas: target }));
  op.note(`StatefulSet scaled to ${target} replicas`);

  op.enter('waiting-nodes');
  await repeatUntil<{ matching: number }>(
    (last, returnAfterMs) => watch.watchNodes({ ...request, returnAfterMs, names: added, present: true, lastMatching: last?.matching }),
    ({ matching }) => matching === added.length,
    bound(`${added.length} new node(s) to join (a pod may be Pending)`),
    ({ matching }) => {
      op.podsJoined(added.slice(0, matching));
      op.note(`${matching}/${added.length} new nodes joined`);
    },
  );

  op.enter('waiting-health');
  const { health } = await repeatUntil<{ health: ClusterHealth }>(
    (_last, returnAfterMs) => watch.watchHealth({ ...request, returnAfterMs, atLeast: healthBefore }),
    ({ health }) => healthAtLeast(health, healthBefore),
    bound(`cluster health back to ${healthBefore}`),
  );
  op.note(`cluster health ${health}`);
  await refuseExcludedNewNodes(op, policy, added);
}

/** A new node whose name is still excluded gets no shards: remove the leftover (sweep) or fail with it. */
async function refuseExcludedNewNodes(op: OperationState, policy: ClusterPolicy, added: string[]): Promise<void> {
  const { exclusions } = await calls.readExclusionsAndHealth(policy.cluster);
  const excluded: ExclusionEntry[] = (exclusions._name ?? []).filter((name) => added.includes(name)).map((value) => ({ attribute: '_name', value }));
  if (excluded.length === 0) return;
  if (!policy.sweepStaleExclusions) {
    throw ApplicationFailure.nonRetryable(
      `new node(s) joined but are excluded from shard allocation by leftover entries ${excluded.map(formatEntry).join(', ')}: ` +
        'remove them (docs/runbook.md) or set sweepStaleExclusions: true',
      'NewNodesExcluded',
    );
  }
  for (const entry of excluded) {
    await CancellationScope.nonCancellable(() => writes.removeExclusion(policy.cluster, entry));
    op.swept(entry);
    op.note(`swept leftover exclusion ${formatEntry(entry)} of a new node`);
  }
}
