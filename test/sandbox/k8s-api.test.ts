import assert from 'node:assert/strict';
import { PatchStrategy, setHeaderOptions, type V1Scale } from '@kubernetes/client-node';
import { scenarios } from '../../src/sandbox/index.js';
import { harnessPerTest, k8sErrorBody, rejection, waitFor } from './helpers.js';

const ns = 'search';
const name = 'es-data';

describe('sandbox: Kubernetes API', function () {
  const start = harnessPerTest();

  it('serves the StatefulSet, its pods and the nodes they run on, with zones', async () => {
    const h = await start(scenarios.incident!);
    const sts = await h.apps.readNamespacedStatefulSet({ name, namespace: ns });
    assert.equal(sts.spec?.replicas, 7);
    assert.equal(sts.status?.readyReplicas, 7);
    assert.deepEqual(sts.spec?.selector.matchLabels, { app: name });
    assert.ok(sts.metadata?.resourceVersion);

    const pods = await h.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${name}` });
    assert.deepEqual(
      pods.items.map((p) => p.metadata?.name),
      [0, 1, 2, 3, 4, 5, 6].map((i) => `${name}-${i}`),
    );
    const pod = await h.core.readNamespacedPod({ name: 'es-data-6', namespace: ns });
    assert.equal(pod.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'es-data-6');
    assert.equal(pod.status?.phase, 'Running');
    assert.match(pod.status?.podIP ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    const node = await h.core.readNode({ name: pod.spec!.nodeName! });
    assert.equal(node.metadata?.labels?.['topology.kubernetes.io/zone'], 'eu-central-1a');
    assert.match(node.metadata!.name!, /^node-eu-central-1a-\d+$/);
    assert.equal((await h.core.listNode()).items.length, 7);

    const some = await h.core.listNamespacedPod({ namespace: ns, labelSelector: 'statefulset.kubernetes.io/pod-name in (es-data-1, es-data-2)' });
    assert.deepEqual(some.items.map((p) => p.metadata?.name), ['es-data-1', 'es-data-2']);
    const onNode = await h.core.listNamespacedPod({ namespace: ns, fieldSelector: `spec.nodeName=${pod.spec!.nodeName}` });
    assert.deepEqual(onNode.items.map((p) => p.metadata?.name), ['es-data-6']);
    assert.equal((await h.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=other' })).items.length, 0);
  });

  it('answers a missing object with a NotFound Status', async () => {
    const h = await start(scenarios['even-8']!);
    const err = await rejection(() => h.core.readNamespacedPod({ name: 'es-data-42', namespace: ns }));
    assert.equal((err as { code?: number }).code, 404);
    assert.deepEqual(
      { kind: k8sErrorBody(err).kind, reason: k8sErrorBody(err).reason, code: k8sErrorBody(err).code },
      { kind: 'Status', reason: 'NotFound', code: 404 },
    );
    const other = await rejection(() => h.apps.readNamespacedStatefulSet({ name, namespace: 'elsewhere' }));
    assert.equal(k8sErrorBody(other).reason, 'NotFound');
  });

  it('scale-in (JSON patch) removes the highest ordinal, whose ES node leaves the cluster', async () => {
    const h = await start(scenarios['even-8']!);
    const scale = await h.apps.patchNamespacedStatefulSetScale({ name, namespace: ns, body: [{ op: 'replace', path: '/spec/replicas', value: 7 }] });
    assert.equal(scale.spec?.replicas, 7);
    assert.equal(h.sb.replicas(), 7);

    const doomed = await h.core.readNamespacedPod({ name: 'es-data-7', namespace: ns });
    assert.ok(doomed.metadata?.deletionTimestamp, 'the pod is terminating');
    await waitFor('es-data-7 to be gone', async () => (await h.core.listNamespacedPod({ namespace: ns })).items.length === 7);
    const esNodes = (await h.es.cat.nodes({ format: 'json', h: 'name' })) as { name: string }[];
    assert.deepEqual(esNodes.map((n) => n.name).filter((n) => n.startsWith(`${name}-`)).sort(), [0, 1, 2, 3, 4, 5, 6].map((i) => `${name}-${i}`));
    assert.equal((await h.apps.readNamespacedStatefulSet({ name, namespace: ns })).status?.replicas, 7);
  });

  it('scale-out (merge patch) creates ordinals one at a time; the new ES nodes join in the next zones', async () => {
    const h = await start(scenarios.incident!);
    await h.apps.patchNamespacedStatefulSetScale({ name, namespace: ns, body: { spec: { replicas: 9 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    // OrderedReady: es-data-8 waits for es-data-7 to be running and ready
    assert.deepEqual(
      h.sb.pods().filter((p) => p.ordinal >= 7).map((p) => [p.name, p.phase]),
      [['es-data-7', 'Pending']],
    );
    await waitFor('9 ES data nodes', () => h.sb.esNodes().filter((n) => n.name.startsWith('es-data-')).length === 9);
    const attrs = (await h.es.cat.nodeattrs({ format: 'json' })) as { node: string; attr: string; value: string }[];
    const zoneOf = (node: string): string | undefined => attrs.find((a) => a.node === node && a.attr === 'zone')?.value;
    // new pods cycle over the scenario's distinct zones: 1b, 1c, 1a, ...
    assert.equal(zoneOf('es-data-7'), 'eu-central-1b');
    assert.equal(zoneOf('es-data-8'), 'eu-central-1c');
    const sts = await h.apps.readNamespacedStatefulSet({ name, namespace: ns });
    assert.equal(sts.status?.readyReplicas, 9);
    // the balancer moves shards onto the newcomers
    await waitFor('shards on es-data-7', () => h.sb.shards().some((s) => s.node === 'es-data-7' && s.state === 'STARTED'));
  });

  it('rejects scale writes with a stale resourceVersion (409) and invalid replicas (422)', async () => {
    const h = await start(scenarios['even-8']!);
    const stale: V1Scale = await h.apps.readNamespacedStatefulSetScale({ name, namespace: ns });
    const updated = await h.apps.replaceNamespacedStatefulSetScale({ name, namespace: ns, body: { ...stale, spec: { replicas: 7 } } });
    assert.equal(updated.spec?.replicas, 7);

    const conflict = await rejection(() => h.apps.replaceNamespacedStatefulSetScale({ name, namespace: ns, body: { ...stale, spec: { replicas: 6 } } }));
    assert.equal((conflict as { code?: number }).code, 409);
    assert.equal(k8sErrorBody(conflict).reason, 'Conflict');

    const invalid = await rejection(() =>
      h.apps.patchNamespacedStatefulSetScale({ name, namespace: ns, body: [{ op: 'replace', path: '/spec/replicas', value: -1 }] }),
    );
    assert.equal((invalid as { code?: number }).code, 422);
    const body = k8sErrorBody(invalid);
    assert.equal(body.reason, 'Invalid');
    assert.deepEqual((body.details?.causes as { field: string }[]).map((c) => c.field), ['spec.replicas']);
    assert.equal(h.sb.replicas(), 7);
  });

  it('records every request it serves', async () => {
    const h = await start(scenarios['even-8']!);
    await h.apps.readNamespacedStatefulSetScale({ name, namespace: ns });
    await h.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=es-data' });
    await h.es.cluster.health();
    assert.deepEqual(h.sb.requests, [
      { api: 'k8s', method: 'GET', path: '/apis/apps/v1/namespaces/search/statefulsets/es-data/scale' },
      { api: 'k8s', method: 'GET', path: '/api/v1/namespaces/search/pods?labelSelector=app%3Des-data' },
      { api: 'es', method: 'GET', path: '/_cluster/health' },
    ]);
  });
});
