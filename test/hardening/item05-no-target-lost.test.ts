// Issue 9 item 5 (F8): any interleaving of targets and cancels ends by pursuing the last target.
// Storms of 3–5 targets within a second, with repeats, and cancel-then-reissue.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { scenarios } from '../../src/sandbox/scenario.js';
import { eventually } from '../helpers/eventually.js';
import { holdDrainAt, worldPerTest, type World } from '../helpers/world.js';

const SETTINGS_WRITE = { method: 'PUT', path: /^\/_cluster\/settings$/ };

async function settlesAt(world: World, replicas: number): Promise<void> {
  await eventually(
    `the cluster settled at ${replicas} replicas with nothing running`,
    async () => {
      const status = await world.clusterStatus();
      return status.running === undefined && status.pending === undefined && (await world.observer.replicas()) === replicas;
    },
    90_000,
    200,
  );
  assert.equal((await world.clusterStatus()).desired?.replicas, replicas);
  assert.deepEqual(await world.observer.exclusions(), {});
}

describe('issue 9 item 5: no target is ever lost', function () {
  const startWorld = worldPerTest();

  it('targets 6, 8, 6 sent 100 ms apart to an 8-node cluster end at 6', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    for (const target of [6, 8, 6]) {
      await world.submit(target);
      await sleep(100);
    }
    await settlesAt(world, 6);
  });

  // The defect's window: from the supersede or cancel until the superseded operation has finished
  // its compensation. Latency on the exclusion removal holds that window open for 800 ms, and the
  // repeat of the first target lands inside it.
  for (const [first, other] of [[7, 5], [7, 'cancel']] as const) {
    it(`a repeat of ${first} while the operation for it is being ${other === 'cancel' ? 'cancelled' : `superseded by ${other}`} is pursued`, async () => {
      const world = await startWorld({ scenario: scenarios['even-8']! });
      await world.startWorker();
      const { workflowId } = await holdDrainAt(world, first);
      world.sandbox.faults.latency('es', 800, SETTINGS_WRITE);
      world.sandbox.faults.stallRelocations(false);
      if (other === 'cancel') await world.operationHandle(workflowId).cancel();
      else await world.submit(other);
      await sleep(300);
      await world.submit(first);
      await settlesAt(world, first);
    });
  }

  const storms: { name: string; steps: (number | 'cancel')[] }[] = [
    { name: 'repeat of the running target while it is superseded', steps: [7, 5, 7] },
    { name: 'five targets with repeats', steps: [6, 6, 8, 5, 6] },
    { name: 'cancel, then the same target again', steps: [6, 'cancel', 6] },
    { name: 'cancel between two different targets', steps: [5, 'cancel', 7, 7] },
  ];
  for (const storm of storms) {
    it(`storm: ${storm.name} (${storm.steps.join(', ')}) ends pursuing the last target`, async () => {
      const world = await startWorld({ scenario: scenarios['even-8']! });
      await world.startWorker();
      for (const step of storm.steps) {
        if (step === 'cancel') {
          const running = await world.runningOperation(() => true, 10_000);
          await world.operationHandle(running.workflowId).cancel();
        } else {
          await world.submit(step);
        }
        await sleep(150 + Math.floor(Math.random() * 100));
      }
      const last = storm.steps.filter((s): s is number => s !== 'cancel').at(-1)!;
      await settlesAt(world, last);
    });
  }
});
