// The Elasticsearch StatefulSet of the test world, a real apps/v1 object reconciled by the real
// StatefulSet controller, and the placement of its first pods in the zones a scenario names.
import { AppsV1Api, CoreV1Api, type V1Pod, type V1StatefulSet } from '@kubernetes/client-node';
import { eventually } from '../eventually.js';
import type { ControlPlane } from './control-plane.js';

export type PodManagementPolicy = 'OrderedReady' | 'Parallel';

export function elasticsearchStatefulSet(name: string, podManagementPolicy: PodManagementPolicy): V1StatefulSet {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, labels },
    spec: {
      replicas: 0,
      serviceName: name,
      podManagementPolicy,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        // kwok plays the kubelet: the image is never pulled; the test kubelet runs the node
        spec: { containers: [{ name: 'elasticsearch', image: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.4' }] },
      },
    },
  };
}

export function labelSelectorOf(set: V1StatefulSet): string {
  return Object.entries(set.spec!.selector.matchLabels!)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * Grows the StatefulSet one pod at a time to `zones.length`, with only the node of `zones[i]`
 * schedulable while pod i is created, so that the real scheduler puts pod i in that zone. All
 * nodes are schedulable again afterwards.
 */
export async function placePods(cp: ControlPlane, namespace: string, name: string, zones: string[]): Promise<void> {
  const core = cp.admin.makeApiClient(CoreV1Api);
  const apps = cp.admin.makeApiClient(AppsV1Api);
  const cordonAllBut = async (zone: string | undefined) => {
    for (const [nodeZone, node] of Object.entries(cp.nodes)) {
      const unschedulable = zone !== undefined && nodeZone !== zone;
      await core.patchNode({ name: node, body: [{ op: 'replace', path: '/spec/unschedulable', value: unschedulable }] });
    }
  };
  try {
    for (const [ordinal, zone] of zones.entries()) {
      if (!cp.nodes[zone]) throw new Error(`zone ${zone} has no node (nodes: ${Object.keys(cp.nodes).join(', ')})`);
      await cordonAllBut(zone);
      await apps.patchNamespacedStatefulSetScale({ name, namespace, body: [{ op: 'replace', path: '/spec/replicas', value: ordinal + 1 }] });
      await eventually(
        `pod ${name}-${ordinal} Running on ${cp.nodes[zone]}`,
        async () => {
          const pod = await core.readNamespacedPod({ name: `${name}-${ordinal}`, namespace }).catch(() => undefined);
          const nodeName = pod?.spec?.nodeName;
          if (nodeName && nodeName !== cp.nodes[zone] && !pod.metadata?.deletionTimestamp) {
            // The scheduler decided before its cache saw the cordon: delete, the controller recreates it.
            await core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace, gracePeriodSeconds: 0 });
            return false;
          }
          return isRunning(pod) && nodeName === cp.nodes[zone];
        },
        30_000,
        100,
      );
    }
  } finally {
    await cordonAllBut(undefined);
  }
}

export function isRunning(pod: V1Pod | undefined): boolean {
  return pod?.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp;
}
