// K9: both halves real. The StatefulSet is reconciled by the real controller on kwok nodes, and the
// test kubelet runs a REAL Elasticsearch 8.19 process for each Running pod (named after the pod,
// node.attr.zone = its node's zone label), stopping it and removing its data when the pod goes.
// The worker runs in-cluster as in K1. Scale-in 4 → 3, then scale-out back to 4, asserted through
// the Kubernetes and Elasticsearch REST APIs. Skipped LOUDLY where no fitting Java (or Maven, for a
// first fetch) is found, as the real-node tier is.
import assert from 'node:assert/strict';
import { ENGINE_MATRIX, availability, engineLabel, fetchDistribution, type Distribution } from '../../src/sandbox/real-nodes/index.js';
import type { Scenario } from '../../src/sandbox/scenario.js';
import { eventually } from '../helpers/eventually.js';
import { ZONE_LABEL } from '../helpers/kube/control-plane.js';
import { realPodElasticsearch, type RealPodElasticsearch } from '../helpers/kube/real-elasticsearch.js';
import { controlPlaneForSuite } from '../helpers/kube/suite.js';
import { KubeWorld } from '../helpers/kube/world.js';
import { loud } from '../helpers/loud.js';

const ENGINE = ENGINE_MATRIX.find((e) => e.id === 'elasticsearch-8')!;
const INDEX = 'articles';
const DOCUMENTS = 300;
// Four pods over three zones; every shard has one replica, so es-data-3 can drain anywhere.
const SCENARIO: Scenario = {
  namespace: 'search',
  statefulSet: 'es-data',
  zones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c', 'eu-central-1a'],
  indices: [{ name: INDEX, primaries: 3, replicas: 1 }],
  awareness: { attributes: ['zone'] },
};
const podNames = (count: number) => Array.from({ length: count }, (_, i) => `es-data-${i}`);

type World = KubeWorld<RealPodElasticsearch>;

async function assertSucceeded(world: World, count: number) {
  const history = await world.finishedOperations(count, 240_000);
  const record = history[count - 1]!;
  assert.equal(record.outcome, 'succeeded', `${record.detail}\nworker:\n${world.workerOutput().slice(-3_000)}`);
  return world.operationHandle(record.workflowId).result();
}

/** Each Elasticsearch node: its id, its zone attribute, and the zone label of its pod's node. */
async function nodesAndZones(world: World): Promise<Record<string, { id: string; zone: string; podZone: string }>> {
  const info = await world.esClient.nodes.info({ filter_path: 'nodes.*.name,nodes.*.attributes' });
  const out: Record<string, { id: string; zone: string; podZone: string }> = {};
  for (const [id, node] of Object.entries(info.nodes)) {
    const pod = await world.core.readNamespacedPod({ name: node.name, namespace: world.namespace });
    const kubeNode = await world.core.readNode({ name: pod.spec!.nodeName! });
    out[node.name] = { id, zone: String(node.attributes?.zone), podZone: kubeNode.metadata!.labels![ZONE_LABEL]! };
  }
  return out;
}

async function assertSettled(world: World, replicas: number) {
  assert.equal(await world.replicas(), replicas);
  await world.waitForPods(podNames(replicas), 180_000);
  assert.deepEqual(await world.exclusions(), {});
  const health = await world.esClient.cluster.health({ wait_for_status: 'green', wait_for_no_relocating_shards: true, timeout: '120s' }, { requestTimeout: 150_000 });
  assert.equal(health.status, 'green');
  // the node processes are exactly the pods' (a stopping node leaves the cluster before its JVM exits)
  const processes = () => JSON.stringify(world.es.real.processes().map((n) => n.spec.name).sort());
  await eventually(`node processes ${JSON.stringify(podNames(replicas))}`, () => processes() === JSON.stringify(podNames(replicas)), 60_000, 200);
  const versions = await world.esClient.cat.nodes({ format: 'json', h: 'version' });
  assert.deepEqual([...new Set(versions.map((v) => v.version))], [ENGINE.version]);
  for (const [name, node] of Object.entries(await nodesAndZones(world))) assert.equal(node.zone, node.podZone, `${name}: node.attr.zone is its pod's zone`);
  // after a node joins, the balancer may begin another round of relocations after the health wait returned
  const shards = await eventually('every copy STARTED', async () => {
    const all = await world.esClient.cat.shards({ index: INDEX, format: 'json', h: 'shard,prirep,state,node' });
    const moving = all.filter((s) => s.state !== 'STARTED');
    if (moving.length > 0) throw new Error(`not yet: ${JSON.stringify(moving)}`);
    return all;
  }, 120_000, 500);
  assert.equal(shards.length, 6);
  for (const s of shards) assert.ok(podNames(replicas).includes(s.node!), `shard ${s.shard}${s.prirep} is on ${s.node}, not on a pod of the StatefulSet`);
  const { count } = await world.esClient.count({ index: INDEX });
  assert.equal(count, DOCUMENTS, 'every document is still there');
}

