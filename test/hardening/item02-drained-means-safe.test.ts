// Issue 9 item 2: "drained" must mean the data is safe elsewhere (F7). A node that restarts
// mid-drain holds "0 shards" (its copies went unassigned) but must not be removed until it is back
// and nothing is unassigned; a StatefulSet someone else already shrank is not our success.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { scenarios } from '../../src/sandbox/scenario.js';
import { operationStatusQuery } from '../../src/workflows/messages.js';
import { eventually } from '../helpers/eventually.js';
import { worldPerTest } from '../helpers/world.js';
import { Monitor, shrinkOnlyWhenSafe } from './monitor.js';

describe('issue 9 item 2: drained means the data is safe elsewhere', function () {
  const startWorld = worldPerTest();

  it('a node restarting mid-drain is not removed while it is away; the drain resumes once it is back and nothing is unassigned', async () => {
    const world = await startWorld({ scenario: { ...scenarios['even-8']!, timings: { podStartMs: 3_000 } } });
    const monitor = new Monitor(world.observer, [shrinkOnlyWhenSafe('es-data')]);
    await world.startWorker();
    world.sandbox.faults.stallRelocations(true);
    await world.submit(7);
    await world.runningOperation((s) => s.phase === 'draining' && (s.shardsLeft ?? 0) > 0);

    // es-data-7 restarts (ephemeral storage): its copies go unassigned and are rebuilt elsewhere;
    // the node is away for about 3 s, then comes back empty (still excluded by name).
    const back = world.sandbox.restartPod(7);
    world.sandbox.faults.stallRelocations(false);
    await eventually('es-data-7 away', async () => !(await world.observer.nodes()).includes('es-data-7'));
    await sleep(1_500); // several poll intervals: the old code shrank here, and the pod never came back
    assert.equal(await world.observer.replicas(), 8, 'no shrink while es-data-7 is away');
    const { status } = await world.runningOperation();
    assert.equal(status.phase, 'draining');
    assert.equal(status.drain?.nodePresent, false, `status shows the node is away: ${JSON.stringify(status.drain)}`);

    await back;
    const [record] = await world.finishedOperations(1);
    assert.equal(record!.outcome, 'succeeded', record!.detail);
    assert.equal(await world.observer.replicas(), 7);
    await eventually('green', async () => (await world.observer.health()) === 'green');
    assert.deepEqual(await monitor.stop(), []);
  });

  it('a StatefulSet shrunk by someone else before the drain finished is not counted as our success', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']!, cluster: { stallAfter: '3s' } });
    await world.startWorker();
    world.sandbox.faults.stallRelocations(true);
    await world.submit(7);
    const { workflowId } = await world.runningOperation((s) => s.phase === 'draining' && (s.shardsLeft ?? 0) > 0);

    // Someone else shrinks the StatefulSet while es-data-7 still holds copies.
    await world.otherWriter().scale(7);
    world.sandbox.faults.stallRelocations(false);

    const [record] = await world.finishedOperations(1, 60_000);
    assert.notEqual(record!.outcome, 'succeeded', `must not claim success: ${record!.detail}`);
    const status = await world.operationHandle(workflowId).query(operationStatusQuery);
    assert.match(status.result?.error ?? '', /es-data-7/);
    assert.deepEqual(await world.observer.exclusions(), {}, 'cleanup still ran once the pod was gone');
  });
});
