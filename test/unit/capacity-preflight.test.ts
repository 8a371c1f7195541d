import assert from 'node:assert/strict';
import { predictDrain } from '../../src/domain/capacity/disk.js';
import type { ClusterFacts, CopyFacts, IndexFacts, NodeFacts } from '../../src/domain/capacity/facts.js';
import { checkHealth } from '../../src/domain/capacity/health.js';
import { checkMasterEligible } from '../../src/domain/capacity/master-eligible.js';
import { capacityVerdict } from '../../src/domain/capacity/verdict.js';
import { defaultPreflightPolicy, preflightPolicySchema } from '../../src/config/preflight-policy.js';

const GB = 1024 ** 3;
const DATA = ['data', 'ingest'];

function node(name: string, zone: string, opts: { totalGb?: number; freeGb?: number; roles?: string[] } = {}): NodeFacts {
  return { name, roles: opts.roles ?? DATA, attributes: { zone }, totalBytes: (opts.totalGb ?? 100) * GB, availableBytes: (opts.freeGb ?? opts.totalGb ?? 100) * GB };
}

function index(name: string, shards: number, copies: number, settings: Record<string, string> = {}): IndexFacts {
  return { name, shards, copies, settings };
}

/** Copies of shard `shard` of `name` on the holders, the first the primary. */
function copies(name: string, shard: number, holders: string[], gb: number): CopyFacts[] {
  return holders.map((n, i) => ({ index: name, shard, primary: i === 0, node: n, bytes: gb * GB }));
}

function facts(nodes: NodeFacts[], indices: IndexFacts[], placed: CopyFacts[], settings: Record<string, string> = {}): ClusterFacts {
  return { nodes, indices: Object.fromEntries(indices.map((i) => [i.name, i])), copies: placed, settings };
}

const green = { status: 'green' as const, indices: [] };
const AWARE = { 'cluster.routing.allocation.awareness.attributes': 'zone' };

