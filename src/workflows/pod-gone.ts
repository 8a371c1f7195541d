// Waits until a pod object is gone and its Elasticsearch node has left the cluster. Bounded by
// stallAfter: a pod stuck Terminating (a finalizer, a dead kubelet) fails the wait with that reason.
// For cleanup, `podObjectOptional`: when the pod cannot be read (no permission), the node having
// left Elasticsearch is what makes un-excluding it safe, and that is still awaited.
import { summarised, watchers } from './activity-proxies.js';
import { hasFailureType, isPermanent } from './failures.js';
import type { ClusterPolicy } from './types.js';
import { repeatUntil } from './waiting.js';

export async function waitUntilGone(policy: ClusterPolicy, pod: string, options: { podObjectOptional?: boolean } = {}): Promise<void> {
  const watch = watchers(policy.pollIntervalMs);
  const request = { cluster: policy.cluster, pollIntervalMs: policy.pollIntervalMs };
  const bound = (what: string) => ({ limitMs: policy.stallAfterMs, pollIntervalMs: policy.pollIntervalMs, what });
  await repeatUntil<{ gone: boolean }>(
    (_last, returnAfterMs) => summarised(watch.waitForPodGone, `wait for pod ${pod} to be deleted`, { ...request, returnAfterMs, pod }),
    ({ gone }) => gone,
    bound(`pod ${pod} to be deleted`),
  ).catch((err: unknown) => {
    if (!options.podObjectOptional || !isPermanent(err) || hasFailureType(err, 'WaitTimedOut')) throw err;
  });
  await repeatUntil<{ matching: number }>(
    (last, returnAfterMs) => watch.watchNodes({ ...request, returnAfterMs, names: [pod], present: false, lastMatching: last?.matching }),
    ({ matching }) => matching === 1,
    bound(`Elasticsearch node ${pod} to leave the cluster`),
  );
}
