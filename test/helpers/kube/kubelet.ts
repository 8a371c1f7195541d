// The "kubelet" of the test world: kwok marks pods Running on fake nodes, but nothing runs in them.
// This watches the real StatefulSet's pods and, for each pod Running on a node with an IP, starts
// an Elasticsearch node for it (named after the pod, in its node's zone) through the NodeRuntime it
// is given: a node of the simulated cluster, or a real process (startRealNodes); when the pod starts
// terminating, its node stops, as a real kubelet would stop the container (a finalizer only keeps
// the pod object, not the process).
import { CoreV1Api, makeInformer, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { NodeRuntime, PodInfo } from '../../../src/sandbox/index.js';
import { ZONE_LABEL } from './control-plane.js';

export interface TestKubelet {
  /** Names of the pods whose Elasticsearch node runs now (its start has finished). */
  running(): string[];
  stop(): Promise<void>;
}

export async function startTestKubelet(kubeConfig: KubeConfig, namespace: string, labelSelector: string, runtime: NodeRuntime): Promise<TestKubelet> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const zones = new Map<string, string>();
  const zoneOf = async (nodeName: string): Promise<string> => {
    if (!zones.has(nodeName)) zones.set(nodeName, (await core.readNode({ name: nodeName })).metadata?.labels?.[ZONE_LABEL] ?? '');
    return zones.get(nodeName)!;
  };
  const running = new Map<string, { uid: string; info: PodInfo; started: boolean }>();
  let errors: unknown[] = [];
  // Events are handled one after the other, so a stop never overtakes the start before it.
  let queue = Promise.resolve();
  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(work).catch((err: unknown) => void errors.push(err));
  };

  const sync = (pod: V1Pod, deleted: boolean) =>
    enqueue(async () => {
      const name = pod.metadata?.name ?? '';
      const uid = pod.metadata?.uid ?? '';
      const current = running.get(name);
      const wantsRunning = !deleted && !pod.metadata?.deletionTimestamp && pod.status?.phase === 'Running' && !!pod.status.podIP && !!pod.spec?.nodeName;
      if (current && (current.uid !== uid || !wantsRunning)) {
        running.delete(name);
        await runtime.stop(current.info);
      }
      if (wantsRunning && !running.has(name)) {
        const info: PodInfo = {
          name,
          ordinal: Number(/-(\d+)$/.exec(name)?.[1] ?? -1),
          zone: await zoneOf(pod.spec!.nodeName!),
          nodeName: pod.spec!.nodeName!,
          ip: pod.status!.podIP!,
        };
        const entry = { uid, info, started: false };
        running.set(name, entry); // before the start ends, so that a failed start is still stopped
        await runtime.start(info);
        entry.started = true;
      }
    });

  const path = `/api/v1/namespaces/${namespace}/pods`;
  const informer = makeInformer<V1Pod>(kubeConfig, path, () => core.listNamespacedPod({ namespace, labelSelector }), labelSelector);
  informer.on('add', (pod) => sync(pod, false));
  informer.on('update', (pod) => sync(pod, false));
  informer.on('delete', (pod) => sync(pod, true));
  let stopped = false;
  informer.on('error', () => {
    // the watch ended (e.g. its timeout): list and watch again
    if (!stopped) setTimeout(() => void informer.start().catch(() => undefined), 200);
  });
  await informer.start();

  return {
    running: () => {
      if (errors.length > 0) {
        const first = errors[0];
        errors = [];
        throw first instanceof Error ? first : new Error(String(first));
      }
      return [...running.entries()]
        .filter(([, entry]) => entry.started)
        .map(([name]) => name)
        .sort();
    },
    stop: async () => {
      stopped = true;
      await informer.stop();
      await queue;
    },
  };
}
