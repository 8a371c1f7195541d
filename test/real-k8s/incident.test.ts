// K3–K5, K7, K8: the incident night and what only a real API server shows honestly: the worker
// killed mid-drain, a 409 from a concurrent writer on the scale subresource, the StatefulSet
// deleted mid-operation, a pod stuck Terminating behind a finalizer.
import assert from 'node:assert/strict';
import { AppsV1Api } from '@kubernetes/client-node';
import { scenarios } from '../../src/sandbox/scenario.js';
import { eventually } from '../helpers/eventually.js';
import { auditEventsOf, serviceAccountUser } from '../helpers/kube/audit.js';
import { WORKER_SERVICE_ACCOUNT } from '../helpers/kube/deploy.js';
import { controlPlaneForSuite } from '../helpers/kube/suite.js';
import { kubeWorldPerTest, type KubeWorld } from '../helpers/kube/world.js';

const EVEN_8 = scenarios['even-8']!;
const POLL_MS = 250;
const podNames = (count: number) => Array.from({ length: count }, (_, i) => `es-data-${i}`);

/** Starts a scale-in to `replicas` whose drain cannot finish until relocations are released. */
async function holdDrainAt(world: KubeWorld, replicas: number) {
  world.es.stallRelocations(true);
  await world.submit(replicas);
  return world.runningOperation((s) => s.phase === 'draining' && s.shardsLeft !== undefined, 60_000);
}

function explain(world: KubeWorld, detail: string): string {
  return `${detail}\nworker:\n${world.workerOutput().slice(-3_000)}`;
}

