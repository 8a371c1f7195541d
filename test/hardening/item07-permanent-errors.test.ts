// Issue 9 item 7: 401/403/404 (bad credentials, a renamed or deleted StatefulSet) stop the
// operation at once with the server's reason in `status` and in the workflow's failure, instead
// of an endless "starting" phase. A watch that keeps failing does not stop the stall clock. A
// cleanup that cannot finish tries every owned entry and reports exactly which are left.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { scenarios } from '../../src/sandbox/scenario.js';
import { operationStatusQuery } from '../../src/workflows/messages.js';
import { holdDrainAt, worldPerTest } from '../helpers/world.js';

const STATEFULSET = { path: /\/statefulsets\/es-data/ };

describe('issue 9 item 7: permanent errors stop and show', function () {
  const startWorld = worldPerTest();

  it('bad Kubernetes credentials (401): the operation fails at once, naming the call and the reason', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await writeFile(world.config.clusters.production!.kubernetes.tokenFile!, 'a-revoked-token');
    await world.startWorker();
    const started = Date.now();
    await world.submit(7);
    const [record] = await world.finishedOperations(1, 20_000);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /Kubernetes answered 401 to readReplicas: Unauthorized/);
    assert.ok(Date.now() - started < 15_000, 'no retrying for minutes');
    assert.equal(await world.observer.replicas(), 8);
  });

  it('a StatefulSet that is gone (404): failed with the reason in status, nothing excluded', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    world.sandbox.faults.failNext('k8s', 1_000_000, 404, STATEFULSET);
    await world.submit(7);
    const [record] = await world.finishedOperations(1, 20_000);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /Kubernetes answered 404 to readReplicas/);
    const status = await world.operationHandle(record!.workflowId).query(operationStatusQuery);
    assert.match(status.result?.error ?? '', /404/);
    assert.deepEqual(await world.observer.exclusions(), {});
  });

  it('no permission to resize (403) mid-scale-in: failed with the reason, the exclusion cleaned up', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    world.sandbox.faults.failNext('k8s', 1_000_000, 403, { method: 'PUT', path: /\/scale$/ });
    await world.submit(7);
    const [record] = await world.finishedOperations(1, 30_000);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /Kubernetes answered 403 to shrinkAfterDrain/);
    assert.match(record!.detail, /compensation removed _name:es-data-7/);
    assert.deepEqual(await world.observer.exclusions(), {});
    assert.equal(await world.observer.replicas(), 8);
  });

  it('a drain whose polls keep failing still stalls after stallAfter, with the polling error as the reason', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']!, cluster: { stallAfter: '3s' } });
    await world.startWorker();
    world.sandbox.faults.stallRelocations(true);
    await world.submit(7);
    // after the drain's first look (before it, a failing watch is retried by Temporal and the stall says "no answer")
    await world.runningOperation((s) => s.phase === 'draining' && s.shardsLeft !== undefined);
    // the drain poll reads the node's own stats
    world.sandbox.faults.failNext('es', 1_000_000, 503, { method: 'GET', path: /^\/_nodes\/es-data-7\/stats/ });
    const [record] = await world.finishedOperations(1, 60_000);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /drain of es-data-7 made no progress for 3s, .*: the drain could not be polled: Elasticsearch answered 503/);
    world.sandbox.faults.failNext('es', 0);
    world.sandbox.faults.stallRelocations(false);
    assert.deepEqual(await world.observer.exclusions(), {});
  });

  it('a cleanup that cannot remove its exclusion reports exactly which is left', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    const { workflowId } = await holdDrainAt(world, 7);
    world.sandbox.faults.failNext('es', 1_000_000, 403, { method: 'PUT', path: /^\/_cluster\/settings$/ });
    await world.operationHandle(workflowId).cancel();
    const result = await world.operationHandle(workflowId).result();
    assert.equal(result.outcome, 'cancelled');
    assert.deepEqual(result.compensation.exclusionsLeft, ['_name:es-data-7']);
    const status = await world.operationHandle(workflowId).query(operationStatusQuery);
    assert.match(status.exclusionsLeft.join('\n'), /_name:es-data-7 \(Elasticsearch answered 403 to removeExclusion/);
    const [record] = await world.finishedOperations(1);
    assert.match(record!.detail, /LEFT IN PLACE _name:es-data-7/);
    assert.deepEqual(await world.observer.exclusions(), { _name: ['es-data-7'] });
  });
});
