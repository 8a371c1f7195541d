import assert from 'node:assert/strict';
import { scenarios, type Scenario } from '../../src/sandbox/index.js';
import { harnessPerTest, sleep, waitFor, type Harness } from './helpers.js';

const ns = 'search';
const name = 'es-data';
const EXCLUDE_NAME = 'cluster.routing.allocation.exclude._name';

interface Decider {
  decider: string;
  decision: string;
  explanation: string;
}
interface NodeDecision {
  node_name: string;
  node_decision: string;
  deciders?: Decider[];
}

describe('sandbox: shard allocation', function () {
  const start = harnessPerTest();

  async function scaleTo(h: Harness, replicas: number): Promise<void> {
    await h.apps.patchNamespacedStatefulSetScale({ name, namespace: ns, body: [{ op: 'replace', path: '/spec/replicas', value: replicas }] });
  }

  it('drains a node excluded by _name (even-8) and leaves the exclusion as it was set', async () => {
    const h = await start(scenarios['even-8']!);
    const before = h.sb.shards().filter((s) => s.node === 'es-data-7').length;
    assert.ok(before > 0);
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE_NAME]: 'es-data-7' } });
    await waitFor('es-data-7 to be empty', async () => {
      const shards = (await h.es.cat.shards({ format: 'json' })) as { node: string | null; state: string }[];
      return shards.every((s) => s.state === 'STARTED' && s.node !== 'es-data-7');
    });
    assert.deepEqual(h.sb.exclusions(), { _name: 'es-data-7' });
    assert.equal(h.sb.health(), 'green');
    assert.equal(h.sb.shards().length, 16);
  });

  it('refuses to drain the only node of a zone when awareness allows one copy per zone (incident)', async () => {
    const h = await start(scenarios.incident!);
    const onSix = h.sb.shards().filter((s) => s.node === 'es-data-6');
    assert.equal(onSix.length, 8, 'one copy of every shard lives in eu-central-1a');
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE_NAME]: 'es-data-6' } });
    await sleep(1000); // several relocation times
    assert.deepEqual(
      h.sb.shards().filter((s) => s.node === 'es-data-6').map((s) => s.state),
      onSix.map(() => 'STARTED'),
    );

    const copy = onSix[0]!;
    const explain = await h.es.cluster.allocationExplain({ index: copy.index, shard: copy.shard, primary: copy.prirep === 'p', current_node: 'es-data-6' });
    assert.equal(explain.current_state, 'started');
    assert.equal(explain.current_node?.name, 'es-data-6');
    assert.equal(explain.can_remain_on_current_node, 'no');
    assert.deepEqual(
      explain.can_remain_decisions?.map((d) => [d.decider, d.decision, d.explanation]),
      [['filter', 'NO', 'node matches cluster setting [cluster.routing.allocation.exclude] filters [_name:"es-data-6"]']],
    );
    assert.equal(explain.can_move_to_other_node, 'no');
    assert.match(explain.move_explanation ?? '', /isn't allowed to move it to another node/);
    const decisions = explain.node_allocation_decisions as unknown as NodeDecision[];
    assert.equal(decisions.length, 6);
    for (const d of decisions) {
      assert.equal(d.node_decision, 'no');
      const awareness = d.deciders?.find((x) => x.decider === 'awareness');
      assert.ok(awareness, `awareness refuses ${d.node_name}`);
      assert.match(
        awareness.explanation,
        /^there are \[3\] copies of this shard and \[3\] values for attribute \[zone\] \(\[eu-central-1a, eu-central-1b, eu-central-1c\] from nodes in the cluster and no forced awareness\) so there may be at most \[1\] copies of this shard allocated to nodes with each value, but \(including this copy\) there would be \[2\] copies allocated to nodes with \[node\.attr\.zone: eu-central-1[bc]\]$/,
      );
    }
  });

  it('with forced awareness values, copies of a lost zone stay unassigned (yellow) and explain says why', async () => {
    const forced: Scenario = { ...scenarios.incident!, awareness: { attributes: ['zone'], force: { zone: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'] } } };
    const h = await start(forced);
    await scaleTo(h, 6); // es-data-6, the only node in eu-central-1a, goes away without a drain
    await waitFor('es-data-6 to leave', () => !h.sb.esNodes().some((n) => n.name === 'es-data-6'));
    await sleep(800);
    assert.equal(h.sb.health(), 'yellow');
    assert.equal(h.sb.shards().filter((s) => s.state === 'UNASSIGNED').length, 8);

    const explain = await h.es.cluster.allocationExplain();
    assert.equal(explain.current_state, 'unassigned');
    assert.equal(explain.unassigned_info?.reason, 'NODE_LEFT');
    assert.equal(explain.can_allocate, 'no');
    const texts = (explain.node_allocation_decisions as unknown as NodeDecision[]).flatMap((d) => d.deciders ?? []).filter((d) => d.decider === 'awareness');
    assert.ok(texts.length > 0);
    assert.match(texts[0]!.explanation, /\(\[eu-central-1b, eu-central-1c\] from nodes in the cluster and \[eu-central-1a, eu-central-1b, eu-central-1c\] from forced awareness\)/);
  });

  it('goes yellow when a node holding replicas leaves, and back to green once they are recovered', async () => {
    const h = await start(scenarios.incident!); // without forced values the two remaining zones may take two copies each
    await scaleTo(h, 6);
    await waitFor('yellow', async () => (await h.es.cluster.health()).status === 'yellow');
    const health = await h.es.cluster.health({ wait_for_status: 'green', timeout: '10s' });
    assert.equal(health.status, 'green');
    assert.equal(health.number_of_nodes, 9, 'six data nodes and the three dedicated masters');
    assert.equal(health.number_of_data_nodes, 6);
    assert.equal(health.active_shards, 24);
  });

  it('lets transient settings override persistent ones', async () => {
    const h = await start(scenarios['even-8']!);
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE_NAME]: 'es-data-5' }, transient: { [EXCLUDE_NAME]: 'es-data-7' } });
    assert.deepEqual(h.sb.exclusions(), { _name: 'es-data-7' });
    await waitFor('es-data-7 to be empty', () => h.sb.shards().every((s) => s.node !== 'es-data-7' && s.state === 'STARTED'));
    assert.ok(h.sb.shards().some((s) => s.node === 'es-data-5'), 'the persistent exclusion is overridden');

    await h.es.cluster.putSettings({ transient: { [EXCLUDE_NAME]: null } });
    assert.deepEqual(h.sb.exclusions(), { _name: 'es-data-5' });
    await waitFor('es-data-5 to be empty', () => h.sb.shards().every((s) => s.node !== 'es-data-5' && s.state === 'STARTED'));
  });

  it('prints a relocation in _cat/shards the way ES does', async () => {
    const h = await start(scenarios['even-8']!);
    h.sb.faults.stallRelocations(true);
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE_NAME]: 'es-data-7' } });
    await waitFor('a relocation', () => h.sb.shards().some((s) => s.state === 'RELOCATING'));
    const shards = (await h.es.cat.shards({ format: 'json' })) as { state: string; node: string }[];
    const moving = shards.find((s) => s.state === 'RELOCATING')!;
    assert.match(moving.node, /^es-data-7 -> \d+\.\d+\.\d+\.\d+ [\w-]{22} es-data-\d$/);
  });

  it('restarts a pod in another zone: new IP, and its ES node rejoins there', async () => {
    const h = await start(scenarios.incident!);
    const old = h.sb.pods().find((p) => p.ordinal === 3)!;
    await h.sb.restartPod(3, 'eu-central-1a');
    const pod = await h.core.readNamespacedPod({ name: 'es-data-3', namespace: ns });
    assert.notEqual(pod.status?.podIP, old.ip);
    const node = await h.core.readNode({ name: pod.spec!.nodeName! });
    assert.equal(node.metadata?.labels?.['topology.kubernetes.io/zone'], 'eu-central-1a');
    assert.deepEqual(
      h.sb.esNodes().find((n) => n.name === 'es-data-3'),
      { name: 'es-data-3', zone: 'eu-central-1a', ip: pod.status?.podIP, roles: ['data', 'data_cold', 'data_content', 'data_frozen', 'data_hot', 'data_warm', 'ingest', 'ml', 'remote_cluster_client', 'transform'] },
    );
    // the restarted node came back empty (ephemeral storage); its copies were rebuilt somewhere
    await waitFor('green', () => h.sb.health() === 'green');
  });
});
