import assert from 'node:assert/strict';
import { errors } from '@elastic/elasticsearch';
import { scenarios } from '../../src/sandbox/index.js';
import { harnessPerTest, k8sErrorBody, rejection, sleep, waitFor } from './helpers.js';

const ns = 'search';
const name = 'es-data';

describe('sandbox: injected faults', function () {
  const start = harnessPerTest();

  it('adds latency to every response of one API, until cleared', async () => {
    const h = await start(scenarios['even-8']!);
    const timed = async (fn: () => Promise<unknown>): Promise<number> => {
      const start = Date.now();
      await fn();
      return Date.now() - start;
    };
    h.sb.faults.latency('es', 250);
    assert.ok((await timed(() => h.es.cluster.health())) >= 240);
    assert.ok((await timed(() => h.apps.readNamespacedStatefulSet({ name, namespace: ns }))) < 200, 'k8s is not slowed down');
    h.sb.faults.latency('k8s', 250);
    assert.ok((await timed(() => h.apps.readNamespacedStatefulSet({ name, namespace: ns }))) >= 240);
    h.sb.faults.latency('es', 0);
    assert.ok((await timed(() => h.es.cluster.health())) < 200);
  });

  it('fails the next ES requests with 5xx in ES error format', async () => {
    const h = await start(scenarios['even-8']!, { maxRetries: 0 });
    h.sb.faults.failNext('es', 1);
    const err = await rejection(() => h.es.cluster.health());
    assert.ok(err instanceof errors.ResponseError);
    assert.equal(err.meta.statusCode, 503);
    assert.ok((err.meta.body as { error: { type: string } }).error.type);
    assert.equal((await h.es.cluster.health()).status, 'green');
  });

  it('fails the next Kubernetes requests with a 5xx Status', async () => {
    const h = await start(scenarios['even-8']!);
    h.sb.faults.failNext('k8s', 2, 500);
    for (let i = 0; i < 2; i++) {
      const err = await rejection(() => h.core.listNamespacedPod({ namespace: ns }));
      assert.equal((err as { code?: number }).code, 500);
      assert.equal(k8sErrorBody(err).kind, 'Status');
    }
    assert.equal((await h.core.listNamespacedPod({ namespace: ns })).items.length, 8);
  });

  it('answers the next scale writes with 409 Conflict', async () => {
    const h = await start(scenarios['even-8']!);
    h.sb.faults.conflictNextScaleWrites(1);
    const patch = (): Promise<unknown> =>
      h.apps.patchNamespacedStatefulSetScale({ name, namespace: ns, body: [{ op: 'replace', path: '/spec/replicas', value: 7 }] });
    const err = await rejection(patch);
    assert.equal((err as { code?: number }).code, 409);
    assert.equal(k8sErrorBody(err).reason, 'Conflict');
    assert.equal(h.sb.replicas(), 8);
    await patch();
    assert.equal(h.sb.replicas(), 7);
  });

  it('stalls relocations while asked to', async () => {
    const h = await start(scenarios['even-8']!);
    h.sb.faults.stallRelocations(true);
    await h.es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._name': 'es-data-7' } });
    await sleep(1000); // more than three relocation times
    const onSeven = h.sb.shards().filter((s) => s.node === 'es-data-7');
    assert.ok(onSeven.length > 0 && onSeven.every((s) => s.state === 'RELOCATING'));
    assert.equal((await h.es.cluster.health()).relocating_shards, onSeven.length);
    h.sb.faults.stallRelocations(false);
    await waitFor('es-data-7 to be empty', () => h.sb.shards().every((s) => s.node !== 'es-data-7'));
  });
});
