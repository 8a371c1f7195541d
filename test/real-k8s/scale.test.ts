// K1, K2, K6: scale-in and scale-out on a real control plane. The StatefulSet is a real apps/v1
// object reconciled by the real controller (OrderedReady, and Parallel), its pods run on kwok nodes
// in three zones, each Running pod is a node of the simulated Elasticsearch cluster, and the worker
// runs as the Deployment would: in-cluster config, only the Role of deploy/kubernetes/base.
import assert from 'node:assert/strict';
import { scenarios, type Scenario } from '../../src/sandbox/scenario.js';
import { controlPlaneForSuite } from '../helpers/kube/suite.js';
import { kubeWorldPerTest, type KubeWorld } from '../helpers/kube/world.js';

const EVEN_8 = scenarios['even-8']!;
const podNames = (count: number) => Array.from({ length: count }, (_, i) => `es-data-${i}`);

async function assertSucceeded(world: KubeWorld, count: number) {
  const history = await world.finishedOperations(count, 120_000);
  const record = history[count - 1]!;
  assert.equal(record.outcome, 'succeeded', `${record.detail}\nworker:\n${world.workerOutput().slice(-3_000)}`);
  return world.operationHandle(record.workflowId).result();
}

async function assertSettled(world: KubeWorld, replicas: number) {
  assert.equal(await world.replicas(), replicas);
  await world.waitForPods(podNames(replicas));
  assert.deepEqual(await world.exclusions(), {});
  assert.equal(await world.health(), 'green');
}

describe('real Kubernetes: scale-in and scale-out', function () {
  this.timeout(240_000);
  const controlPlane = controlPlaneForSuite();
  const startWorld = kubeWorldPerTest(controlPlane);

  it('K1: 8 → 6 with the real StatefulSet controller (OrderedReady): pods 7 then 6 go, exclusions cleaned up', async () => {
    const world = await startWorld({ scenario: EVEN_8 });
    await world.startWorkerProcess();
    await world.submit(6);
    const result = await assertSucceeded(world, 1);
    assert.deepEqual(result.removedPods, ['es-data-7', 'es-data-6']);
    assert.deepEqual(result.compensation.exclusionsRemoved, []);
    await assertSettled(world, 6);
  });

  it('K2: 6 → 8 scale-out: the controller creates pods 6 and 7, their nodes join', async () => {
    const scenario: Scenario = { ...EVEN_8, zones: EVEN_8.zones.slice(0, 6) };
    const world = await startWorld({ scenario });
    await world.startWorkerProcess();
    await world.submit(8);
    const result = await assertSucceeded(world, 1);
    assert.deepEqual(result.addedPods, ['es-data-6', 'es-data-7']);
    await assertSettled(world, 8);
  });

  it('K6: podManagementPolicy Parallel: 8 → 6, then back to 8 (both new pods at once)', async () => {
    const world = await startWorld({ scenario: EVEN_8, podManagementPolicy: 'Parallel' });
    await world.startWorkerProcess();
    await world.submit(6);
    const scaleIn = await assertSucceeded(world, 1);
    assert.deepEqual(scaleIn.removedPods, ['es-data-7', 'es-data-6']);
    await assertSettled(world, 6);
    await world.submit(8);
    await assertSucceeded(world, 2);
    await assertSettled(world, 8);
  });
});
