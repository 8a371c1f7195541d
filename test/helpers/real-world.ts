// A test world on REAL Elasticsearch nodes: a RealCluster (simulated Kubernetes StatefulSet whose pods
// are Elasticsearch processes), a config naming it, and an es-scaler worker (in this process) on the
// shared Temporal dev server. The cluster is started once per describe block and outlives the worlds.
import { randomUUID } from 'node:crypto';
import type { RealCluster } from '../../src/sandbox/real-nodes/index.js';
import { Harness, harnessConfig, type ClusterInput } from './harness.js';

export const REAL_CLUSTER = 'real';

export class RealWorld extends Harness {
  /** A world (own task queue) on `cluster`, with its worker running. */
  static async start(cluster: RealCluster, policy: Partial<ClusterInput> = {}): Promise<RealWorld> {
    const { config, temporal } = await harnessConfig({
      cluster: REAL_CLUSTER,
      taskQueue: `es-scaler-real-${randomUUID().slice(0, 8)}`,
      kubernetes: { namespace: cluster.namespace, statefulSet: cluster.statefulSet, apiServer: cluster.k8sUrl, tokenFile: cluster.k8sTokenFile },
      elasticsearchUrl: cluster.esUrl,
      policy: { maxReplicas: 6, pollInterval: '500ms', stallAfter: '60s', ...policy },
    });
    const world = new RealWorld(REAL_CLUSTER, config, temporal, 250);
    await world.startWorker();
    return world;
  }

  /** Ends this world's workflows and worker; the cluster stays up for the next test. */
  close(): Promise<void> {
    return this.closeWorkflowsAndWorker();
  }
}
