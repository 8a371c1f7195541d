// Kubernetes I/O: the StatefulSet's scale subresource and its pods. The calls made here are exactly
// what deploy/kubernetes grants the worker: get/update statefulsets/scale and get pods.
import { ApplicationFailure } from '@temporalio/common';
import type { ClusterConnections, KubernetesTarget } from './connections.js';
import { watch } from './polling.js';

export function createKubernetesActivities(connections: ClusterConnections) {
  const k8s = (cluster: string) => connections.kubernetes(cluster);

  return {
    async readReplicas(cluster: string): Promise<number> {
      return readScale(await k8s(cluster)).then((scale) => scale.spec?.replicas ?? 0);
    },

    /**
     * Grows the StatefulSet, but only from `expected`: if someone else changed it in the meantime
     * the operation stops instead of overriding them. The write carries the read's
     * resourceVersion, so a concurrent change answers 409 and the activity retries.
     */
    async growReplicas(cluster: string, change: { expected: number; replicas: number }): Promise<void> {
      const target = await k8s(cluster);
      const scale = await readScale(target);
      const current = scale.spec?.replicas ?? 0;
      if (current === change.replicas) return;
      if (current !== change.expected) throw changedElsewhere(target, current, change.expected);
      await writeScale(target, scale, change.replicas);
    },

    /** Waits until the pod object is gone (not just terminating). */
    async waitForPodGone(request: { cluster: string; pod: string; pollIntervalMs: number; returnAfterMs: number }): Promise<{ gone: boolean }> {
      const target = await k8s(request.cluster);
      return watch({
        ...request,
        poll: async () => ({ gone: (await readPod(target, request.pod)) === undefined }),
        worthReporting: ({ gone }) => gone,
      });
    },

    /**
     * Whether `pod` exists, and whether it is on its way out (terminating, or above spec.replicas).
     * Without the StatefulSet (deleted, perhaps orphaning its pods) only the pod itself tells.
     */
    async podFate(cluster: string, pod: { name: string; ordinal: number }): Promise<{ exists: boolean; leaving: boolean }> {
      const target = await k8s(cluster);
      const [found, scale] = await Promise.all([readPod(target, pod.name), readScale(target).catch(orUndefinedIfNotFound)]);
      const aboveReplicas = scale !== undefined && pod.ordinal >= (scale.spec?.replicas ?? 0);
      return { exists: found !== undefined, leaving: found === undefined || aboveReplicas || !!found.metadata?.deletionTimestamp };
    },
  };
}

export type Scale = Awaited<ReturnType<KubernetesTarget['apps']['readNamespacedStatefulSetScale']>>;

export function readScale({ apps, namespace, statefulSet }: KubernetesTarget): Promise<Scale> {
  return apps.readNamespacedStatefulSetScale({ name: statefulSet, namespace });
}

export async function writeScale({ apps, namespace, statefulSet }: KubernetesTarget, scale: Scale, replicas: number): Promise<void> {
  await apps.replaceNamespacedStatefulSetScale({ name: statefulSet, namespace, body: { ...scale, spec: { ...scale.spec, replicas } } });
}

export function changedElsewhere({ namespace, statefulSet }: KubernetesTarget, current: number, expected: number): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `StatefulSet ${namespace}/${statefulSet} has ${current} replicas, expected ${expected}: changed by someone else, not overriding`,
    'ReplicasChangedElsewhere',
  );
}

async function readPod({ core, namespace }: KubernetesTarget, name: string) {
  return core.readNamespacedPod({ name, namespace }).catch(orUndefinedIfNotFound);
}

function orUndefinedIfNotFound(err: unknown): undefined {
  if ((err as { code?: number }).code === 404) return undefined;
  throw err;
}
