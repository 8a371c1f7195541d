// Issue 9 item 3: a cancel (or supersede) that arrives while the exclusion write or the StatefulSet
// resize is in flight never leaves a zombie exclusion nor deletes a pod whose exclusion was
// already removed. Latency is injected on exactly those writes, and the cancel lands inside it.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { scenarios } from '../../src/sandbox/scenario.js';
import { eventually } from '../helpers/eventually.js';
import { worldPerTest, type World } from '../helpers/world.js';
import { excludedWhileLeaving, Monitor } from './monitor.js';

const SETTINGS_WRITE = { method: 'PUT', path: /^\/_cluster\/settings$/ };
const SCALE_WRITE = { method: 'PUT', path: /\/statefulsets\/[^/]+\/scale$/ };

describe('issue 9 item 3: writes racing a cancel', function () {
  const startWorld = worldPerTest();

  for (const latencyMs of [80, 250, 500]) {
    it(`a cancel while the exclusion write is in flight (${latencyMs} ms) leaves no zombie exclusion`, async () => {
      const world = await startWorld({ scenario: scenarios['even-8']! });
      await world.startWorker();
      world.sandbox.faults.stallRelocations(true);
      world.sandbox.faults.latency('es', latencyMs, SETTINGS_WRITE);
      await world.submit(7);
      await writeArrives(world, 'es', SETTINGS_WRITE);
      const { workflowId } = await world.runningOperation();
      await world.operationHandle(workflowId).cancel();

      const result = await world.operationHandle(workflowId).result();
      assert.equal(result.outcome, 'cancelled');
      await sleep(latencyMs + 300); // anything still in flight has landed by now
      assert.deepEqual(await world.observer.exclusions(), {}, `no exclusion left (compensation said ${JSON.stringify(result.compensation)})`);
      assert.equal(await world.observer.replicas(), 8);
    });
  }

  it('a cancel while the shrink is in flight keeps the pod excluded until it is gone', async () => {
    const world = await startWorld({ scenario: { ...scenarios['even-8']!, timings: { podStopMs: 1_500 } } });
    const monitor = new Monitor(world.observer, [excludedWhileLeaving('es-data-7')]);
    await world.startWorker();
    world.sandbox.faults.latency('k8s', 400, SCALE_WRITE);
    await world.submit(7);
    await writeArrives(world, 'k8s', SCALE_WRITE);
    const { workflowId } = await world.runningOperation();
    await world.operationHandle(workflowId).cancel();

    const result = await world.operationHandle(workflowId).result();
    assert.equal(result.outcome, 'cancelled');
    await eventually('es-data-7 gone', async () => !(await world.observer.pods()).some((p) => p.name === 'es-data-7'));
    await eventually('exclusion removed once the pod is gone', async () => Object.keys(await world.observer.exclusions()).length === 0);
    assert.deepEqual(await monitor.stop(), []);
  });
});

/** Resolves as soon as the write has reached the server (it is then held there by the injected latency). */
async function writeArrives(world: World, api: 'es' | 'k8s', match: { method: string; path: RegExp }): Promise<void> {
  await eventually(
    `${match.method} ${match.path} to reach the server`,
    () => world.sandbox.requests.some((r) => r.api === api && r.method === match.method && match.path.test(r.path.split('?')[0]!)),
    30_000,
    5,
  );
}
