// Starting and stopping everything the demo runs, on loopback: the Temporal dev server with its
// UI, the simulated Kubernetes + Elasticsearch cluster(s), and an es-scaler worker in this process.
// Everything started is registered in a Resources list and stopped in reverse order, on success,
// failure, Ctrl-C or SIGTERM; child processes are also killed if this process exits anyway.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { ClusterConnections } from '../activities/connections.js';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { startSandbox, type Sandbox, type Scenario } from '../sandbox/index.js';
import { startDevServer, type DevServer } from '../temporal/dev-server.js';
import { packageRoot } from '../util/paths.js';
import { createScalerWorker } from '../worker/worker.js';
import { WORKFLOW_BUNDLE_PATH } from '../worker/workflow-bundle.js';
import type { Pace } from './options.js';
import { DEMO_CLUSTER, MORNING_REPLICAS, NIGHT_REPLICAS } from './topology.js';

export const DEMO_DIR = join(packageRoot, '.cache', 'demo');
export const DEMO_CONFIG_FILE = join(DEMO_DIR, 'es-scaler.yaml');
export const TASK_QUEUE = 'es-scaler';

/**
 * Things to stop, newest first. Something that finishes starting after stopAll() (a start the
 * demo stopped waiting for on Ctrl-C) is stopped as soon as it is added.
 */
export class Resources {
  private readonly stops: { what: string; stop: () => Promise<void> }[] = [];
  private closed = false;

  add(what: string, stop: () => Promise<void>): void {
    if (this.closed) void stop().catch(() => undefined);
    else this.stops.push({ what, stop });
  }

  /** Stops each in turn; one that takes longer than `patienceMs` is left behind (and reported). */
  async stopAll(onError: (what: string, err: unknown) => void, patienceMs = 15_000): Promise<void> {
    this.closed = true;
    for (let next = this.stops.pop(); next; next = this.stops.pop()) {
      try {
        const stopped = next.stop().then(() => true);
        if (!(await Promise.race([stopped, sleep(patienceMs, false, { ref: false })]))) {
          throw new Error(`still not stopped after ${patienceMs / 1000}s`);
        }
      } catch (err) {
        onError(next.what, err);
      }
    }
  }
}

/** `work`, unless `signal` aborts first: then the abort reason (the work goes on unobserved). */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export interface TemporalSide {
  server: DevServer;
  client: Client;
  startedAt: number;
  readyAt: number;
}

export async function startTemporal(resources: Resources): Promise<TemporalSide> {
  const startedAt = Date.now();
  const server = await startDevServer({ ui: true, ownProcessGroup: true });
  resources.add('Temporal dev server', () => server.stop());
  const connection = await Connection.connect({ address: server.address });
  resources.add('Temporal client connection', () => connection.close());
  return { server, client: new Client({ connection, namespace: server.namespace }), startedAt, readyAt: Date.now() };
}

export async function startSimulatedCluster(resources: Resources, scenario: Scenario, what: string): Promise<Sandbox> {
  const sandbox = await startSandbox(scenario);
  resources.add(what, () => sandbox.close());
  return sandbox;
}

/**
 * The config file a user would keep for this cluster, written where `--keep-running` tells people
 * to point the CLI, then read back through the same loader the CLI and the worker use.
 */
export async function writeDemoConfig(temporal: DevServer, sandbox: Sandbox, scenario: Scenario, pace: Pace): Promise<{ file: string; config: Config }> {
  const file = {
    temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue: TASK_QUEUE },
    clusters: {
      [DEMO_CLUSTER]: {
        kubernetes: { namespace: scenario.namespace, statefulSet: scenario.statefulSet, apiServer: sandbox.k8sUrl, tokenFile: sandbox.k8sTokenFile },
        elasticsearch: { url: sandbox.esUrl },
        minReplicas: NIGHT_REPLICAS,
        maxReplicas: 10,
        preflight: { awareness: 'warn' },
        pollInterval: pace.pollInterval,
        stallAfter: pace.stallAfter,
        schedules: [
          { name: 'night', cron: '0 22 * * *', timezone: 'Europe/Berlin', replicas: NIGHT_REPLICAS },
          { name: 'morning', cron: '30 5 * * *', timezone: 'Europe/Berlin', replicas: MORNING_REPLICAS },
        ],
      },
    },
  };
  const header = [
    '# Written by `es-scaler demo` for the simulated incident cluster; valid while the demo runs.',
    '# preflight.awareness "warn" lets the night scale-in try the drain that cannot finish, to show the',
    '# stall; the default, "refuse", stops it at the pre-flight. stallAfter is long so the morning',
    '# target arrives while the drain is stuck, as on the incident night.',
  ].join('\n');
  await mkdir(DEMO_DIR, { recursive: true });
  await writeFile(DEMO_CONFIG_FILE, `${header}\n${stringify(file)}`);
  return { file: DEMO_CONFIG_FILE, config: await loadConfigFile(DEMO_CONFIG_FILE) };
}

/** The config file's path as `npm run cli` (run from the package root) can use it. */
export function configFileForCli(): string {
  return relative(packageRoot, DEMO_CONFIG_FILE);
}

let runtimeInstalled = false;

/** Only the worker's warnings and errors reach the terminal; the narration is the demo's. */
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({
    logger: new DefaultLogger('ERROR', ({ level, message }) => process.stderr.write(`worker ${level}: ${message}\n`)),
    telemetryOptions: { logging: { forward: {}, filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  runtimeInstalled = true;
}

export interface RunningWorker {
  connections: ClusterConnections;
}

/**
 * The es-scaler worker, in this process. `onCrash` hears about a worker that stops by itself;
 * stopping it through `resources` is a graceful shutdown.
 */
export async function startWorker(resources: Resources, config: Config, client: Client, onCrash: (err: unknown) => void): Promise<RunningWorker> {
  installQuietRuntime();
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  resources.add('worker connection', () => connection.close());
  const { worker, connections } = await createScalerWorker({
    config,
    connection,
    client,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    shutdownGraceTime: '2s',
    workflowBundlePath: WORKFLOW_BUNDLE_PATH,
  });
  resources.add('worker cluster clients', () => connections.close());
  let stopping = false;
  const running = worker.run().catch((err: unknown) => {
    if (!stopping) onCrash(err);
  });
  resources.add('es-scaler worker', async () => {
    stopping = true;
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });
  return { connections };
}