describe('capacity pre-flight', function () {
  describe('disk', function () {
    it('a shard larger than any free space is stuck for disk, with the numbers', () => {
      const f = facts(
        [node('d0', 'a', { freeGb: 30 }), node('d1', 'b', { freeGb: 20 }), node('d2', 'c', { freeGb: 20 })],
        [index('big', 1, 1)],
        copies('big', 0, ['d0', 'd1'], 50),
      );
      const p = predictDrain(f, 'd0', { marginPercent: 0 });
      assert.equal(p.bytesToMove, 50 * GB);
      assert.equal(p.stuck.length, 1);
      assert.equal(p.stuck[0]!.reason, 'disk');
      assert.match(p.stuck[0]!.detail, /d2 would have -30gb free, below the 10gb the high watermark and margin keep/);
      assert.deepEqual(p.freeBelowWatermarkByZone, { b: 10 * GB, c: 10 * GB });
    });

    it('fits copies largest first on the node with most room, and projects disk use after the drain', () => {
      const f = facts(
        [node('d0', 'a', { freeGb: 60 }), node('d1', 'a', { freeGb: 70 }), node('d2', 'b', { freeGb: 50 })],
        [index('logs', 2, 1)],
        [...copies('logs', 0, ['d0', 'd2'], 20), ...copies('logs', 1, ['d2', 'd0'], 10)],
      );
      const p = predictDrain(f, 'd0', { marginPercent: 5 });
      assert.deepEqual(p.stuck, []);
      // both copies go to d1 (d2 holds the other copy of each shard): 70 - 30 = 40gb free
      assert.deepEqual(p.projected.map((n) => [n.node, n.usedBytes / GB, n.usedPercent]), [['d1', 60, 60], ['d2', 50, 50]]);
    });

    it('the margin counts: a copy that fits below the watermark alone is stuck with a margin', () => {
      const f = facts([node('d0', 'a'), node('d1', 'b', { freeGb: 25 })], [index('x', 1, 1)], copies('x', 0, ['d0'], 12));
      assert.deepEqual(predictDrain(f, 'd0', { marginPercent: 0 }).stuck, []);
      assert.equal(predictDrain(f, 'd0', { marginPercent: 5 }).stuck[0]?.reason, 'disk');
    });

    it('watermarks in bytes vs percent decide differently on the same disks', () => {
      const nodes = [node('d0', 'a', { totalGb: 1000 }), node('d1', 'b', { totalGb: 1000, freeGb: 60 })];
      const f = (settings: Record<string, string>): ClusterFacts => facts(nodes, [index('x', 1, 1)], copies('x', 0, ['d0'], 30), settings);
      // 90% of 1000gb keeps 100gb free: 60 - 30 leaves 30gb, too little
      assert.equal(predictDrain(f({ 'cluster.routing.allocation.disk.watermark.high': '90%' }), 'd0', { marginPercent: 0 }).stuck[0]?.reason, 'disk');
      // 20gb in bytes keeps 20gb free: 30gb left is fine
      assert.deepEqual(predictDrain(f({ 'cluster.routing.allocation.disk.watermark.high': '20gb' }), 'd0', { marginPercent: 0 }).stuck, []);
    });
  });

  describe('shard limits, filters, tiers, awareness', function () {
    it('an index with total_shards_per_node = 1 and no node without one of its shards is stuck', () => {
      const f = facts(
        [node('d0', 'a'), node('d1', 'b'), node('d2', 'c')],
        [index('one', 3, 1, { 'routing.allocation.total_shards_per_node': '1' })],
        [...copies('one', 0, ['d0'], 1), ...copies('one', 1, ['d1'], 1), ...copies('one', 2, ['d2'], 1)].map((c) => ({ ...c, primary: true })),
      );
      const p = predictDrain(f, 'd0', { marginPercent: 0 });
      assert.equal(p.stuck[0]?.reason, 'shardLimits');
      assert.match(p.stuck[0]!.detail, /index\.routing\.allocation\.total_shards_per_node is 1/);
    });

    it('a copy pinned by an index require filter to the draining node is stuck', () => {
      const f = facts([node('d0', 'a'), node('d1', 'b')], [index('pinned', 1, 1, { 'routing.allocation.require.zone': 'a' })], copies('pinned', 0, ['d0'], 1));
      assert.equal(predictDrain(f, 'd0', { marginPercent: 0 }).stuck[0]?.reason, 'allocationFilters');
    });

    it('a copy preferring the draining node\'s tier, the only node of it, is stuck; a warm node does not take hot data', () => {
      const f = facts(
        [node('h0', 'a', { roles: ['data_hot'] }), node('w0', 'b', { roles: ['data_warm'] })],
        [index('hot', 1, 1, { 'routing.allocation.include._tier_preference': 'data_hot' })],
        copies('hot', 0, ['h0'], 1),
      );
      const p = predictDrain(f, 'h0', { marginPercent: 0 });
      assert.equal(p.stuck[0]?.reason, 'allocationFilters');
      assert.match(p.stuck[0]!.detail, /w0 is not in tier data_hot/);
    });

    it('the incident with dedicated masters: masters are no awareness values and take no copies', () => {
      const zones = ['b', 'c', 'b', 'c', 'c', 'c', 'a'];
      const nodes = [...zones.map((z, i) => node(`es-data-${i}`, z)), ...['a', 'b', 'c'].map((z, i) => node(`es-master-${i}`, z, { roles: ['master'] }))];
      const f = facts(nodes, [index('docs', 1, 3)], copies('docs', 0, ['es-data-6', 'es-data-0', 'es-data-1'], 1), AWARE);
      const v = capacityVerdict(f, green, 'es-data-6', defaultPreflightPolicy);
      assert.equal(v.verdict, 'blocked');
      assert.deepEqual(v.findings.map((x) => [x.check, x.outcome]), [['awareness', 'blocks'], ['zoneEmpties', 'warns']]);
    });
  });

  describe('health, master-eligible, verdict and policy', function () {
    it('names the indices below the required health', () => {
      const h = checkHealth({ status: 'yellow', indices: [{ name: 'b', status: 'yellow' }, { name: 'a', status: 'red' }] }, 'green');
      assert.equal(h.ok, false);
      assert.deepEqual(h.indices.map((i) => i.name), ['a', 'b']);
      assert.equal(checkHealth({ status: 'yellow', indices: [] }, 'yellow').ok, true);
    });

    it('a master-eligible node is refused by default; removing the last master loses quorum', () => {
      const nodes = [node('d0', 'a', { roles: ['master', 'data'] }), node('d1', 'a', { roles: ['data'] })];
      assert.deepEqual(checkMasterEligible(nodes, 'd0'), { masterEligible: true, remaining: 0, losesQuorum: true });
      const v = capacityVerdict(facts(nodes, [], []), green, 'd0', defaultPreflightPolicy);
      assert.equal(v.verdict, 'blocked');
      assert.equal(v.findings[0]?.check, 'masterEligible');
      const last = capacityVerdict(facts(nodes, [], []), green, 'd0', { ...defaultPreflightPolicy, masterEligible: 'allow' });
      assert.equal(last.verdict, 'blocked', 'the last master-eligible node is refused whatever the policy says');
      assert.match(last.findings[0]!.message, /only 0 master-eligible node\(s\) would remain/);
      assert.equal(last.findings[0]!.absolute, true);
      const three = [...['a', 'b', 'c'].map((z, i) => node(`m${i}`, z, { roles: ['master', 'data'] }))];
      const allowed = capacityVerdict(facts(three, [], []), green, 'm2', { ...defaultPreflightPolicy, masterEligible: 'allow', zoneEmpties: 'allow' });
      assert.deepEqual([allowed.verdict, allowed.masterEligible], ['ok', true]);
      assert.equal(capacityVerdict(facts(three, [], []), green, 'm2', { ...defaultPreflightPolicy, masterEligible: 'warn' }).verdict, 'warning');
    });

    it('an emptied zone only warns by default, and refuses when configured', () => {
      const f = facts([node('d0', 'a'), node('d1', 'b'), node('d2', 'c')], [index('x', 1, 2)], copies('x', 0, ['d0', 'd1'], 1), AWARE);
      assert.equal(capacityVerdict(f, green, 'd0', defaultPreflightPolicy).verdict, 'warning');
      assert.equal(capacityVerdict(f, green, 'd0', preflightPolicySchema.parse({ zoneEmpties: 'refuse' })).verdict, 'blocked');
    });

    it('a copy that cannot leave, allowed by the policy, is still said in the summary', () => {
      // two copies, two zones, awareness: the copy on d0 cannot leave zone a's only node
      const f = facts([node('d0', 'a'), node('d1', 'b')], [index('x', 1, 2)], copies('x', 0, ['d0', 'd1'], 1), AWARE);
      const v = capacityVerdict(f, green, 'd0', { ...defaultPreflightPolicy, awareness: 'allow', zoneEmpties: 'allow' });
      assert.equal(v.verdict, 'ok');
      assert.doesNotMatch(v.summary, /can be drained/);
      assert.match(v.summary, /^d0 may never finish draining \(allowed by the policy\): awareness: 1 copy \(1gb\) cannot leave d0: \[x\]\[0\] .*; 1 copy \(1gb\) to move$/);
    });

    it('an allowed shard-limit finding that does not hold a copy is not said to keep the drain from finishing', () => {
      // shard 0 cannot leave d0 (total_shards_per_node), and cluster.max_shards_per_node is exceeded after the drain
      const f = facts(
        [node('d0', 'a'), node('d1', 'b'), node('d2', 'c')],
        [index('one', 3, 1, { 'routing.allocation.total_shards_per_node': '1' })],
        [...copies('one', 0, ['d0'], 1), ...copies('one', 1, ['d1'], 1), ...copies('one', 2, ['d2'], 1)].map((c) => ({ ...c, primary: true })),
        { 'cluster.max_shards_per_node': '1' },
      );
      const v = capacityVerdict(f, green, 'd0', { ...defaultPreflightPolicy, shardLimits: 'allow', zoneEmpties: 'allow' });
      assert.deepEqual(v.findings.map((x) => [x.check, x.outcome]), [['shardLimits', 'allowed'], ['zoneEmpties', 'allowed'], ['shardLimits', 'allowed']]);
      assert.match(v.summary, /^d0 may never finish draining \(allowed by the policy\): shardLimits: 1 copy \(1gb\) cannot leave d0: [^;]*; 1 copy \(1gb\) to move$/);
    });

    it('a yellow cluster is refused unless yellow is enough', () => {
      const f = facts([node('d0', 'a'), node('d1', 'a')], [], []);
      const yellow = { status: 'yellow' as const, indices: [{ name: 'logs', status: 'yellow' as const }] };
      const v = capacityVerdict(f, yellow, 'd0', defaultPreflightPolicy);
      assert.equal(v.verdict, 'blocked');
      assert.equal(v.findings[0]?.message, 'cluster is yellow, green required: logs (yellow)');
      assert.equal(capacityVerdict(f, yellow, 'd0', { ...defaultPreflightPolicy, requiredHealth: 'yellow' }).verdict, 'ok');
    });

    it('cluster.max_shards_per_node exceeded after the drain warns, even under refuse', () => {
      const f = facts([node('d0', 'a'), node('d1', 'a'), node('d2', 'a')], [index('x', 3, 2)], copies('x', 0, ['d0', 'd1'], 1), { 'cluster.max_shards_per_node': '2' });
      const v = capacityVerdict(f, green, 'd0', defaultPreflightPolicy);
      assert.equal(v.verdict, 'warning');
      assert.deepEqual(v.findings.map((x) => [x.check, x.outcome]), [['shardLimits', 'warns']]);
      assert.match(v.findings[0]!.message, /^6 shards would exceed cluster\.max_shards_per_node × data nodes left \(4\)/);
    });

    it('the policy schema names a bad field and fills defaults', () => {
      assert.deepEqual(preflightPolicySchema.parse({}), defaultPreflightPolicy);
      assert.equal(defaultPreflightPolicy.zoneEmpties, 'warn');
      const bad = preflightPolicySchema.safeParse({ disk: 'maybe' });
      assert.equal(bad.success, false);
      assert.deepEqual(bad.error?.issues[0]?.path, ['disk']);
    });
  });
});
