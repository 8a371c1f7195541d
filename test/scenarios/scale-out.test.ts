// S7: scale-out waits for the new nodes to join and health to recover.
import assert from 'node:assert/strict';
import { scenarios } from '../../src/sandbox/scenario.js';
import { operationStatusQuery } from '../../src/workflows/messages.js';
import { worldPerTest } from '../helpers/world.js';

describe('S7: scale-out', function () {
  const startWorld = worldPerTest();

  it('6 → 8: the StatefulSet grows, es-data-6 and -7 join, the cluster is green', async () => {
    const even8 = scenarios['even-8']!;
    const world = await startWorld({ scenario: { ...even8, zones: even8.zones.slice(0, 6) } });
    await world.startWorker();
    await world.submit(8);

    const [record] = await world.finishedOperations(1);
    assert.equal(record!.outcome, 'succeeded', record!.detail);
    const status = await world.operationHandle(record!.workflowId).query(operationStatusQuery);
    assert.deepEqual(status.addedPods, ['es-data-6', 'es-data-7']);
    assert.ok(status.events.some((e) => /2\/2 new nodes joined/.test(e.message)));
    assert.ok(status.events.some((e) => /cluster health green/.test(e.message)));

    assert.equal(world.sandbox.replicas(), 8);
    assert.deepEqual(world.sandbox.esNodes().map((n) => n.name).filter((n) => n.startsWith('es-data-')).sort(), [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `es-data-${i}`).sort());
    assert.equal(world.sandbox.health(), 'green');
    assert.deepEqual(world.sandbox.exclusions(), {});
  });
});
