// Issue 15 on the simulated cluster: watches run on their own task queue, a long drain writes no
// more history than a short one, a drain poll reads only the node's own stats, and the worker
// tuning is validated like every other field.
import assert from 'node:assert/strict';
import { scenarios } from '../../src/sandbox/scenario.js';
import { watchTaskQueue } from '../../src/workflows/task-queues.js';
import { nodeEvents } from '../../bench/histories.js';
import { configProblems } from '../helpers/config-problems.js';
import { worldPerTest } from '../helpers/world.js';

/** es-data-7 holds 15 copies of 30 on eight nodes: its drain moves them one small wave at a time. */
const MANY_WAVES = { ...scenarios['even-8']!, indices: [{ name: 'logs', primaries: 60, replicas: 1 }], timings: { relocationMs: 150 } };

describe('issue 15: fleet performance on the simulated cluster', function () {
  const startWorld = worldPerTest();

  it('a drain of many relocation waves writes about as much history as a node with one, its watches on the watch queue, reading only the node', async () => {
    const world = await startWorld({ scenario: MANY_WAVES, cluster: { pollInterval: '100ms' } });
    await world.startWorker();
    await world.submit(7);
    const [record] = await world.finishedOperations(1, 90_000);
    assert.equal(record!.outcome, 'succeeded', record!.detail);

    const events = (await world.operationHandle(record!.workflowId).fetchHistory()).events ?? [];
    const scheduled = events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
    const drainWatches = scheduled.filter((a) => a.activityType?.name === 'watchDrain');
    assert.ok(drainWatches.length <= 3, `${drainWatches.length} drain watch rounds for one node (one per change of the count used to be the rule)`);
    assert.ok(nodeEvents(events) <= 60, `${nodeEvents(events)} history events for one node`);
    const watchQueue = watchTaskQueue(world.config.temporal.taskQueue);
    for (const type of ['watchDrain', 'waitForPodGone', 'watchNodes']) {
      assert.ok(scheduled.filter((a) => a.activityType?.name === type).every((a) => a.taskQueue?.name === watchQueue), `${type} runs on ${watchQueue}`);
    }
    assert.ok(scheduled.filter((a) => a.activityType?.name === 'preflightNode').every((a) => a.taskQueue?.name === world.config.temporal.taskQueue));

    const drainPolls = world.sandbox.requests.filter((r) => r.path.startsWith('/_nodes/es-data-7/stats/indices'));
    assert.ok(drainPolls.length > 0, 'the drain polls the node’s own stats');
  });

  it('refuses worker tuning that cannot work, naming the field; a jitter of 0s is accepted', () => {
    const base = { clusters: { p: { kubernetes: { namespace: 'n', statefulSet: 's' }, elasticsearch: { url: 'http://es:9200' }, minReplicas: 1, maxReplicas: 3 } } };
    assert.deepEqual(configProblems({ ...base, worker: { workflowTaskSlots: 4, workflowTaskPollers: 8 } }), ['worker.workflowTaskPollers: expected at most workflowTaskSlots (4), found 8']);
    assert.match(configProblems({ ...base, worker: { watchSlots: 0 } }).join('\n'), /worker\.watchSlots/);
    assert.match(configProblems({ ...base, worker: { slots: 5 } }).join('\n'), /worker.*slots/);
    assert.deepEqual(configProblems({ ...base, clusters: { p: { ...base.clusters.p, scheduleJitter: '0s' } } }), []);
    assert.match(configProblems({ ...base, clusters: { p: { ...base.clusters.p, scheduleJitter: '1h' } } }).join('\n'), /clusters\.p\.scheduleJitter: expected between 0ms and 15m/);
  });
});
