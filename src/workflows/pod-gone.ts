// Waits until a pod object is gone and its Elasticsearch node has left the cluster. Bounded by
// stallAfter: a pod stuck Terminating (a finalizer, a dead kubelet) fails the wait with that reason.
import { watchers } from './activity-proxies.js';
import type { ClusterPolicy } from './types.js';
import { repeatUntil, watchSlice } from './waiting.js';

export async function waitUntilGone(policy: ClusterPolicy, pod: string): Promise<void> {
  const watch = watchers(policy.pollIntervalMs);
  const request = { cluster: policy.cluster, pollIntervalMs: policy.pollIntervalMs, returnAfterMs: watchSlice(policy.pollIntervalMs) };
  await repeatUntil(() => watch.waitForPodGone({ ...request, pod }), ({ gone }) => gone, { limitMs: policy.stallAfterMs, what: `pod ${pod} to be deleted` });
  await repeatUntil<{ matching: number }>(
    (last) => watch.watchNodes({ ...request, names: [pod], present: false, lastMatching: last?.matching }),
    ({ matching }) => matching === 1,
    { limitMs: policy.stallAfterMs, what: `Elasticsearch node ${pod} to leave the cluster` },
  );
}