describe('real Kubernetes: the incident night and Kubernetes faults', function () {
  this.timeout(240_000);
  const controlPlane = controlPlaneForSuite();
  const startWorld = kubeWorldPerTest(controlPlane);

  it('K3: the incident night: a stuck drain of es-data-6 (awareness), superseded by the morning target, ends at 8', async () => {
    const world = await startWorld({
      scenario: scenarios.incident!,
      cluster: { awarenessPolicy: 'allow', pollInterval: `${POLL_MS}ms`, maxReplicas: 8 },
    });
    await world.startWorkerProcess();
    await world.submit(6, 'schedule:production/night');
    const night = await world.runningOperation((s) => (s.stall?.reasons.length ?? 0) > 0, 60_000);
    assert.equal(night.status.node, 'es-data-6');
    assert.ok(night.status.stall!.reasons.some((r) => r.startsWith('[awareness]')), night.status.stall!.reasons.join('\n'));
    assert.deepEqual(await world.exclusions(), { _name: ['es-data-6'] });

    const morningAt = Date.now();
    await world.submit(8, 'schedule:production/morning');
    await eventually('the exclusion to be removed', async () => Object.keys(await world.exclusions()).length === 0, 10_000, 20);
    const cleanupMs = Date.now() - morningAt;
    assert.ok(cleanupMs < POLL_MS + 1_000 + 1_000, `supersede cleanup took ${cleanupMs} ms`); // + 1 s for the REST round trips on a busy machine

    const [first, second] = await world.finishedOperations(2, 120_000);
    assert.equal(first!.outcome, 'superseded', first!.detail);
    assert.equal(second!.outcome, 'succeeded', explain(world, second!.detail));
    assert.equal(await world.replicas(), 8);
    await world.waitForPods(podNames(8));
    assert.deepEqual(await world.exclusions(), {});
  });

  it('K4: the worker is SIGKILLed mid-drain; a new worker process finishes the scale-in, nothing left excluded', async () => {
    const world = await startWorld({ scenario: EVEN_8 });
    await world.startWorkerProcess();
    await holdDrainAt(world, 7);
    assert.deepEqual(await world.exclusions(), { _name: ['es-data-7'] });

    await world.killWorkerProcess();
    world.es.stallRelocations(false);
    await world.startWorkerProcess();
    const [record] = await world.finishedOperations(1, 120_000);
    assert.equal(record!.outcome, 'succeeded', explain(world, record!.detail));
    assert.equal(await world.replicas(), 7);
    await world.waitForPods(podNames(7));
    assert.deepEqual(await world.exclusions(), {});
    assert.equal(await world.health(), 'green');
  });

  it('K5: a concurrent writer on the StatefulSet makes the scale write answer 409; the worker retries and keeps their change', async () => {
    // 100 ms between the worker and the API server: its read-then-update of the scale subresource
    // spans that long, so writes of others in between make the update conflict every time.
    const world = await startWorld({ scenario: EVEN_8, apiLatencyMs: 100 });
    const worker = serviceAccountUser(world.namespace, WORKER_SERVICE_ACCOUNT);
    const scaleWrites = () =>
      auditEventsOf(world.controlPlane.auditLog, worker).filter(
        (e) => e.verb === 'update' && e.objectRef?.resource === 'statefulsets' && e.objectRef.subresource === 'scale' && e.objectRef.namespace === world.namespace,
      );
    await world.startWorkerProcess();
    await holdDrainAt(world, 7);

    // Another writer (a GitOps tool, a person) keeps annotating the StatefulSet until the worker
    // has met a conflict: every write bumps the StatefulSet's resourceVersion.
    const apps = world.controlPlane.admin.makeApiClient(AppsV1Api);
    let writes = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        await apps.patchNamespacedStatefulSet({
          name: world.statefulSet,
          namespace: world.namespace,
          body: [{ op: 'add', path: '/metadata/annotations', value: { 'example.com/writes': String(++writes) } }],
        });
      }
    })();
    world.es.stallRelocations(false);
    try {
      await eventually('the worker’s first scale write', () => scaleWrites().length > 0, 60_000, 20);
    } finally {
      stop = true;
      await writer;
    }
    assert.equal(scaleWrites()[0]!.responseStatus?.code, 409, `the worker's scale write did not conflict (${writes} concurrent writes)`);

    const [record] = await world.finishedOperations(1, 120_000);
    assert.equal(record!.outcome, 'succeeded', explain(world, record!.detail));
    assert.equal(await world.replicas(), 7);
    assert.ok(scaleWrites().some((e) => e.responseStatus?.code === 200), 'a later scale write succeeded');
    const set = await apps.readNamespacedStatefulSet({ name: world.statefulSet, namespace: world.namespace });
    assert.equal(set.metadata?.annotations?.['example.com/writes'], String(writes), 'the other writer’s change is kept');
    await world.waitForPods(podNames(7));
    assert.deepEqual(await world.exclusions(), {});
  });

  it('K7: the StatefulSet is deleted mid-drain: the operation fails naming it, and removes its exclusion', async () => {
    const world = await startWorld({ scenario: EVEN_8 });
    await world.startWorkerProcess();
    await holdDrainAt(world, 7);
    // Orphan: the pods (and so the Elasticsearch nodes) stay; only the StatefulSet object goes.
    await world.apps.deleteNamespacedStatefulSet({ name: world.statefulSet, namespace: world.namespace, propagationPolicy: 'Orphan' });
    world.es.stallRelocations(false);

    const [record] = await world.finishedOperations(1, 45_000);
    assert.equal(record!.outcome, 'failed', explain(world, record!.detail));
    assert.match(record!.detail, /es-data/);
    assert.match(record!.detail, /not ?found|404/i);
    assert.deepEqual(await world.exclusions(), {}, `nothing left excluded (operation: ${record!.detail})`);
    assert.equal((await world.runningPodNames()).length, 8, 'no pod deleted by the worker');
  });

  it('K8: a pod stuck Terminating (finalizer): the operation waits with its exclusion in place, and finishes once the pod is gone', async () => {
    const world = await startWorld({ scenario: EVEN_8 });
    const FINALIZER = 'example.com/hold';
    await world.core.patchNamespacedPod({
      name: 'es-data-7',
      namespace: world.namespace,
      body: [{ op: 'add', path: '/metadata/finalizers', value: [FINALIZER] }],
    });
    await world.startWorkerProcess();
    await world.submit(7);

    const waiting = await world.runningOperation((s) => s.phase === 'waiting-pod-gone', 60_000);
    assert.equal(waiting.status.node, 'es-data-7');
    await eventually('es-data-7 Terminating, its Elasticsearch node stopped', async () => {
      const pod = (await world.pods()).find((p) => p.name === 'es-data-7');
      return pod?.terminating === true && !(await world.esNodeNames()).includes('es-data-7');
    });
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
    assert.equal((await world.runningOperation()).status.phase, 'waiting-pod-gone', 'still waiting while the pod object exists');
    assert.deepEqual(await world.exclusions(), { _name: ['es-data-7'] }, 'the exclusion stays while the pod exists');

    await world.core.patchNamespacedPod({ name: 'es-data-7', namespace: world.namespace, body: [{ op: 'remove', path: '/metadata/finalizers' }] });
    const [record] = await world.finishedOperations(1, 60_000);
    assert.equal(record!.outcome, 'succeeded', explain(world, record!.detail));
    assert.equal(await world.replicas(), 7);
    await world.waitForPods(podNames(7));
    assert.deepEqual(await world.exclusions(), {});
  });
});
