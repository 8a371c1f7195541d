// A test world: a sandbox cluster, a config naming it, and an es-scaler worker on the shared
// Temporal dev server (in this process, or as a child process that a test can kill or stop).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { defineConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { submitTarget, clusterWorkflowIdOf } from '../../src/client/submit-target.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { Scenario } from '../../src/sandbox/scenario.js';
import { createScalerWorker } from '../../src/worker/worker.js';
import { WORKFLOW_BUNDLE_PATH } from '../../src/worker/workflow-bundle.js';
import type { clusterWorkflow, scaleOperation } from '../../src/workflows/index.js';
import type { ClusterStatus, OperationStatus } from '../../src/workflows/types.js';
import { eventually } from './eventually.js';
import { sharedTemporal } from './temporal.js';
import { WorkerProcess } from './worker-process.js';

export const CLUSTER = 'production';

type ClusterInput = ConfigInput['clusters'][string];

export interface WorldOptions {
  scenario: Scenario;
  cluster?: Partial<ClusterInput>;
}

export class World {
  private inProcess?: { worker: Worker; running: Promise<void>; close: () => Promise<void> };
  private workerProcess?: WorkerProcess;

  private constructor(
    readonly sandbox: Sandbox,
    readonly config: Config,
    readonly temporal: Awaited<ReturnType<typeof sharedTemporal>>,
    private readonly tempDir: string,
  ) {}

  /** Each world gets its own namespace (so its own workflow ids) and task queue. */
  static async start(options: WorldOptions): Promise<World> {
    const namespace = `t-${randomUUID().slice(0, 8)}`;
    const sandbox = await startSandbox({ ...options.scenario, namespace });
    const temporal = await sharedTemporal();
    const config = defineConfig({
      temporal: { address: temporal.server.address, namespace: temporal.server.namespace, taskQueue: `es-scaler-${namespace}` },
      clusters: {
        [CLUSTER]: {
          kubernetes: { namespace, statefulSet: options.scenario.statefulSet, apiServer: sandbox.k8sUrl },
          elasticsearch: { url: sandbox.esUrl },
          minReplicas: 3,
          maxReplicas: 10,
          pollInterval: '200ms',
          stallAfter: '30s',
          ...options.cluster,
        },
      },
    });
    return new World(sandbox, config, temporal, await mkdtemp(join(tmpdir(), 'es-scaler-test-')));
  }

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
    this.inProcess = {
      worker,
      running,
      close: async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connections.close();
        await connection.close();
      },
    };
  }

  /** The worker as its own process (`node lib/src/worker/main.js`), for crash tests. */
  /** Writes the config as the YAML file a user would keep, for the worker and CLI processes. */
  async writeConfigFile(): Promise<string> {
    const configFile = join(this.tempDir, 'es-scaler.yaml');
    await writeFile(configFile, stringify(this.configAsFile()));
    return configFile;
  }

  /** The worker as its own process, for crash and shutdown tests; resolves once it polls. */
  async startWorkerProcess(env: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
    const worker = await WorkerProcess.spawn(await this.writeConfigFile(), env);
    this.workerProcess = worker;
    await worker.waitFor('worker polling');
    return worker;
  }

  async killWorkerProcess(): Promise<void> {
    this.workerProcess!.kill('SIGKILL');
    await this.workerProcess!.exited(5_000);
    this.workerProcess = undefined;
  }

  private configAsFile() {
    const cluster = this.config.clusters[CLUSTER]!;
    return {
      temporal: this.config.temporal,
      clusters: { [CLUSTER]: { ...cluster, pollInterval: `${cluster.pollInterval}ms`, stallAfter: `${cluster.stallAfter}ms` } },
    };
  }

  submit(replicas: unknown, source = 'test') {
    return submitTarget(this.client, this.config, { cluster: CLUSTER, replicas, source });
  }

  clusterHandle(): WorkflowHandle<typeof clusterWorkflow> {
    return this.client.workflow.getHandle(clusterWorkflowIdOf(this.config, CLUSTER));
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
      100,
    );
  }

  /** Waits until the cluster workflow has finished `count` operations and returns them. */
  async finishedOperations(count: number, timeoutMs = 60_000) {
    return eventually(`${count} finished operation(s)`, async () => {
      const { history } = await this.clusterStatus();
      return history.length >= count ? history : undefined;
    }, timeoutMs, 100);
  }

  async close(): Promise<void> {
    try {
      await this.clusterHandle().terminate('test over').catch(() => undefined);
      await this.inProcess?.close();
      await this.workerProcess?.stop();
    } finally {
      await this.sandbox.close();
      await rm(this.tempDir, { recursive: true, force: true });
    }
  }
}

/** For a describe block: returns `start`, and closes each test's world after it, pass or fail. */
export function worldPerTest(): (options: WorldOptions) => Promise<World> {
  let current: World | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options) => (current = await World.start(options));
}

/** Starts a scale-in whose drain cannot finish until relocations are released again. */
export async function holdDrainAt(world: World, replicas: number) {
  world.sandbox.faults.stallRelocations(true);
  await world.submit(replicas);
  return world.runningOperation((s) => s.phase === 'draining' && s.shardsLeft !== undefined);
}
