// S3: an operator cancels a running scale-in from outside, with the `temporal` CLI itself.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { scenarios } from '../../src/sandbox/scenario.js';
import { temporalCliPath } from '../../src/temporal/dev-server.js';
import { assertAllShardsAssigned } from '../helpers/cluster-assertions.js';
import { holdDrainAt, worldPerTest } from '../helpers/world.js';

const run = promisify(execFile);

describe('S3: cancel from outside mid-drain', function () {
  const startWorld = worldPerTest();

  it('`temporal workflow cancel` removes the exclusion, leaves replicas, and the result reports compensation', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    const draining = await holdDrainAt(world, 7);
    assert.deepEqual(world.sandbox.exclusions(), { _name: 'es-data-7' });

    await run(temporalCliPath(), [
      'workflow', 'cancel',
      '--address', world.config.temporal.address,
      '--namespace', world.config.temporal.namespace,
      '--workflow-id', draining.workflowId,
    ]);

    const result = await world.operationHandle(draining.workflowId).result();
    assert.equal(result.outcome, 'cancelled');
    assert.deepEqual(result.compensation.exclusionsRemoved, ['_name:es-data-7']);
    assert.deepEqual(result.removedPods, []);
    assert.deepEqual(world.sandbox.exclusions(), {});
    assert.equal(world.sandbox.replicas(), 8);

    const [record] = await world.finishedOperations(1);
    assert.equal(record!.outcome, 'cancelled');
    assert.equal((await world.clusterStatus()).running, undefined, 'the cluster workflow does not retry a cancelled operation');

    world.sandbox.faults.stallRelocations(false);
    await assertAllShardsAssigned(world.sandbox);
  });
});
