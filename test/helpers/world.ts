// A test world: a sandbox cluster, a config naming it, and an es-scaler worker on the shared
// Temporal dev server (in this process, or as a child process that a test can kill).
import { spawn, type ChildProcess } from 'node:child_process';
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
import { stopProcess, track, waitForExit } from '../../src/util/child-processes.js';
import { packageRoot } from '../../src/util/paths.js';
import { freePort } from '../../src/util/ports.js';
import { createScalerWorker } from '../../src/worker/worker.js';
import { WORKFLOW_BUNDLE_PATH } from '../../src/worker/workflow-bundle.js';
import type { clusterWorkflow, scaleOperation } from '../../src/workflows/index.js';
import type { ClusterStatus, OperationStatus } from '../../src/workflows/types.js';
import { eventually } from './eventually.js';
import { sharedTemporal } from './temporal.js';

export const CLUSTER = 'production';

type ClusterInput = ConfigInput['clusters'][string];

export interface WorldOptions {
  scenario: Scenario;
  cluster?: Partial<ClusterInput>;
}

export class World {
  private inProcess?: { worker: Worker; running: Promise<void>; close: () => Promise<void> };
  private child?: ChildProcess;

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

  async startWorkerProcess(env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
    const configFile = await this.writeConfigFile();
    const child = track(
      spawn(process.execPath, [join(packageRoot, 'lib/src/worker/main.js')], {
        env: {
          ...process.env,
          ES_SCALER_CONFIG: configFile,
          ES_SCALER_SHUTDOWN_GRACE: '2s',
          ES_SCALER_LISTEN_HOST: '127.0.0.1',
          ES_SCALER_HEALTH_PORT: String(await freePort()),
          ES_SCALER_METRICS_PORT: String(await freePort()),
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await eventually('the worker process to poll', () => {
      if (child.exitCode !== null) throw new Error(`worker exited: ${output}`);
      return output.includes('worker polling');
    });
    this.child = child;
    return child;
  }

  async killWorkerProcess(): Promise<void> {
    const child = this.child!;
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
    this.child = undefined;
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
      if (this.child) await stopProcess(this.child);
    } finally {
      await this.sandbox.close();
      await rm(this.tempDir, { recursive: true, force: true });
    }
  }
}
