// Waits until a pod object is gone and its Elasticsearch node has left the cluster. Bounded by
// stallAfter: a pod stuck Terminating (a finalizer, a dead kubelet) fails the wait with that reason.
import { watchers } from './activity-proxies.js';
import type { ClusterPolicy } from './types.js';
import { repeatUntil } from './waiting.js';

export async function waitUntilGone(policy: ClusterPolicy, pod: string): Promise<void> {
  const watch = watchers(policy.pollIntervalMs);
  const request = { cluster: policy.cluster, pollIntervalMs: policy.pollIntervalMs };
  const bound = (what: string) => ({ limitMs: policy.stallAfterMs, pollIntervalMs: policy.pollIntervalMs, what });
  await repeatUntil<{ gone: boolean }>((_last, returnAfterMs) => watch.waitForPodGone({ ...request, returnAfterMs, pod }), ({ gone }) => gone, bound(`pod ${pod} to be deleted`));
  await repeatUntil<{ matching: number }>(
    (last, returnAfterMs) => watch.watchNodes({ ...request, returnAfterMs, names: [pod], present: false, lastMatching: last?.matching }),
    ({ matching }) => matching === 1,
    bound(`Elasticsearch node ${pod} to leave the cluster`),
  );
}
