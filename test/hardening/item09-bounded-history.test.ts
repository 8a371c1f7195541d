// Issue 9 item 9 (F9): history stays bounded for any operation. No shard table enters workflow
// history (the pre-flight is summarised in its activity); a wait with no natural end (a pod stuck
// Terminating, a Pending pod) is bounded; operation ids stay unique after the cluster workflow is
// terminated and started afresh.
import assert from 'node:assert/strict';
import type { Scenario } from '../../src/sandbox/scenario.js';
import { scenarios } from '../../src/sandbox/scenario.js';
import { historyText } from '../helpers/history-text.js';
import { worldPerTest } from '../helpers/world.js';

const MANY_SHARDS: Scenario = { ...scenarios['even-8']!, indices: [{ name: 'big', primaries: 200, replicas: 1 }] };

describe('issue 9 item 9: history stays bounded', function () {
  const startWorld = worldPerTest();

  it('no shard table in history: a scale-in on 400 copies stores no per-copy records', async () => {
    const world = await startWorld({ scenario: MANY_SHARDS, cluster: { awarenessPolicy: 'allow' } });
    await world.startWorker();
    await world.submit(7);
    const [record] = await world.finishedOperations(1, 90_000);
    assert.equal(record!.outcome, 'succeeded', record!.detail);
    const history = await historyText(world.operationHandle(record!.workflowId));
    assert.match(history, /"verdict":"ok"/, 'the pre-flight verdict is there');
    assert.doesNotMatch(history, /"copies":\s*\d/, 'no ShardCopy records');
    assert.ok(history.length < 200_000, `history is ${history.length} bytes`);
  });

  it('a pod stuck Terminating fails the wait after stallAfter, and its exclusion stays (the pod may still hold a node)', async () => {
    const world = await startWorld({ scenario: { ...scenarios['even-8']!, timings: { podStopMs: 120_000 } }, cluster: { stallAfter: '3s' } });
    await world.startWorker();
    await world.submit(7);
    const [record] = await world.finishedOperations(1, 60_000);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /gave up waiting for pod es-data-7 to be deleted after 3s/);
    assert.match(record!.detail, /LEFT IN PLACE _name:es-data-7/);
    assert.deepEqual(await world.observer.exclusions(), { _name: ['es-data-7'] });
  });

  it('a Pending pod fails the scale-out after stallAfter', async () => {
    const six = { ...scenarios['even-8']!, zones: scenarios['even-8']!.zones.slice(0, 6), timings: { podStartMs: 120_000 } };
    const world = await startWorld({ scenario: six, cluster: { stallAfter: '3s' } });
    await world.startWorker();
    await world.submit(7);
    const [record] = await world.finishedOperations(1, 60_000);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /gave up waiting for 1 new node\(s\) to join/);
  });

  it('operation ids stay unique after the cluster workflow is terminated and started afresh', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    await world.submit(7);
    const [first] = await world.finishedOperations(1);
    await world.clusterHandle().terminate('operator terminated it');
    await world.submit(6);
    const [second] = await world.finishedOperations(1);
    assert.notEqual(second!.workflowId, first!.workflowId);
    assert.equal((await world.operationHandle(first!.workflowId).describe()).status.name, 'COMPLETED', 'the first operation kept its own history');
    assert.equal(await world.observer.replicas(), 6);
  });
});
