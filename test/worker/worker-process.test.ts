// The worker as it is deployed: health endpoints, graceful SIGTERM mid-drain, Prometheus metrics.
import assert from 'node:assert/strict';
import { scenarios } from '../../src/sandbox/scenario.js';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server.js';
import { freePort } from '../../src/util/ports.js';
import { eventually } from '../helpers/eventually.js';
import { holdDrainAt, resumeInNewWorker, World } from '../helpers/world.js';
import { WorkerProcess } from '../helpers/worker-process.js';

describe('worker process', function () {
  let world: World | undefined;
  let worker: WorkerProcess | undefined;
  let ownServer: DevServer | undefined;
  afterEach(async () => {
    await worker?.stop();
    await ownServer?.stop();
    await world?.close();
    world = worker = ownServer = undefined;
  });

  it('is alive but not ready until it reaches Temporal and polls, then ready', async () => {
    world = await World.start({ scenario: scenarios['even-8']! });
    const port = await freePort();
    worker = await WorkerProcess.spawn(await world.writeConfigFile(), { TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
    await worker.waitFor('waiting for Temporal');
    assert.equal((await worker.get('/healthz')).status, 200);
    assert.equal((await worker.get('/readyz')).status, 503);

    ownServer = await startDevServer({ port });
    await worker.waitFor('worker polling');
    await eventually('ready', async () => (await worker!.get('/readyz')).status === 200);
    assert.equal((await worker.get('/healthz')).status, 200);
  });

  it('SIGTERM mid-drain: exits cleanly within its grace time, and the next worker finishes the operation', async () => {
    world = await World.start({ scenario: scenarios['even-8']! });
    const first = await world.startWorkerProcess({ ES_SCALER_SHUTDOWN_GRACE: '2s' });
    await holdDrainAt(world, 7);

    const stoppingAt = Date.now();
    first.kill('SIGTERM');
    assert.ok(await first.exited(10_000), 'the worker exits');
    assert.equal(first.child.exitCode, 0, first.output);
    assert.ok(Date.now() - stoppingAt < 2_000 + 5_000, 'within the grace time plus start-up slack');
    assert.match(first.output, /"message":"worker stopped"/);
    assert.deepEqual(world.sandbox.exclusions(), { _name: 'es-data-7' }, 'a graceful stop is not a cancellation: the drain goes on');

    await resumeInNewWorker(world, 7);
  });

  it('logs JSON lines with the cluster and workflow id, and exposes operation metrics', async () => {
    world = await World.start({ scenario: scenarios['even-8']! });
    worker = await world.startWorkerProcess();
    await holdDrainAt(world, 7);
    await world.submit(8); // supersedes: the drain is cancelled and compensated
    await world.finishedOperations(2);

    const metrics = await eventually('the operation counters', async () => {
      const { body } = await worker!.get('/metrics');
      return /es_scaler_operations_completed\S*\{[^}]*outcome="succeeded"/.test(body) ? body : undefined;
    });
    const value = (name: string, labels: Record<string, string>) => {
      const line = metrics.split('\n').find((l) => l.startsWith(name) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
      return line === undefined ? undefined : Number(line.split(' ').pop());
    };
    const cluster = { cluster: 'production' };
    assert.equal(value('es_scaler_operations_started', { ...cluster, direction: 'in' }), 1, metrics);
    assert.equal(value('es_scaler_operations_started', { ...cluster, direction: 'none' }), 1);
    assert.equal(value('es_scaler_operations_superseded', cluster), 1);
    assert.equal(value('es_scaler_operations_compensated', { ...cluster, direction: 'in' }), 1);
    assert.equal(value('es_scaler_operations_completed', { ...cluster, direction: 'in', outcome: 'cancelled' }), 1);
    assert.equal(value('es_scaler_operations_completed', { ...cluster, direction: 'none', outcome: 'succeeded' }), 1);
    assert.equal(value('es_scaler_drain_shards_left', { ...cluster, node: 'es-data-7' }), 0, 'the drain gauge was set, and reset when the operation ended (so an alert on it clears)');
    assert.match(metrics, /temporal_workflow_completed|temporal_worker_task_slots_available|temporal_/, 'the SDK’s own metrics are there too');

    const logs = worker.output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const workflowLines = logs.filter((l) => typeof l.workflowId === 'string' && (l.workflowId as string).includes('/op-'));
    assert.ok(workflowLines.length > 0, worker.output);
    assert.ok(workflowLines.every((l) => l.cluster === 'production'), JSON.stringify(workflowLines.filter((l) => l.cluster !== 'production')));
  });
});