describe(`real Kubernetes with real ${engineLabel(ENGINE)} nodes`, function () {
  this.timeout(600_000);
  let distribution: Distribution | undefined;
  before(async function () {
    this.timeout(15 * 60_000); // a first fetch from Maven Central
    const why = process.env.ES_SCALER_SKIP_REAL_ES ? { ok: false as const, reason: 'ES_SCALER_SKIP_REAL_ES is set' } : await availability(ENGINE);
    if (!why.ok) {
      loud([
        `REAL-KUBERNETES + REAL ${engineLabel(ENGINE).toUpperCase()} SKIPPED (K9 did NOT run)`,
        `why: ${why.reason}`,
        'to run it: install a fitting JDK and Maven; see docs/real-elasticsearch.md and docs/real-kubernetes.md',
      ]);
      this.skip();
    }
    distribution = await fetchDistribution(ENGINE);
  });
  const controlPlane = controlPlaneForSuite();
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('K9: 4 → 3 → 4: the real controller deletes and creates pods, the test kubelet stops and starts real nodes', async () => {
    const startedAt = Date.now();
    const log = (line: string) => console.log(`      [k9 ${((Date.now() - startedAt) / 1000).toFixed(0)} s] ${line}`);
    world = await KubeWorld.start(controlPlane(), {
      scenario: SCENARIO,
      elasticsearch: realPodElasticsearch(distribution!, log),
      nodesStartMs: 300_000,
      cluster: { pollInterval: '500ms', stallAfter: '3m' },
    });
    const rssMiB = world.es.real.processes().reduce((sum, n) => sum + n.rssBytes(), 0) / 1024 / 1024;
    log(`4 pods, 4 nodes, index created; the node processes hold ${rssMiB.toFixed(0)} MiB RSS`);
    const bulk = await world.esClient.bulk({
      refresh: true,
      operations: Array.from({ length: DOCUMENTS }, (_, i) => [{ index: { _index: INDEX, _id: String(i) } }, { title: `article ${i}` }]).flat(),
    });
    assert.equal(bulk.errors, false);
    await assertSettled(world, 4);
    const before = await nodesAndZones(world);
    await world.startWorkerProcess();

    await world.submit(3);
    const scaleIn = await assertSucceeded(world, 1);
    log('scale-in 4 → 3 succeeded');
    assert.deepEqual(scaleIn.removedPods, ['es-data-3']);
    assert.deepEqual(scaleIn.compensation.exclusionsRemoved, []);
    await assertSettled(world, 3);

    await world.submit(4);
    const scaleOut = await assertSucceeded(world, 2);
    log('scale-out 3 → 4 succeeded');
    assert.deepEqual(scaleOut.addedPods, ['es-data-3']);
    await assertSettled(world, 4);
    // ephemeral storage: the new es-data-3 is a new node, not the old one back with its data
    const after = await nodesAndZones(world);
    assert.notEqual(after['es-data-3']!.id, before['es-data-3']!.id);
    assert.equal(after['es-data-0']!.id, before['es-data-0']!.id);
    log(`done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  });
});
