// A test world on REAL Elasticsearch nodes: a RealCluster (simulated Kubernetes StatefulSet whose pods
// are Elasticsearch processes), a config naming it, and an es-scaler worker (in this process) on the
// shared Temporal dev server. The cluster is started once per describe block and outlives the worlds.
import { randomUUID } from 'node:crypto';
import { NativeConnection } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { defineConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { clusterWorkflowIdOf, submitTarget } from '../../src/client/submit-target.js';
import type { RealCluster } from '../../src/sandbox/real-nodes/index.js';
import { createScalerWorker } from '../../src/worker/worker.js';
import { WORKFLOW_BUNDLE_PATH } from '../../src/worker/workflow-bundle.js';
import type { clusterWorkflow, scaleOperation } from '../../src/workflows/index.js';
import type { ClusterStatus, OperationStatus } from '../../src/workflows/types.js';
import { eventually } from './eventually.js';
import { sharedTemporal } from './temporal.js';

export const REAL_CLUSTER = 'real';

type ClusterInput = ConfigInput['clusters'][string];

export class RealWorld {
  private worker?: { close: () => Promise<void> };

  private constructor(
    readonly cluster: RealCluster,
    readonly config: Config,
    readonly temporal: Awaited<ReturnType<typeof sharedTemporal>>,
  ) {}

  /** A world (own task queue) on `cluster`, with its worker running. */
  static async start(cluster: RealCluster, policy: Partial<ClusterInput> = {}): Promise<RealWorld> {
    const temporal = await sharedTemporal();
    const config = defineConfig({
      temporal: { address: temporal.server.address, namespace: temporal.server.namespace, taskQueue: `es-scaler-real-${randomUUID().slice(0, 8)}` },
      clusters: {
        [REAL_CLUSTER]: {
          kubernetes: { namespace: cluster.namespace, statefulSet: cluster.statefulSet, apiServer: cluster.k8sUrl },
          elasticsearch: { url: cluster.esUrl },
          minReplicas: 3,
          maxReplicas: 6,
          pollInterval: '500ms',
          stallAfter: '60s',
          ...policy,
        },
      },
    });
    const world = new RealWorld(cluster, config, temporal);
    await world.startWorker();
    return world;
  }

  get client() {
    return this.temporal.client;
  }

  private async startWorker(): Promise<void> {
    const connection = await NativeConnection.connect({ address: this.config.temporal.address });
    const { worker, connections } = await createScalerWorker({
      config: this.config,
      connection,
      client: this.client,
      namespace: this.config.temporal.namespace,
      taskQueue: this.config.temporal.taskQueue,
      shutdownGraceTime: '2s',
      workflowBundlePath: WORKFLOW_BUNDLE_PATH,
    });
    const running = worker.run();
    this.worker = {
      close: async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connections.close();
        await connection.close();
      },
    };
  }

  submit(replicas: unknown, source = 'test') {
    return submitTarget(this.client, this.config, { cluster: REAL_CLUSTER, replicas, source });
  }

  clusterHandle(): WorkflowHandle<typeof clusterWorkflow> {
    return this.client.workflow.getHandle(clusterWorkflowIdOf(this.config, REAL_CLUSTER));
  }

  operationHandle(workflowId: string): WorkflowHandle<typeof scaleOperation> {
    return this.client.workflow.getHandle(workflowId);
  }

  clusterStatus(): Promise<ClusterStatus> {
    return this.clusterHandle().query<ClusterStatus>('status');
  }

  /** The status of the operation now running, once there is one matching `accept`. */
  async runningOperation(accept: (status: OperationStatus) => boolean = () => true, timeoutMs = 60_000) {
    return eventually(
      'a running operation in the expected state',
      async () => {
        const running = (await this.clusterStatus()).running;
        if (!running) return undefined;
        const status = await this.operationHandle(running.workflowId).query<OperationStatus>('status');
        return accept(status) ? { workflowId: running.workflowId, status } : undefined;
      },
      timeoutMs,
      200,
    );
  }

  /** Waits until the cluster workflow has finished `count` operations and returns them. */
  async finishedOperations(count: number, timeoutMs = 180_000) {
    return eventually(
      `${count} finished operation(s)`,
      async () => {
        const { history } = await this.clusterStatus();
        return history.length >= count ? history : undefined;
      },
      timeoutMs,
      250,
    );
  }

  /** Ends this world's workflows and worker; the cluster stays up for the next test. */
  async close(): Promise<void> {
    await this.clusterHandle().terminate('test over').catch(() => undefined);
    await this.worker?.close();
  }
}
