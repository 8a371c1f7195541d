// F5 in the cluster (issue 14): the worker process reconciles the Temporal Schedules from the
// config file it mounts, with no command run by hand; a ConfigMap-style change of the file (a
// symlink swap) changes the schedules; `schedules apply` from a laptop with another file refuses
// unless forced.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ScheduleNotFoundError } from '@temporalio/client';
import { scenarios } from '../../src/sandbox/scenario.js';
import { runCli } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { ScheduleFixture, type ScheduleInput } from '../helpers/schedules.js';
import { WorkerProcess } from '../helpers/worker-process.js';
import { World } from '../helpers/world.js';

const NIGHT: ScheduleInput = { name: 'night', cron: '0 22 * * *', timezone: 'Europe/Berlin', replicas: 6 };
const MORNING: ScheduleInput = { name: 'morning', cron: '30 5 * * MON-FRI', timezone: 'Europe/Berlin', replicas: 8 };

/** A directory laid out as the kubelet lays out a ConfigMap volume: file → ..data/file, ..data → ..<version>. */
class ConfigMapVolume {
  private version = 0;
  constructor(readonly dir: string) {}

  get file(): string {
    return join(this.dir, 'es-scaler.yaml');
  }

  /** Writes a new version and swaps ..data to it in one rename, as the kubelet does. */
  async publish(content: unknown): Promise<void> {
    const version = `..v${++this.version}`;
    await mkdir(join(this.dir, version));
    await writeFile(join(this.dir, version, 'es-scaler.yaml'), stringify(content));
    await symlink(version, join(this.dir, '..data_tmp'));
    await rename(join(this.dir, '..data_tmp'), join(this.dir, '..data'));
    if (this.version === 1) await symlink(join('..data', 'es-scaler.yaml'), this.file);
  }
}

describe('schedules reconciled by the worker in the cluster', function () {
  let world: World;
  let schedules: ScheduleFixture;
  let workers: WorkerProcess[] = [];
  let dir: string;
  beforeEach(async () => {
    world = await World.start({ scenario: scenarios['even-8']! });
    schedules = new ScheduleFixture(world);
    dir = await mkdtemp(join(tmpdir(), 'es-scaler-configmap-'));
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
    await schedules.cleanup();
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  const describeSchedule = (id: string) => world.client.schedule.getHandle(id).describe();
  const replicasOf = async (id: string) => {
    try {
      return ((await describeSchedule(id)).action.args?.[0] as { replicas: number }).replicas;
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return undefined;
      throw err;
    }
  };

  it('on start and on every change of the mounted file; apply with another file refuses unless --force', async () => {
    const volume = new ConfigMapVolume(dir);
    await volume.publish(schedules.fileContent([NIGHT]));
    const worker = await WorkerProcess.spawn(volume.file);
    workers.push(worker);
    await worker.waitFor('worker polling');

    await eventually('the night schedule, created by the worker', async () => (await replicasOf('production/night')) === 6, 20_000, 200);
    assert.match(worker.output, /"message":"schedules reconciled".*"changes":\["create production\/night"\]/);

    // The ConfigMap changes: the night target moves, a morning schedule appears.
    await volume.publish(schedules.fileContent([{ ...NIGHT, replicas: 5 }, MORNING]));
    await eventually(
      'the schedules to follow the new file',
      async () => (await replicasOf('production/night')) === 5 && (await replicasOf('production/morning')) === 8,
      20_000,
      200,
    );
    const night = await describeSchedule('production/night');
    assert.equal(night.state.paused, false);
    assert.equal((night.action.memo as { appliedBy?: string }).appliedBy, 'worker');
    assert.doesNotMatch(worker.output, /restart it/, 'a schedule change needs no restart');

    // A cluster setting changes too: the schedules follow, the worker says it needs a restart.
    const content = schedules.fileContent([{ ...NIGHT, replicas: 5 }, MORNING]);
    const clusterFile = { ...content, clusters: { production: { ...content.clusters.production, maxReplicas: 9 } } };
    await volume.publish(clusterFile);
    await worker.waitFor('restart it for the cluster settings to take effect');

    // An operator's stale local copy: refused, nothing changes.
    const stale = await schedules.writeConfig([NIGHT]);
    const refused = await runCli(['schedules', 'apply', '--config', stale]);
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /^es-scaler: config file: the worker in the cluster applied production\/\w+ from another config \(digest [0-9a-f]{16}; this file's is [0-9a-f]{16}\): change the file the worker mounts instead, or pass --force/);
    assert.equal(await replicasOf('production/night'), 5);

    const dryRun = await runCli(['schedules', 'apply', '--dry-run', '--config', stale]);
    assert.equal(dryRun.code, 0, dryRun.stderr);
    assert.match(dryRun.stdout, /^WARNING: the worker in the cluster applied these schedules from another config/m);

    // The same file as the cluster's (written over the stale one): nothing to refuse, nothing to do.
    const sameFile = await schedules.writeConfig([]);
    await writeFile(sameFile, stringify(clusterFile));
    const same = await runCli(['schedules', 'apply', '--config', sameFile]);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout.trim(), 'no changes (2 schedules up to date)');

    const forced = await runCli(['schedules', 'apply', '--force', '--config', await schedules.writeConfig([NIGHT])]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^updated\s+production\/night\s+replicas: 5 → 6$/m, forced.stdout);
    assert.equal(await replicasOf('production/night'), 6);
  });

  it('two replicas reconciling the same file at once end with the schedules once, and no error', async () => {
    const volume = new ConfigMapVolume(dir);
    await volume.publish(schedules.fileContent([NIGHT, MORNING]));
    workers = await Promise.all([WorkerProcess.spawn(volume.file), WorkerProcess.spawn(volume.file)]);
    await Promise.all(workers.map((w) => w.waitFor('"message":"schedules reconciled"', 30_000)));
    assert.deepEqual([await replicasOf('production/night'), await replicasOf('production/morning')], [6, 8]);
    for (const w of workers) assert.doesNotMatch(w.output, /"level":"(ERROR|WARN)"/, w.output);
  });
});
