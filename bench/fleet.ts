// A fleet for one bench scenario: simulated clusters in this process (one sandbox each), a config
// file naming them all, and the es-scaler worker as its own process on the shared dev server.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { V1Deployment } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { submitTarget } from '../src/temporal/submit-target.js';
import { defineConfig } from '../src/config/load.js';
import type { Config, ConfigInput } from '../src/config/schema.js';
import { startSandbox, type Sandbox, type Scenario } from '../src/sandbox/index.js';
import { loadYamlDocuments } from '../src/deploy-check/manifests.js';
import { packageRoot } from '../src/util/paths.js';
import { WorkerProcess } from '../test/helpers/worker-process.js';

export interface FleetOptions {
  temporal: { address: string; namespace: string; client: Client };
  /** How many clusters, and what each looks like. */
  size: number;
  scenario: Omit<Scenario, 'namespace'>;
  /** Cluster settings as a config file writes them (pollInterval: "10s", ...). */
  cluster: Partial<ConfigInput['clusters'][string]>;
  /** Extra config sections (worker tuning), as a config file writes them. */
  extraConfig?: Record<string, unknown>;
  workerEnv?: NodeJS.ProcessEnv;
}

export interface FleetCluster {
  name: string;
  sandbox: Sandbox;
}

/** Starts that many sandboxes at a time: each binds two loopback servers and writes a token file. */
const START_CONCURRENCY = 25;

export class Fleet {
  private constructor(
    readonly clusters: FleetCluster[],
    readonly config: Config,
    readonly worker: WorkerProcess,
    /** Worker process spawn → /readyz answers 200. */
    readonly spawnToReadyMs: number,
    private readonly client: Client,
    private readonly dir: string,
  ) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    const tag = randomUUID().slice(0, 8);
    const dir = await mkdtemp(join(tmpdir(), 'es-scaler-bench-'));
    const clusters: FleetCluster[] = [];
    try {
      for (let next = 0; next < options.size; next += START_CONCURRENCY) {
        const batch = Array.from({ length: Math.min(START_CONCURRENCY, options.size - next) }, (_, i) => next + i);
        clusters.push(
          ...(await Promise.all(
            batch.map(async (i) => ({ name: `c${i}`, sandbox: await startSandbox({ ...options.scenario, namespace: `b${tag}-${i}` }) })),
          )),
        );
      }
      const input = {
        temporal: { address: options.temporal.address, namespace: options.temporal.namespace, taskQueue: `bench-${tag}` },
        ...options.extraConfig,
        clusters: Object.fromEntries(
          clusters.map(({ name, sandbox }, i) => [
            name,
            {
              kubernetes: { namespace: `b${tag}-${i}`, statefulSet: options.scenario.statefulSet, apiServer: sandbox.k8sUrl, tokenFile: sandbox.k8sTokenFile },
              elasticsearch: { url: sandbox.esUrl },
              minReplicas: 1,
              maxReplicas: 50,
              ...options.cluster,
            },
          ]),
        ),
      };
      const config = defineConfig(input as ConfigInput);
      const file = join(dir, 'es-scaler.yaml');
      await writeFile(file, stringify(input));
      const started = performance.now();
      const worker = await WorkerProcess.spawn(file, { NODE_OPTIONS: await deployedNodeOptions(), ES_SCALER_RECONCILE_SCHEDULES: 'false', ...options.workerEnv });
      const spawnToReadyMs = await readyAfter(worker, started);
      return new Fleet(clusters, config, worker, spawnToReadyMs, options.temporal.client, dir);
    } catch (err) {
      await Promise.all(clusters.map((c) => c.sandbox.close()));
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  get taskQueue(): string {
    return this.config.temporal.taskQueue;
  }

  submit(cluster: string, replicas: number, source = 'bench') {
    return submitTarget(this.client, this.config, { cluster, replicas, source });
  }

  /** Submits to every cluster, `concurrency` at a time (one cron minute for the whole fleet). */
  async submitAll(replicas: number, concurrency = 50): Promise<void> {
    for (let next = 0; next < this.clusters.length; next += concurrency) {
      await Promise.all(this.clusters.slice(next, next + concurrency).map((c) => this.submit(c.name, replicas)));
    }
  }

  async close(): Promise<void> {
    await this.worker.stop();
    await Promise.all(this.clusters.map((c) => c.sandbox.close()));
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * The worker container's NODE_OPTIONS in the kustomize base (the Helm chart's default is the same,
 * test/deploy): the bench runs the worker with the heap limit it is deployed with, since V8 sizes
 * its heap, and so the worker's RSS, from that limit.
 */
export async function deployedNodeOptions(): Promise<string> {
  const file = join(packageRoot, 'deploy', 'kubernetes', 'base', 'deployment.yaml');
  for (const { object } of await loadYamlDocuments(file)) {
    if (object.kind !== 'Deployment') continue;
    const worker = (object as unknown as V1Deployment).spec?.template.spec?.containers.find((c) => c.name === 'worker');
    const value = worker?.env?.find((e) => e.name === 'NODE_OPTIONS')?.value;
    if (value !== undefined) return value;
  }
  throw new Error(`bench: no NODE_OPTIONS for the worker container in ${file}`);
}

async function readyAfter(worker: WorkerProcess, started: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output}`);
    const ready = await worker.get('/readyz').then((r) => r.status === 200, () => false);
    if (ready) return performance.now() - started;
    if (Date.now() > deadline) throw new Error(`worker not ready after 60 s: ${worker.output}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves once `done` holds, checking every `everyMs`; fails naming `what` after `timeoutMs`. */
export async function until(what: string, done: () => boolean, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A small cluster: four data pods over three zones, 8 shard copies; es-data-3 drains in one relocation wave. */
export function smallCluster(timings: Scenario['timings'] = {}): Omit<Scenario, 'namespace'> {
  return {
    statefulSet: 'es-data',
    zones: ['zone-a', 'zone-b', 'zone-c', 'zone-a'],
    indices: [{ name: 'logs', primaries: 4, replicas: 1 }],
    awareness: { attributes: ['zone'] },
    timings,
  };
}
