// Issue 9 item 11: other writers' exclusions. A persistent entry es-scaler never added, shadowed by
// a transient list, survives; an entry another tool drops while we drain is put back (theirs kept)
// and the conflict is reported; the sweep never removes an operator's exclusion of a live pod.
import assert from 'node:assert/strict';
import type { Scenario } from '../../src/sandbox/scenario.js';
import { scenarios } from '../../src/sandbox/scenario.js';
import { operationStatusQuery } from '../../src/workflows/messages.js';
import { eventually } from '../helpers/eventually.js';
import { holdDrainAt, worldPerTest } from '../helpers/world.js';

const KEY = 'cluster.routing.allocation.exclude._name';

describe('issue 9 item 11: other writers’ exclusions', function () {
  const startWorld = worldPerTest();

  it('a shadowed persistent entry es-scaler never added survives the cleanup of its transient twin', async () => {
    const shadowed: Scenario = { ...scenarios['even-8']!, settings: { persistent: { [KEY]: 'es-data-7' }, transient: { [KEY]: 'other-tools-node' } } };
    const world = await startWorld({ scenario: shadowed });
    await world.startWorker();
    await world.submit(7);
    const [record] = await world.finishedOperations(1, 60_000);
    assert.equal(record!.outcome, 'succeeded', record!.detail);
    const settings = await world.observer.settings();
    assert.equal(settings.persistent[KEY], 'es-data-7', 'the persistent entry is someone else’s');
    assert.equal(settings.transient[KEY], 'other-tools-node');
  });

  it('an entry another writer drops mid-drain is put back, their entry kept, the conflict reported', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    const { workflowId } = await holdDrainAt(world, 7);
    // Another tool read the list before our write and writes its own version now: ours is gone.
    await world.otherWriter().putSettings('persistent', { [KEY]: 'other-tools-node' });
    await eventually('es-scaler put its entry back', async () => (await world.observer.exclusions())._name?.includes('es-data-7'));
    world.sandbox.faults.stallRelocations(false);

    const [record] = await world.finishedOperations(1, 60_000);
    assert.equal(record!.outcome, 'succeeded', record!.detail);
    const status = await world.operationHandle(workflowId).query(operationStatusQuery);
    assert.match(status.conflicts.join('\n'), /_name:es-data-7 was removed from the exclusion list by another writer/);
    assert.deepEqual(await world.observer.exclusions(), { _name: ['other-tools-node'] });
  });

  it('with the sweep on, an operator’s exclusion of a live pod (es-data-2) stays', async () => {
    const world = await startWorld({ scenario: { ...scenarios['even-8']!, settings: { persistent: { [KEY]: 'es-data-2' } } }, cluster: { sweepStaleExclusions: true } });
    await world.startWorker();
    await world.submit(7);
    const [record] = await world.finishedOperations(1, 60_000);
    assert.equal(record!.outcome, 'succeeded', record!.detail);
    assert.deepEqual(await world.observer.exclusions(), { _name: ['es-data-2'] });
  });
});
