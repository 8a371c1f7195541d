// A test world: a sandbox cluster, a config naming it, and an es-scaler worker on the shared
// Temporal dev server (in this process, or as a child process that a test can kill or stop).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Config } from '../../src/config/schema.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { Scenario } from '../../src/sandbox/scenario.js';
import { assertAllShardsAssigned } from './cluster-assertions.js';
import { Harness, harnessConfig, type ClusterInput } from './harness.js';
import { Observer } from './observer.js';
import { OtherWriter } from './other-writer.js';
import { WorkerProcess } from './worker-process.js';

export const CLUSTER = 'production';

export interface WorldOptions {
  scenario: Scenario;
  cluster?: Partial<ClusterInput>;
}

export class World extends Harness {
  /** The cluster through its REST APIs only, for invariant checks. */
  readonly observer: Observer;

  private constructor(
    readonly sandbox: Sandbox,
    config: Config,
    temporal: ConstructorParameters<typeof Harness>[2],
    private readonly tempDir: string,
    readonly namespace: string,
    readonly statefulSet: string,
  ) {
    super(CLUSTER, config, temporal);
    this.observer = new Observer(sandbox, namespace, statefulSet);
  }

  private writer?: OtherWriter;

  /** Someone else on the same cluster (kubectl, curl), closed with the world. */
  otherWriter(): OtherWriter {
    return (this.writer ??= new OtherWriter(this.sandbox, this.namespace, this.statefulSet));
  }

  /** Each world gets its own namespace (so its own workflow ids) and task queue. */
  static async start(options: WorldOptions): Promise<World> {
    const namespace = `t-${randomUUID().slice(0, 8)}`;
    const sandbox = await startSandbox({ ...options.scenario, namespace });
    const { config, temporal } = await harnessConfig({
      cluster: CLUSTER,
      taskQueue: `es-scaler-${namespace}`,
      kubernetes: { namespace, statefulSet: options.scenario.statefulSet, apiServer: sandbox.k8sUrl, tokenFile: sandbox.k8sTokenFile },
      elasticsearchUrl: sandbox.esUrl,
      policy: { pollInterval: '200ms', stallAfter: '30s', ...options.cluster },
    });
    return new World(sandbox, config, temporal, await mkdtemp(join(tmpdir(), 'es-scaler-test-')), namespace, options.scenario.statefulSet);
  }

  /** Writes the config as the YAML file a user would keep, for the worker and CLI processes. */
  writeConfigFile(): Promise<string> {
    return this.writeConfigFileIn(this.tempDir);
  }

  /** The worker as its own process, for crash and shutdown tests; resolves once it polls. */
  async startWorkerProcess(env: NodeJS.ProcessEnv = {}, mainScript?: string): Promise<WorkerProcess> {
    return this.startWorkerProcessWith(await this.writeConfigFile(), env, mainScript);
  }

  async close(): Promise<void> {
    try {
      await this.closeWorkflowsAndWorker();
      await this.stopWorkerProcess();
    } finally {
      await this.observer.close();
      await this.writer?.close();
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

/** After the worker holding `holdDrainAt` went away: release the drain, start a new worker process (of another build if `mainScript`), and check it finished the scale-in cleanly. */
export async function resumeInNewWorker(world: World, replicas: number, mainScript?: string): Promise<void> {
  world.sandbox.faults.stallRelocations(false);
  await world.startWorkerProcess({}, mainScript);
  const [record] = await world.finishedOperations(1, 90_000);
  assert.equal(record!.outcome, 'succeeded', record!.detail);
  assert.equal(world.sandbox.replicas(), replicas);
  assert.deepEqual(world.sandbox.exclusions(), {});
  await assertAllShardsAssigned(world.sandbox);
}
