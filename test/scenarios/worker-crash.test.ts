// S4: the worker process is killed (SIGKILL) mid-drain and started again: the plan lives in the
// workflow history, so the operation completes and nothing is left behind (F4).
import assert from 'node:assert/strict';
import { scenarios } from '../../src/sandbox/scenario.js';
import { holdDrainAt, resumeInNewWorker, worldPerTest } from '../helpers/world.js';

describe('S4: worker killed mid-drain', function () {
  const startWorld = worldPerTest();

  it('a new worker process finishes the operation; the exclusion list ends empty', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorkerProcess();
    await holdDrainAt(world, 7);
    assert.deepEqual(world.sandbox.exclusions(), { _name: 'es-data-7' });

    await world.killWorkerProcess();
    await resumeInNewWorker(world, 7);
  });
});
