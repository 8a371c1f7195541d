// The StatefulSet's pods with their zones, for `es-scaler plan`. It runs with the operator's
// kubeconfig (list pods, get nodes), which the in-cluster worker's Role does not grant.
import type { KubernetesTarget } from '../activities/connections.js';

const ZONE_LABEL = 'topology.kubernetes.io/zone';

export interface PodView {
  name: string;
  zone?: string;
  ip?: string;
  phase?: string;
  terminating: boolean;
}

export async function listStatefulSetPods({ apps, core, namespace, statefulSet }: KubernetesTarget): Promise<PodView[]> {
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
