// The capacity pre-flight on the simulated cluster, observed only through the REST APIs: what it refuses is
// refused before anything is excluded, and a master-eligible node the policy allows leaves the voting
// configuration for its drain and nothing of that stays behind.
import assert from 'node:assert/strict';
import { scenarios, type Scenario } from '../../src/sandbox/scenario.js';
import type { OperationStatus } from '../../src/workflows/types.js';
import { runCli } from '../helpers/cli.js';
import { tightDisks } from '../helpers/topologies.js';
import { eventually } from '../helpers/eventually.js';
import { holdDrainAt, worldPerTest, type World } from '../helpers/world.js';

const GB = 1024 ** 3;

async function finalStatus(world: World): Promise<OperationStatus> {
  const [record] = await world.finishedOperations(1, 60_000);
  return world.operationHandle(record!.workflowId).query<OperationStatus>('status');
}

async function assertNothingChanged(world: World, replicas: number): Promise<void> {
  assert.deepEqual(await world.observer.exclusions(), {}, 'nothing was excluded');
  assert.equal(await world.observer.replicas(), replicas, 'replicas unchanged');
  assert.deepEqual(await world.observer.votingExclusions(), []);
  assert.ok(!world.sandbox.requests.some((r) => r.api === 'es' && r.method !== 'GET' && r.method !== 'HEAD'), 'no write reached Elasticsearch');
}

describe('capacity pre-flight on the sandbox', function () {
  const startWorld = worldPerTest();

  it('refuses a scale-in whose copies do not fit below the high watermark, before anything is excluded, with the numbers', async () => {
    const world = await startWorld({ scenario: tightDisks, cluster: { minReplicas: 3 } });
    await world.startWorker();
    await world.submit(5);
    const status = await finalStatus(world);
    assert.equal(status.result?.outcome, 'failed');
    assert.equal(status.result?.errorType, 'PreflightRefused');
    assert.match(status.result!.error!, /^pre-flight refused to drain es-data-5: disk: 2 copies \(2gb\) cannot leave es-data-5: .* below the .* the high watermark and margin keep \(preflight\.disk is "refuse"\); 2 copies \(2gb\) to move$/);
    assert.equal(status.preflight?.verdict, 'blocked');
    assert.equal(status.preflight?.numbers.bytesToMove, 2 * GB);
    assert.deepEqual(Object.keys(status.preflight!.numbers.freeBelowWatermarkByZone).sort(), ['a', 'b', 'c']);
    await assertNothingChanged(world, 6);
  });

  describe('cluster health', function () {
    /** Yellow: an index pinned to es-data-0 by a require filter has nowhere for its replica. */
    async function yellowWorld(cluster: Parameters<typeof startWorld>[0]['cluster'] = {}): Promise<World> {
      const world = await startWorld({ scenario: scenarios['even-8']!, cluster });
      await world.observer.es.indices.create({
        index: 'pinned',
        settings: { number_of_shards: 1, number_of_replicas: 1, 'index.routing.allocation.require._name': 'es-data-0' },
      });
      await eventually('yellow', async () => ((await world.observer.health()) === 'yellow' ? true : undefined), 10_000);
      world.sandbox.requests.splice(0);
      return world;
    }

    it('refuses a scale-in of a yellow cluster and names the index', async () => {
      const world = await yellowWorld();
      await world.startWorker();
      await world.submit(7);
      const status = await finalStatus(world);
      assert.equal(status.result?.errorType, 'PreflightRefused');
      assert.match(status.result!.error!, /health: cluster is yellow, green required: pinned \(yellow\) \(preflight\.health is "refuse"\)/);
      await assertNothingChanged(world, 8);
    });

    it('lets it start with requiredHealth yellow: the drain runs, and finishes once the cluster is green again', async () => {
      const world = await yellowWorld({ preflight: { requiredHealth: 'yellow' } });
      await world.startWorker();
      await world.submit(7);
      const draining = await world.runningOperation((s) => s.phase === 'draining');
      assert.equal(draining.status.preflight?.verdict, 'ok');
      assert.deepEqual(await world.observer.exclusions(), { _name: ['es-data-7'] });
      await world.observer.es.indices.delete({ index: 'pinned' }); // the drain also waits for unassigned copies (F7)
      const status = await finalStatus(world);
      assert.equal(status.result?.outcome, 'succeeded', status.result?.error);
      assert.equal(await world.observer.replicas(), 7);
      assert.deepEqual(await world.observer.exclusions(), {});
    });
  });

  describe('master-eligible nodes', function () {
    const masterPods: Scenario = { ...scenarios['even-8']!, roles: ['data', 'master'] };

    it('refuses to remove a master-eligible node by default', async () => {
      const world = await startWorld({ scenario: masterPods });
      await world.startWorker();
      await world.submit(7);
      const status = await finalStatus(world);
      assert.equal(status.result?.errorType, 'PreflightRefused');
      assert.match(status.result!.error!, /masterEligible: es-data-7 is master-eligible: removing it needs a voting configuration exclusion \(preflight\.masterEligible is "refuse"\)/);
      await assertNothingChanged(world, 8);
    });

    it('allowed: the node leaves the voting configuration for its drain, and the exclusion is cleared once its pod is gone', async () => {
      const world = await startWorld({ scenario: masterPods, cluster: { preflight: { masterEligible: 'allow' } } });
      await world.startWorker();
      const draining = await holdDrainAt(world, 7);
      assert.equal(draining.status.votingExclusion, 'es-data-7');
      assert.deepEqual(await world.observer.votingExclusions(), ['es-data-7'], 'excluded from voting while it drains');
      const shown = await runCli(['status', 'production', '--config', await world.writeConfigFile()]);
      assert.match(shown.stdout, /^ {2}preflight: ok: es-data-7 can be drained: \d+ copies \([\d.]+mb\) to move$/m);
      assert.match(shown.stdout, /^ {2}voting exclusion: es-data-7 \(cleared once its pod is gone\)$/m);
      world.sandbox.faults.stallRelocations(false);
      const status = await finalStatus(world);
      assert.equal(status.result?.outcome, 'succeeded', status.result?.error);
      assert.equal(status.votingExclusion, undefined);
      assert.deepEqual(await world.observer.votingExclusions(), []);
      assert.equal(await world.observer.replicas(), 7);
      assert.ok(!(await world.observer.nodes()).includes('es-data-7'));
      assert.deepEqual(await world.observer.exclusions(), {});
    });

    it('allowed, then superseded mid-drain: the compensation clears the voting exclusion too (F3)', async () => {
      const world = await startWorld({ scenario: masterPods, cluster: { preflight: { masterEligible: 'allow' } } });
      await world.startWorker();
      await holdDrainAt(world, 7);
      assert.deepEqual(await world.observer.votingExclusions(), ['es-data-7']);
      await world.submit(8, 'cli:morning');
      const [first] = await world.finishedOperations(1, 60_000);
      assert.equal(first!.outcome, 'superseded');
      assert.deepEqual(await world.observer.votingExclusions(), []);
      assert.deepEqual(await world.observer.exclusions(), {});
      assert.equal(await world.observer.replicas(), 8);
    });
  });
});
