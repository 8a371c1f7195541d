import assert from 'node:assert/strict';
import type { Scenario } from '../../src/sandbox/index.js';
import { harnessPerTest, rejection, sleep, waitFor, type Harness } from './helpers.js';

const EXCLUDE_NAME = 'cluster.routing.allocation.exclude._name';
const GB = 1024 ** 3;

interface Decider {
  decider: string;
  decision: string;
  explanation: string;
}

// three 10gb nodes, one per zone, each holding two 1gb copies
const small: Scenario = {
  namespace: 'search',
  statefulSet: 'es-data',
  zones: ['a', 'b', 'c'],
  disk: { total: '10gb' },
  indices: [{ name: 'logs', primaries: 3, replicas: 1, shardSize: '1gb' }],
  awareness: { attributes: ['zone'] },
};

/** The initial placement is not balanced (3/2/1); the balancer evens it out to two copies per node. */
async function balanced(h: Harness): Promise<void> {
  await waitFor('two copies per node', () => ['es-data-0', 'es-data-1', 'es-data-2'].every((n) => h.sb.shards().filter((s) => s.node === n && s.state === 'STARTED').length === 2));
}

describe('sandbox: disk, watermarks and index-level allocation', function () {
  const start = harnessPerTest();

  it('reports disk in _nodes/stats fs, _cat/allocation and _cat/shards store', async () => {
    const h = await start(small);
    await balanced(h);
    const stats = await h.es.nodes.stats({ metric: 'fs' });
    const node = Object.values(stats.nodes).find((n) => n.name === 'es-data-0')!;
    assert.equal(node.fs?.total?.total_in_bytes, 10 * GB);
    assert.equal(node.fs?.total?.available_in_bytes, 8 * GB);
    const rows = (await h.es.cat.allocation({ format: 'json', bytes: 'b' })) as Record<string, string>[];
    assert.deepEqual(
      rows.map((r) => [r.node, r.shards, r['disk.used'], r['disk.avail'], r['disk.percent']]).sort(),
      ['es-data-0', 'es-data-1', 'es-data-2'].map((n) => [n, '2', String(2 * GB), String(8 * GB), '20']),
    );
    const shards = (await h.es.cat.shards({ format: 'json', bytes: 'b' })) as { store: string }[];
    assert.ok(shards.every((s) => s.store === String(GB)));
  });

  it('refuses a move past the high watermark in bytes, with the disk_threshold text of Elasticsearch', async () => {
    const h = await start(small);
    await balanced(h);
    await h.es.cluster.putSettings({
      persistent: {
        'cluster.routing.allocation.disk.watermark.low': '7.5gb',
        'cluster.routing.allocation.disk.watermark.high': '7.5gb',
        'cluster.routing.allocation.disk.watermark.flood_stage': '1gb',
      },
    });
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE_NAME]: 'es-data-2' } });
    await sleep(800);
    assert.equal(h.sb.shards().filter((s) => s.node === 'es-data-2' && s.state === 'STARTED').length, 2, 'nothing can move');
    const copy = h.sb.shards().find((s) => s.node === 'es-data-2')!;
    const explain = await h.es.cluster.allocationExplain({ index: 'logs', shard: copy.shard, primary: copy.prirep === 'p', current_node: 'es-data-2' });
    assert.equal(explain.can_move_to_other_node, 'no');
    const texts = (explain.node_allocation_decisions as unknown as { deciders?: Decider[] }[]).flatMap((d) => d.deciders ?? []).filter((d) => d.decider === 'disk_threshold');
    assert.ok(texts.length > 0);
    assert.equal(
      texts[0]!.explanation,
      'allocating the shard to this node will bring the node above the high watermark cluster setting [cluster.routing.allocation.disk.watermark.high=7.5gb] and cause it to have less than the minimum required [7.5gb] of free space (free: [8gb], used: [20%], estimated shard size: [1gb])',
    );
  });

  it('moves copies off a node above the high watermark (percent, default) until it is below', async () => {
    const h = await start(small);
    await balanced(h);
    h.sb.setDisk('es-data-0', { otherBytes: 7.5 * GB }); // 9.5gb used: less than the 1gb that 90% leaves free
    await waitFor('es-data-0 to shed a copy', () => h.sb.shards().filter((s) => s.node === 'es-data-0' && s.state === 'STARTED').length === 1);
    await sleep(500);
    assert.equal(h.sb.shards().filter((s) => s.node === 'es-data-0').length, 1, 'one copy moved, no more');
    const remaining = h.sb.shards().find((s) => s.node === 'es-data-0')!;
    const explain = await h.es.cluster.allocationExplain(
      { index: 'logs', shard: remaining.shard, primary: remaining.prirep === 'p', current_node: 'es-data-0' },
      { querystring: { include_yes_decisions: true } },
    );
    assert.equal(explain.can_remain_on_current_node, 'yes');
  });

  it('rejects a watermark that is neither a percentage nor bytes', async () => {
    const h = await start(small);
    const err = (await rejection(() => h.es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.disk.watermark.high': '90' } }))) as { meta: { statusCode: number; body: { error: { reason: string } } } };
    assert.equal(err.meta.statusCode, 400);
    assert.equal(err.meta.body.error.reason, 'unable to parse [cluster.routing.allocation.disk.watermark.high=90] as either percentage or bytes');
  });

  it('holds copies by index.routing.allocation.total_shards_per_node, and shows index settings', async () => {
    const h = await start({ ...small, indices: [{ name: 'logs', primaries: 3, replicas: 0, settings: { 'index.routing.allocation.total_shards_per_node': '1' } }] });
    const settings = await h.es.indices.getSettings({ index: 'logs', flat_settings: true });
    assert.equal(settings.logs?.settings?.['index.routing.allocation.total_shards_per_node' as 'index'], '1');
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE_NAME]: 'es-data-2' } });
    await sleep(600);
    const copy = h.sb.shards().find((s) => s.node === 'es-data-2')!;
    assert.equal(copy.state, 'STARTED');
    const explain = await h.es.cluster.allocationExplain({ index: 'logs', shard: copy.shard, primary: true });
    const limits = (explain.node_allocation_decisions as unknown as { deciders?: Decider[] }[]).flatMap((d) => d.deciders ?? []).filter((d) => d.decider === 'shards_limit');
    assert.equal(limits.length, 2);
    assert.equal(limits[0]!.explanation, 'too many shards [1] allocated to this node for index [logs], index setting [index.routing.allocation.total_shards_per_node=1]');

    await h.es.indices.putSettings({ index: 'logs', settings: { 'index.routing.allocation.total_shards_per_node': null } });
    await waitFor('es-data-2 to be empty', () => h.sb.shards().every((s) => s.node !== 'es-data-2' && s.state === 'STARTED'));
  });

  it('keeps copies in their preferred tier and on nodes matching index filters', async () => {
    const tiers: Scenario = {
      ...small,
      zones: ['a', 'b', 'a'],
      roles: ['data_hot', 'ingest'],
      otherNodes: [{ name: 'es-warm-0', zone: 'c', roles: ['data_warm'] }],
      indices: [
        { name: 'hot', primaries: 2, replicas: 0, settings: { 'index.routing.allocation.include._tier_preference': 'data_hot' } },
        { name: 'pinned', primaries: 1, replicas: 0, settings: { 'index.routing.allocation.require.zone': 'b' } },
      ],
      awareness: undefined,
    };
    const h = await start(tiers);
    assert.ok(h.sb.shards().filter((s) => s.index === 'hot').every((s) => s.node !== 'es-warm-0'));
    assert.equal(h.sb.shards().find((s) => s.index === 'pinned')?.node, 'es-data-1');
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE_NAME]: 'es-data-1' } });
    await sleep(600);
    assert.equal(h.sb.shards().find((s) => s.index === 'pinned')?.node, 'es-data-1', 'no other node is in zone b');
    const explain = await h.es.cluster.allocationExplain({ index: 'pinned', shard: 0, primary: true });
    const filters = (explain.node_allocation_decisions as unknown as { deciders?: Decider[] }[]).flatMap((d) => d.deciders ?? []).filter((d) => d.decider === 'filter');
    assert.ok(filters.some((d) => d.explanation === 'node does not match index setting [index.routing.allocation.require] filters [zone:"b"]'));
  });
});
