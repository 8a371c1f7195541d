// Scale-out: grow the StatefulSet, wait until the new Elasticsearch nodes have joined, then wait
// until cluster health is back to what it was before.
import { healthAtLeast } from '../domain/health.js';
import { podsToAdd } from '../domain/scale-plan.js';
import { calls, watchers } from './activity-proxies.js';
import type { OperationState } from './operation-state.js';
import type { ClusterHealth } from '../domain/health.js';
import type { ClusterPolicy } from './types.js';
import { repeatUntil } from './waiting.js';

export async function scaleOut(
  op: OperationState,
  policy: ClusterPolicy,
  fromReplicas: number,
  target: number,
  healthBefore: ClusterHealth,
): Promise<void> {
  const added = podsToAdd(policy.statefulSet, fromReplicas, target);
  const watch = watchers(policy.pollIntervalMs);
  const request = { cluster: policy.cluster, pollIntervalMs: policy.pollIntervalMs, returnAfterMs: 30_000 };

  op.enter('growing');
  await calls.setReplicas(policy.cluster, { expected: fromReplicas, replicas: target });
  op.note(`StatefulSet scaled to ${target} replicas`);

  op.enter('waiting-nodes');
  await repeatUntil<{ matching: number }>(
    (last) => watch.watchNodes({ ...request, names: added, present: true, lastMatching: last?.matching }),
    ({ matching }) => matching === added.length,
    ({ matching }) => {
      op.status.addedPods = added.slice(0, matching);
      op.note(`${matching}/${added.length} new nodes joined`);
    },
  );

  op.enter('waiting-health');
  const { health } = await repeatUntil(
    () => watch.watchHealth({ ...request, atLeast: healthBefore }),
    ({ health }) => healthAtLeast(health, healthBefore),
  );
  op.note(`cluster health ${health}`);
}
