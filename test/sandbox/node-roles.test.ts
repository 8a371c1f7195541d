import assert from 'node:assert/strict';
import { dedicatedMasters, parseScenario, scenarios, type Scenario } from '../../src/sandbox/index.js';
import { harnessPerTest, sleep, waitFor } from './helpers.js';

const EXCLUDE_NAME = 'cluster.routing.allocation.exclude._name';
const MASTERS = ['es-master-0', 'es-master-1', 'es-master-2'];

interface NodeDecision {
  node_name: string;
  node_decision: string;
  roles: string[];
  deciders?: { decider: string; decision: string; explanation: string }[];
}

describe('sandbox: node roles', function () {
  const start = harnessPerTest();

  it('lists dedicated masters with their roles and attributes in _nodes, _cat/nodes and health', async () => {
    const h = await start(scenarios['incident-with-masters']!);
    const info = await h.es.nodes.info();
    const byName = new Map(Object.values(info.nodes).map((n) => [n.name, n]));
    assert.equal(byName.size, 10);
    assert.deepEqual(byName.get('es-master-0')?.roles, ['master']);
    assert.equal(byName.get('es-master-0')?.attributes.zone, 'eu-central-1a');
    assert.deepEqual(byName.get('es-data-6')?.roles, ['data', 'ingest']);
    assert.equal(byName.get('es-data-6')?.attributes.zone, 'eu-central-1a');

    const rows = (await h.es.cat.nodes({ format: 'json', h: 'name,node.role,master' })) as { name: string; 'node.role': string; master: string }[];
    const role = Object.fromEntries(rows.map((r) => [r.name, r['node.role']]));
    assert.equal(role['es-master-1'], 'm');
    assert.equal(role['es-data-0'], 'di');
    assert.deepEqual(rows.filter((r) => r.master === '*').map((r) => r.name), ['es-master-0'], 'a dedicated master is elected');

    const health = await h.es.cluster.health();
    assert.equal(health.number_of_nodes, 10);
    assert.equal(health.number_of_data_nodes, 7);
  });

  it('resolves node filters by role and attribute the way ES does', async () => {
    const h = await start(scenarios['incident-with-masters']!);
    const names = async (nodeId: string): Promise<string[]> => Object.values((await h.es.nodes.info({ node_id: nodeId })).nodes).map((n) => n.name).sort();
    assert.deepEqual(await names('master:true'), MASTERS);
    assert.deepEqual(await names('data:true'), [0, 1, 2, 3, 4, 5, 6].map((i) => `es-data-${i}`));
    assert.deepEqual(await names('data_hot:true'), [0, 1, 2, 3, 4, 5, 6].map((i) => `es-data-${i}`), 'a tier filter matches the generic data role too');
    assert.deepEqual(await names('_all,master:false'), [0, 1, 2, 3, 4, 5, 6].map((i) => `es-data-${i}`));
    assert.deepEqual(await names('zone:eu-central-1a'), ['es-data-6', 'es-master-0']);
    assert.deepEqual(await names('zone:eu-central-1a,master:false'), ['es-data-6']);
    assert.deepEqual(await names('_master'), ['es-master-0']);
  });

  it('keeps shards off dedicated masters, and a master in the zone does not let its only data node drain', async () => {
    const h = await start(scenarios['incident-with-masters']!);
    assert.ok(h.sb.shards().every((s) => s.node?.startsWith('es-data-')), 'no copy starts on a master');
    const onSix = h.sb.shards().filter((s) => s.node === 'es-data-6');
    assert.equal(onSix.length, 8);
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE_NAME]: 'es-data-6' } });
    await sleep(1000); // several relocation times
    assert.equal(h.sb.shards().filter((s) => s.node === 'es-data-6' && s.state === 'STARTED').length, 8, 'awareness still holds every copy');

    const copy = onSix[0]!;
    const explain = await h.es.cluster.allocationExplain({ index: copy.index, shard: copy.shard, primary: copy.prirep === 'p', current_node: 'es-data-6' });
    assert.deepEqual(explain.current_node?.roles, ['data', 'ingest']);
    const decisions = explain.node_allocation_decisions as unknown as NodeDecision[];
    assert.deepEqual(decisions.map((d) => d.node_name).sort(), [0, 1, 2, 3, 4, 5].map((i) => `es-data-${i}`), 'only data nodes are candidates');
    for (const d of decisions) {
      // the masters' zone eu-central-1a is still a value, but only because es-data-6 is in it
      assert.match(d.deciders?.find((x) => x.decider === 'awareness')?.explanation ?? '', /\[3\] values for attribute \[zone\]/);
    }
  });

  it('counts only data nodes as awareness values: a zone with a master alone is no value', async () => {
    // three copies over data zones a and b allow two per zone; were zone c (a master only) a value, one per zone
    const s: Scenario = {
      namespace: 'search',
      statefulSet: 'es-data',
      zones: ['a', 'b', 'a', 'b'],
      roles: ['data', 'ingest'],
      otherNodes: dedicatedMasters(['a', 'b', 'c']),
      indices: [{ name: 'logs', primaries: 2, replicas: 2 }],
      awareness: { attributes: ['zone'] },
    };
    const h = await start(s);
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE_NAME]: 'es-data-3' } });
    await waitFor('es-data-3 to be empty', () => h.sb.shards().every((r) => r.node !== 'es-data-3' && r.state === 'STARTED'));
    const zoneOf = new Map(h.sb.esNodes().map((n) => [n.name, n.zone]));
    for (const shard of [0, 1]) {
      const zones = h.sb.shards().filter((r) => r.shard === shard).map((r) => zoneOf.get(r.node!)).sort();
      assert.equal(zones.length, 3);
      assert.ok(!zones.includes('c'));
      assert.ok(zones.filter((z) => z === 'a').length <= 2 && zones.filter((z) => z === 'b').length <= 2, `shard ${shard}: ${zones.join(',')}`);
    }
    assert.equal(h.sb.health(), 'green');
  });

  it('runs data pods beside three dedicated masters for scenarios that set no roles, as production clusters do', async () => {
    const h = await start(scenarios['even-8']!);
    const rows = (await h.es.cat.nodes({ format: 'json', h: 'name,node.role' })) as { name: string; 'node.role': string }[];
    const roleOf = new Map(rows.map((r) => [r.name, r['node.role']]));
    assert.ok(rows.filter((r) => r.name.startsWith('es-data-')).every((r) => r['node.role'] === 'cdfhilrstw'), 'Elasticsearch\'s default roles but master');
    assert.deepEqual(['es-master-0', 'es-master-1', 'es-master-2'].map((n) => roleOf.get(n)), ['m', 'm', 'm']);
    assert.deepEqual(h.sb.esNodes().find((n) => n.name === 'es-data-0')?.roles, ['data', 'data_cold', 'data_content', 'data_frozen', 'data_hot', 'data_warm', 'ingest', 'ml', 'remote_cluster_client', 'transform']);
  });

  it('adds no masters when the pods are master-eligible or the scenario names its own', async () => {
    const h = await start({ ...scenarios['even-8']!, roles: ['data', 'master'] });
    assert.ok(!h.sb.esNodes().some((n) => n.name.startsWith('es-master-')));
  });

  it('rejects bad roles and node names, naming the field', () => {
    const base = scenarios['incident-with-masters']!;
    assert.throws(() => parseScenario({ ...base, roles: ['ingest'] }), /roles: the StatefulSet runs data nodes/);
    assert.throws(() => parseScenario({ ...base, roles: ['data', 'boss'] }), /roles\.1:/);
    assert.throws(() => parseScenario({ ...base, otherNodes: [{ name: 'es-data-3', zone: 'a', roles: ['master'] }] }), /otherNodes\.0\.name: "es-data-3" is a name of the StatefulSet's pods/);
    assert.throws(() => parseScenario({ ...base, otherNodes: [...dedicatedMasters(['a']), ...dedicatedMasters(['b'])] }), /otherNodes\.1\.name: duplicate node name "es-master-0"/);
  });

  it('voting configuration exclusions: added by name, shown in the cluster state metadata, cleared; bad requests refused as Elasticsearch does', async () => {
    const h = await start(scenarios['incident-with-masters']!);
    const excluded = async () => {
      const state = (await h.es.cluster.state({ metric: 'metadata' })) as { metadata: { cluster_coordination: { voting_config_exclusions: { node_id: string; node_name: string }[]; last_committed_config: string[] } } };
      return state.metadata.cluster_coordination;
    };
    assert.equal((await excluded()).last_committed_config.length, 3);
    await h.es.cluster.postVotingConfigExclusions({ node_names: 'es-master-2,es-gone,es-data-0' });
    const coordination = await excluded();
    assert.deepEqual(coordination.voting_config_exclusions.map((e) => e.node_name), ['es-master-2', 'es-gone'], 'a data-only node gets none');
    assert.equal(coordination.voting_config_exclusions[1]!.node_id, '_absent_', 'a name that is no master-eligible node');
    assert.equal(coordination.last_committed_config.length, 2);
    await assert.rejects(h.es.cluster.postVotingConfigExclusions({ node_names: 'es-master-1', node_ids: 'x' }), /One and only one of \[node_name\], \[node_names\] and \[node_ids\] has to be set/);
    await assert.rejects(h.es.cluster.deleteVotingConfigExclusions(), /timed out waiting for removal of nodes/, 'es-master-2 is still in the cluster');
    await h.es.cluster.deleteVotingConfigExclusions({ wait_for_removal: false });
    assert.deepEqual((await excluded()).voting_config_exclusions, []);
  });
});
