// Kubernetes I/O: the StatefulSet's scale subresource and its pods. The calls made here are exactly
// what deploy/kubernetes grants the worker: get statefulsets, get/update statefulsets/scale,
// get/list pods, get nodes.
import { ApplicationFailure } from '@temporalio/common';
import type { ClusterConnections, KubernetesTarget } from './connections.js';
import { watch } from './polling.js';

const ZONE_LABEL = 'topology.kubernetes.io/zone';

export interface PodView {
  name: string;
  zone?: string;
  ip?: string;
  phase?: string;
  terminating: boolean;
}

export function createKubernetesActivities(connections: ClusterConnections) {
  const k8s = (cluster: string) => connections.kubernetes(cluster);

  return {
    async readReplicas(cluster: string): Promise<number> {
      const { apps, namespace, statefulSet } = k8s(cluster);
      const scale = await apps.readNamespacedStatefulSetScale({ name: statefulSet, namespace });
      return scale.spec?.replicas ?? 0;
    },

    /**
     * Sets spec.replicas, but only from `expected`: if someone else changed the StatefulSet in the
     * meantime the operation stops instead of overriding them. The write carries the read's
     * resourceVersion, so a concurrent change answers 409 and the activity retries.
     */
    async setReplicas(cluster: string, change: { expected: number; replicas: number }): Promise<void> {
      const { apps, namespace, statefulSet } = k8s(cluster);
      const scale = await apps.readNamespacedStatefulSetScale({ name: statefulSet, namespace });
      const current = scale.spec?.replicas ?? 0;
      if (current === change.replicas) return;
      if (current !== change.expected) {
        throw ApplicationFailure.nonRetryable(
          `StatefulSet ${namespace}/${statefulSet} has ${current} replicas, expected ${change.expected}: changed by someone else, not overriding`,
          'ReplicasChangedElsewhere',
        );
      }
      await apps.replaceNamespacedStatefulSetScale({
        name: statefulSet,
        namespace,
        body: { ...scale, spec: { ...scale.spec, replicas: change.replicas } },
      });
    },

    async listPods(cluster: string): Promise<PodView[]> {
      return listStatefulSetPods(k8s(cluster));
    },

    /** Waits until the pod object is gone (not just terminating). */
    async waitForPodGone(request: { cluster: string; pod: string; pollIntervalMs: number; returnAfterMs: number }): Promise<{ gone: boolean }> {
      const { core, namespace } = k8s(request.cluster);
      return watch({
        ...request,
        poll: async () => ({ gone: !(await podExists(core, namespace, request.pod)) }),
        worthReporting: ({ gone }) => gone,
      });
    },
  };
}

async function listStatefulSetPods({ apps, core, namespace, statefulSet }: KubernetesTarget): Promise<PodView[]> {
  const set = await apps.readNamespacedStatefulSet({ name: statefulSet, namespace });
  const labelSelector = Object.entries(set.spec?.selector?.matchLabels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const pods = await core.listNamespacedPod({ namespace, labelSelector });
  const zones = new Map<string, string | undefined>();
  for (const nodeName of new Set(pods.items.map((p) => p.spec?.nodeName).filter((n): n is string => !!n))) {
    const node = await core.readNode({ name: nodeName });
    zones.set(nodeName, node.metadata?.labels?.[ZONE_LABEL]);
  }
  return pods.items.map((pod) => ({
    name: pod.metadata?.name ?? '',
    zone: pod.spec?.nodeName ? zones.get(pod.spec.nodeName) : undefined,
    ip: pod.status?.podIP,
    phase: pod.status?.phase,
    terminating: !!pod.metadata?.deletionTimestamp,
  }));
}

async function podExists(core: KubernetesTarget['core'], namespace: string, name: string): Promise<boolean> {
  try {
    await core.readNamespacedPod({ name, namespace });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return false;
    throw err;
  }
}
