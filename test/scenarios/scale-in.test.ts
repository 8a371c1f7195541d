// S1 and the stall: scale-in on the simulated cluster, asserting the cluster's final state.
import assert from 'node:assert/strict';
import { scenarios } from '../../src/sandbox/scenario.js';
import { assertAllShardsAssigned } from '../helpers/cluster-assertions.js';
import { worldPerTest } from '../helpers/world.js';

describe('scale-in', function () {
  const startWorld = worldPerTest();

  it('S1: 8 → 6 removes pods 7 then 6, cleans its exclusions, loses no shard', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    await world.submit(6);

    const [record] = await world.finishedOperations(1);
    assert.equal(record!.outcome, 'succeeded', record!.detail);
    const result = await world.operationHandle(record!.workflowId).result();
    assert.deepEqual(result.removedPods, ['es-data-7', 'es-data-6']);
    assert.deepEqual(result.compensation.exclusionsRemoved, []);

    const { sandbox } = world;
    assert.equal(sandbox.replicas(), 6);
    assert.deepEqual(sandbox.pods().map((p) => p.name).sort(), ['es-data-0', 'es-data-1', 'es-data-2', 'es-data-3', 'es-data-4', 'es-data-5']);
    assert.deepEqual(sandbox.exclusions(), {});
    await assertAllShardsAssigned(sandbox);
    assert.ok(sandbox.shards().every((s) => !['es-data-6', 'es-data-7'].includes(s.node ?? '')));
  });

  it('a drain that cannot progress fails after stallAfter with Elasticsearch’s reason, not retrying all night', async () => {
    const world = await startWorld({ scenario: scenarios.incident!, cluster: { awarenessPolicy: 'allow', stallAfter: '3s' } });
    await world.startWorker();
    await world.submit(6);

    const [record] = await world.finishedOperations(1);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /drain of es-data-6 made no progress for 3(\.0)?s/);
    assert.match(record!.detail, /\[awareness\]/);
    const failure = await world.operationHandle(record!.workflowId).result().then(
      () => assert.fail('the operation should have failed'),
      (err: Error) => err,
    );
    assert.match(String((failure.cause as Error).message), /DrainStalled|no progress/);

    assert.equal(world.sandbox.replicas(), 7, 'no pod may go while its shards are still on it');
    assert.deepEqual(world.sandbox.exclusions(), {}, 'the exclusion is cleaned up on failure');
    await assertAllShardsAssigned(world.sandbox);
  });

  it('refuses at pre-flight, before excluding anything, when the deprecated awarenessPolicy is refuse', async () => {
    const world = await startWorld({ scenario: scenarios.incident!, cluster: { awarenessPolicy: 'refuse' } });
    await world.startWorker();
    await world.submit(6);

    const [record] = await world.finishedOperations(1);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /pre-flight refused to drain es-data-6: awareness: .*\(preflight\.awareness is "refuse"\); zoneEmpties: es-data-6 is the last data node in zone eu-central-1a .*\(preflight\.zoneEmpties is "refuse"\)/);
    assert.equal(world.sandbox.replicas(), 7);
    assert.deepEqual(world.sandbox.exclusions(), {});
    assert.ok(!world.sandbox.requests.some((r) => r.api === 'es' && r.method === 'PUT'), 'no settings were written');
  });
});
