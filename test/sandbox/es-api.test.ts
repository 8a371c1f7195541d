import assert from 'node:assert/strict';
import { errors } from '@elastic/elasticsearch';
import { scenarios } from '../../src/sandbox/index.js';
import { harnessPerTest, rejection, waitFor } from './helpers.js';

describe('sandbox: Elasticsearch API', function () {
  const start = harnessPerTest();

  it('looks like Elasticsearch 8 to the official client (product header on every response)', async () => {
    const h = await start(scenarios['even-8']!);
    const info = await h.es.info();
    assert.match(info.version.number, /^8\./);
    assert.equal(await h.es.ping(), true);
    const res = await fetch(`${h.sb.esUrl}/_no/such/thing`);
    assert.equal(res.headers.get('x-elastic-product'), 'Elasticsearch');
    assert.equal(res.status, 400);
  });

  it('stores cluster settings flat, renders them nested or flat, and removes keys set to null', async () => {
    const h = await start(scenarios['even-8']!);
    const put = await h.es.cluster.putSettings({
      persistent: { cluster: { routing: { allocation: { exclude: { _name: 'es-data-7' } } } } },
      transient: { 'cluster.routing.allocation.exclude._ip': '10.9.9.9' },
    });
    assert.deepEqual(put.persistent, { cluster: { routing: { allocation: { exclude: { _name: 'es-data-7' } } } } });
    assert.equal(h.sb.settings().transient['cluster.routing.allocation.exclude._ip'], '10.9.9.9');

    const nested = await h.es.cluster.getSettings();
    assert.deepEqual(nested.transient, { cluster: { routing: { allocation: { exclude: { _ip: '10.9.9.9' } } } } });
    const flat = await h.es.cluster.getSettings({ flat_settings: true });
    assert.equal(flat.persistent['cluster.routing.allocation.exclude._name'], 'es-data-7');
    assert.equal(flat.persistent['cluster.routing.allocation.awareness.attributes'], 'zone');

    await h.es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._name': null }, transient: { 'cluster.routing.allocation.exclude.*': null } });
    assert.deepEqual(h.sb.exclusions(), {});

    const bad = await rejection(() => h.es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._ip': 'not-an-ip' } }));
    assert.ok(bad instanceof errors.ResponseError);
    assert.equal(bad.meta.statusCode, 400);
    assert.equal((bad.meta.body as { error: { type: string } }).error.type, 'illegal_argument_exception');
  });

  it('serves _cat/shards, _cat/nodes, _cat/nodeattrs and _nodes with ES field names', async () => {
    const h = await start(scenarios.incident!);
    const shards = (await h.es.cat.shards({ format: 'json' })) as Record<string, string | null>[];
    assert.equal(shards.length, 24);
    assert.deepEqual(Object.keys(shards[0]!), ['index', 'shard', 'prirep', 'state', 'docs', 'store', 'dataset', 'ip', 'node']);
    assert.ok(shards.every((s) => s.state === 'STARTED'));
    assert.equal(((await h.es.cat.shards({ index: 'catalog', format: 'json' })) as unknown[]).length, 9);

    const nodes = (await h.es.cat.nodes({ format: 'json' })) as Record<string, string>[];
    assert.equal(nodes.length, 10, 'seven data pods and three dedicated masters');
    assert.equal(nodes.filter((n) => n.master === '*').length, 1);
    assert.match(nodes.find((n) => n.master === '*')!.name!, /^es-master-/);
    const text = await h.es.cat.nodes({ v: true, h: 'name,ip' });
    assert.match(String(text), /^name\s+ip\n/);

    const attrs = (await h.es.cat.nodeattrs({ format: 'json' })) as Record<string, string>[];
    assert.deepEqual(Object.keys(attrs[0]!), ['node', 'host', 'ip', 'attr', 'value']);
    assert.equal(attrs.find((a) => a.node === 'es-data-6' && a.attr === 'zone')?.value, 'eu-central-1a');

    const info = await h.es.nodes.info();
    const six = Object.entries(info.nodes).find(([, n]) => n.name === 'es-data-6');
    assert.ok(six);
    assert.equal(six[1].attributes?.zone, 'eu-central-1a');
    assert.equal(six[1].transport_address, `${six[1].ip}:9300`);
  });

  it('creates and deletes indices; a new index turns green once its copies are allocated', async () => {
    const h = await start(scenarios['even-8']!);
    const created = await h.es.indices.create({ index: 'logs', settings: { number_of_shards: 2, number_of_replicas: 1 } });
    assert.deepEqual(created, { acknowledged: true, shards_acknowledged: true, index: 'logs' });
    const health = await h.es.cluster.health({ index: 'logs', wait_for_status: 'green', timeout: '5s' });
    assert.equal(health.status, 'green');
    assert.equal(health.active_shards, 4);
    const indices = (await h.es.cat.indices({ format: 'json' })) as Record<string, string>[];
    assert.deepEqual(indices.map((i) => i.index), ['articles', 'catalog', 'logs']);

    await h.es.indices.delete({ index: 'logs' });
    assert.equal(await h.es.indices.exists({ index: 'logs' }), false);
    const missing = await rejection(() => h.es.cat.shards({ index: 'logs', format: 'json' }));
    assert.ok(missing instanceof errors.ResponseError);
    assert.equal(missing.meta.statusCode, 404);
    assert.equal((missing.meta.body as { error: { type: string } }).error.type, 'index_not_found_exception');
  });

  it('refuses to explain "any unassigned shard" when there is none, as ES does', async () => {
    const h = await start(scenarios['even-8']!);
    const err = await rejection(() => h.es.cluster.allocationExplain());
    assert.ok(err instanceof errors.ResponseError);
    assert.equal(err.meta.statusCode, 400);
    const error = (err.meta.body as { error: { type: string; reason: string } }).error;
    assert.equal(error.type, 'illegal_argument_exception');
    assert.match(error.reason, /^No shard was specified in the request .* but there are no unassigned shards in this cluster\. To explain the allocation of an assigned shard you must specify the target shard in the request\./);
  });

  it('waits in _cluster/health for wait_for_status, and times out with 408', async () => {
    const h = await start(scenarios['even-8']!);
    await h.es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._name': 'es-data-*' } });
    await h.es.indices.create({ index: 'nowhere', settings: { number_of_replicas: 0 }, wait_for_active_shards: 0 });
    const res = await fetch(`${h.sb.esUrl}/_cluster/health/nowhere?wait_for_status=green&timeout=300ms`);
    assert.equal(res.status, 408);
    const body = (await res.json()) as { timed_out: boolean; status: string };
    assert.equal(body.timed_out, true);
    assert.equal(body.status, 'red');
    await waitFor('an explanation of the unassigned primary', async () => {
      const explain = await h.es.cluster.allocationExplain();
      return explain.index === 'nowhere' && explain.can_allocate === 'no';
    });
  });
});
