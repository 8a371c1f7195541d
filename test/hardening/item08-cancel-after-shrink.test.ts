// Issue 9 item 8: a cancel while the pod is already being deleted must not un-exclude it early
// (Elasticsearch would move shards onto the dying node: with 0-replica indices, primaries are lost).
// Scale-out never counts a terminating old node as joined, and never reports success while a new
// pod's name is still excluded.
import assert from 'node:assert/strict';
import type { Scenario } from '../../src/sandbox/scenario.js';
import { scenarios } from '../../src/sandbox/scenario.js';
import { operationStatusQuery } from '../../src/workflows/messages.js';
import { eventually } from '../helpers/eventually.js';
import { worldPerTest } from '../helpers/world.js';
import { excludedWhileLeaving, Monitor, noPrimaryUnassigned } from './monitor.js';

const NO_REPLICAS: Scenario = {
  ...scenarios['even-8']!,
  indices: [{ name: 'logs', primaries: 8, replicas: 0 }],
  timings: { podStopMs: 2_000 },
};

describe('issue 9 item 8: cancel after the shrink', function () {
  const startWorld = worldPerTest();

  it('keeps the exclusion until the pod is gone; no primary is ever lost, even with 0-replica indices', async () => {
    const world = await startWorld({ scenario: NO_REPLICAS });
    const monitor = new Monitor(world.observer, [excludedWhileLeaving('es-data-7'), noPrimaryUnassigned]);
    await world.startWorker();
    await world.submit(7);
    const { workflowId } = await world.runningOperation((s) => s.phase === 'waiting-pod-gone', 30_000);
    await world.operationHandle(workflowId).cancel();

    const result = await world.operationHandle(workflowId).result();
    assert.equal(result.outcome, 'cancelled');
    assert.deepEqual(result.compensation.exclusionsRemoved, ['_name:es-data-7']);
    assert.deepEqual(await world.observer.exclusions(), {});
    assert.equal(await world.observer.health(), 'green');
    assert.deepEqual(await monitor.stop(), []);
  });

  it('a scale-out right after waits for the old node to leave, then counts only the new one as joined', async () => {
    const world = await startWorld({ scenario: { ...scenarios['even-8']!, timings: { podStopMs: 2_000 } } });
    await world.startWorker();
    await world.submit(7);
    await world.runningOperation((s) => s.phase === 'waiting-pod-gone', 30_000);
    await world.submit(8); // supersedes while es-data-7 is still terminating

    const records = await world.finishedOperations(2, 60_000);
    assert.equal(records[1]!.outcome, 'succeeded', records[1]!.detail);
    assert.equal(await world.observer.replicas(), 8);
    const pods = await world.observer.pods();
    assert.ok(pods.some((p) => p.name === 'es-data-7' && !p.terminating), 'a new es-data-7 runs');
    assert.ok((await world.observer.nodes()).includes('es-data-7'));
    assert.deepEqual(await world.observer.exclusions(), {});
  });

  it('scale-out does not succeed while a new pod is excluded by a leftover entry; with the sweep it is removed', async () => {
    const leftover = { persistent: { 'cluster.routing.allocation.exclude._name': 'es-data-7' } };
    const seven: Scenario = { ...scenarios['even-8']!, zones: scenarios['even-8']!.zones.slice(0, 7), settings: leftover };
    const world = await startWorld({ scenario: seven, cluster: { sweepStaleExclusions: false } });
    await world.startWorker();
    await world.submit(8);
    const [record] = await world.finishedOperations(1, 60_000);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /excluded from shard allocation by leftover entries _name:es-data-7/);
    const status = await world.operationHandle(record!.workflowId).query(operationStatusQuery);
    assert.equal(status.result?.outcome, 'failed');
    assert.deepEqual(await world.observer.exclusions(), { _name: ['es-data-7'] }, 'without the sweep it is reported, not removed');
  });

  it('scale-out with sweepStaleExclusions removes a leftover naming the new pod, also one written while it starts', async () => {
    const seven: Scenario = { ...scenarios['even-8']!, zones: scenarios['even-8']!.zones.slice(0, 7), timings: { podStartMs: 3_000 } };
    const world = await startWorld({ scenario: seven, cluster: { sweepStaleExclusions: true } });
    await world.startWorker();
    await world.submit(8);
    await world.runningOperation((s) => s.phase === 'waiting-nodes', 30_000);
    await world.otherWriter().putSettings('persistent', { 'cluster.routing.allocation.exclude._name': 'es-data-7' });
    const [record] = await world.finishedOperations(1, 60_000);
    assert.equal(record!.outcome, 'succeeded', record!.detail);
    await eventually('no exclusion', async () => Object.keys(await world.observer.exclusions()).length === 0);
  });
});
