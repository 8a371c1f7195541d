// S5: exclusions that no operation owns (the incident's zombie) are reported; swept only when the
// cluster's config says so, and then only ours (a pod that is gone); an operator's exclusion of a
// live pod and other people's entries are never touched (issue 9 item 11).
import assert from 'node:assert/strict';
import { scenarios } from '../../src/sandbox/scenario.js';
import { operationStatusQuery } from '../../src/workflows/messages.js';
import { worldPerTest } from '../helpers/world.js';

const ZOMBIE_AND_FOREIGN = {
  persistent: {
    'cluster.routing.allocation.exclude._name': 'es-data-9,es-data-3,es-master-9',
    'cluster.routing.allocation.exclude._ip': '10.99.0.1',
  },
};

describe('S5: stale exclusions', function () {
  const startWorld = worldPerTest();

  async function scaleInWithLeftovers(sweepStaleExclusions: boolean) {
    const world = await startWorld({ scenario: { ...scenarios['even-8']!, settings: ZOMBIE_AND_FOREIGN }, cluster: { sweepStaleExclusions } });
    await world.startWorker();
    await world.submit(7);
    const [record] = await world.finishedOperations(1);
    assert.equal(record!.outcome, 'succeeded', record!.detail);
    return { world, status: await world.operationHandle(record!.workflowId).query(operationStatusQuery) };
  }

  it('are reported and left alone by default', async () => {
    const { world, status } = await scaleInWithLeftovers(false);
    assert.deepEqual(status.staleExclusions.sort(), ['_ip:10.99.0.1', '_name:es-data-3', '_name:es-data-9', '_name:es-master-9']);
    assert.deepEqual(status.sweptExclusions, []);
    assert.deepEqual(world.sandbox.exclusions(), { _name: 'es-data-9,es-data-3,es-master-9', _ip: '10.99.0.1' });
  });

  it('with sweepStaleExclusions, the leftover naming a pod that is gone goes; an exclusion of a live pod and foreign entries stay', async () => {
    const { world, status } = await scaleInWithLeftovers(true);
    assert.deepEqual(status.sweptExclusions, ['_name:es-data-9']);
    assert.deepEqual(world.sandbox.exclusions(), { _name: 'es-data-3,es-master-9', _ip: '10.99.0.1' });
  });
});
