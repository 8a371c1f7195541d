// What every test world shares: a config for one cluster on the shared Temporal dev server, an
// in-process es-scaler worker, and the ways a test submits targets and watches the workflows.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { stringify } from 'yaml';
import type { WorkflowHandle } from '@temporalio/client';
import { defineConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { clusterWorkflowIdOf, submitTarget } from '../../src/temporal/submit-target.js';
import { createScalerWorker } from '../../src/worker/worker.js';
import { WORKFLOW_BUNDLE_PATH } from '../../src/worker/workflow-bundle.js';
import type { clusterWorkflow, scaleOperation } from '../../src/workflows/index.js';
import type { ClusterStatus, OperationStatus } from '../../src/workflows/types.js';
import { eventually } from './eventually.js';
import { sharedTemporal } from './temporal.js';
import { WorkerProcess } from './worker-process.js';

export type ClusterInput = ConfigInput['clusters'][string];
type SharedTemporal = Awaited<ReturnType<typeof sharedTemporal>>;

export interface HarnessTarget {
  cluster: string;
  taskQueue: string;
  kubernetes: ClusterInput['kubernetes'];
  elasticsearchUrl: string;
  /** Test defaults first, then the test's own settings. */
  policy: Partial<ClusterInput>;
}

/** A config for one cluster on the shared dev server, validated like a user's file. */
export async function harnessConfig(target: HarnessTarget): Promise<{ config: Config; temporal: SharedTemporal }> {
  const temporal = await sharedTemporal();
  const config = defineConfig({
    temporal: { address: temporal.server.address, namespace: temporal.server.namespace, taskQueue: target.taskQueue },
    clusters: {
      [target.cluster]: {
        kubernetes: target.kubernetes,
        elasticsearch: { url: target.elasticsearchUrl },
        minReplicas: 3,
        maxReplicas: 10,
        ...target.policy,
      } as ClusterInput,
    },
  });
  return { config, temporal };
}

export class Harness {
  private inProcessWorker?: { close: () => Promise<void> };
  private workerProcess?: WorkerProcess;

  constructor(
    readonly cluster: string,
    readonly config: Config,
    readonly temporal: SharedTemporal,
    /** How often the helpers below poll the workflows. */
    private readonly pollMs = 100,
  ) {}

  get client() {
    return this.temporal.client;
  }

  async startWorker(): Promise<void> {
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
    this.inProcessWorker = {
      close: async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connections.close();
        await connection.close();
      },
    };
  }

  /** Writes the config as the YAML file a user would keep (durations as text) into `dir`. */
  async writeConfigFileIn(dir: string): Promise<string> {
    const file = join(dir, 'es-scaler.yaml');
    const cluster = this.config.clusters[this.cluster]!;
    const asFile = {
      temporal: this.config.temporal,
      clusters: { [this.cluster]: { ...cluster, pollInterval: `${cluster.pollInterval}ms`, stallAfter: `${cluster.stallAfter}ms`, scheduleJitter: `${cluster.scheduleJitter}ms` } },
    };
    await writeFile(file, stringify(asFile));
    return file;
  }

  /** The worker as its own process, as it runs in production (crash and shutdown tests); resolves once it polls. */
  async startWorkerProcessWith(configFile: string, env: NodeJS.ProcessEnv = {}, mainScript?: string): Promise<WorkerProcess> {
    const worker = await WorkerProcess.spawn(configFile, env, mainScript);
    this.workerProcess = worker;
    await worker.waitFor('worker polling');
    return worker;
  }

  async killWorkerProcess(): Promise<void> {
    this.workerProcess!.kill('SIGKILL');
    await this.workerProcess!.exited(5_000);
    this.workerProcess = undefined;
  }

  /** What the worker process logged so far (for failure messages). */
  workerOutput(): string {
    return this.workerProcess?.output ?? '';
  }

  /** A graceful stop (SIGTERM), as a rolling update stops the old worker. */
  async stopWorkerProcess(): Promise<void> {
    await this.workerProcess?.stop();
    this.workerProcess = undefined;
  }

  submit(replicas: unknown, source = 'test') {
    return submitTarget(this.client, this.config, { cluster: this.cluster, replicas, source });
  }

  clusterHandle(): WorkflowHandle<typeof clusterWorkflow> {
    return this.client.workflow.getHandle(clusterWorkflowIdOf(this.config, this.cluster));
  }

  operationHandle(workflowId: string): WorkflowHandle<typeof scaleOperation> {
    return this.client.workflow.getHandle(workflowId);
  }

  clusterStatus(): Promise<ClusterStatus> {
    return this.clusterHandle().query<ClusterStatus>('status');
  }

  /** The status of the operation now running, once there is one matching `accept`. */
  async runningOperation(accept: (status: OperationStatus) => boolean = () => true, timeoutMs = 30_000) {
    return eventually(
      'a running operation in the expected state',
      async () => {
        const running = (await this.clusterStatus()).running;
        if (!running) return undefined;
        const status = await this.operationHandle(running.workflowId).query<OperationStatus>('status');
        return accept(status) ? { workflowId: running.workflowId, status } : undefined;
      },
      timeoutMs,
      this.pollMs,
    );
  }

  /** Waits until the cluster workflow has finished `count` operations and returns them. */
  async finishedOperations(count: number, timeoutMs = 60_000) {
    return eventually(
      `${count} finished operation(s)`,
      async () => {
        const { history } = await this.clusterStatus();
        return history.length >= count ? history : undefined;
      },
      timeoutMs,
      this.pollMs,
    );
  }

  /** Ends this harness's workflows and its in-process worker. */
  async closeWorkflowsAndWorker(): Promise<void> {
    await this.clusterHandle().terminate('test over').catch(() => undefined);
    await this.inProcessWorker?.close();
  }
}
