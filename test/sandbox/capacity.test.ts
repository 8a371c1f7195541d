import assert from 'node:assert/strict';
import type { Client } from '@elastic/elasticsearch';
import { readCapacityFacts } from '../../src/activities/capacity.js';
import { defaultPreflightPolicy } from '../../src/config/preflight-policy.js';
import { capacityVerdict, type PreflightPolicy } from '../../src/domain/capacity/verdict.js';
import { scenarios, type Scenario } from '../../src/sandbox/index.js';
import { harnessPerTest, waitFor } from './helpers.js';

const GB = 1024 ** 3;

/** What the preflightNode activity computes, from the same reads. */
async function capacityPreflight(client: Client, pod: string, policy: PreflightPolicy) {
  const { facts, health } = await readCapacityFacts(client);
  return capacityVerdict(facts, health, pod, policy);
}

// three 10gb nodes, one per zone, each holding two 1gb copies once balanced
const small: Scenario = {
  namespace: 'search',
  statefulSet: 'es-data',
  zones: ['a', 'b', 'c'],
  roles: ['data', 'ingest'],
  disk: { total: '10gb' },
  indices: [{ name: 'logs', primaries: 3, replicas: 1, shardSize: '1gb' }],
  awareness: { attributes: ['zone'] },
};

describe('capacity pre-flight activity (official client on the sandbox)', function () {
  const start = harnessPerTest();

  it('refuses a drain whose copies do not fit below the high watermark in bytes, with the numbers, and changes nothing', async () => {
    const h = await start(small);
    await waitFor('balanced', () => ['es-data-0', 'es-data-1', 'es-data-2'].every((n) => h.sb.shards().filter((s) => s.node === n && s.state === 'STARTED').length === 2));
    await h.es.cluster.putSettings({
      persistent: {
        'cluster.routing.allocation.disk.watermark.low': '7.5gb',
        'cluster.routing.allocation.disk.watermark.high': '7.5gb',
        'cluster.routing.allocation.disk.watermark.flood_stage': '1gb',
      },
    });
    const before = h.sb.settings();
    const v = await capacityPreflight(h.es, 'es-data-2', { ...defaultPreflightPolicy, diskMarginPercent: 0 });
    assert.equal(v.verdict, 'blocked');
    assert.deepEqual(v.findings.map((f) => [f.check, f.outcome]), [['disk', 'blocks'], ['zoneEmpties', 'warns']]);
    assert.match(v.findings[0]!.message, /^2 copies \(2gb\) cannot leave es-data-2: /);
    assert.equal(v.numbers.bytesToMove, 2 * GB);
    assert.deepEqual(v.numbers.freeBelowWatermarkByZone, { a: 0.5 * GB, b: 0.5 * GB });
    assert.deepEqual(h.sb.settings(), before, 'a pre-flight writes nothing');
    assert.deepEqual(h.sb.exclusions(), {});
  });

  it('lets the same drain go under the default watermarks, projecting disk use per node', async () => {
    const h = await start(small);
    await waitFor('balanced', () => ['es-data-0', 'es-data-1', 'es-data-2'].every((n) => h.sb.shards().filter((s) => s.node === n && s.state === 'STARTED').length === 2));
    const v = await capacityPreflight(h.es, 'es-data-2', defaultPreflightPolicy);
    // es-data-2 is the last node of zone c: a warning by default
    assert.equal(v.verdict, 'warning');
    assert.deepEqual(v.findings.map((f) => f.check), ['zoneEmpties']);
    assert.deepEqual(
      v.numbers.projected.map((p) => [p.node, p.usedBytes / GB]),
      [['es-data-0', 3], ['es-data-1', 3]],
    );
  });

  it('the incident with dedicated masters is blocked by awareness, not waved through by the masters', async () => {
    const h = await start(scenarios['incident-with-masters']!);
    const v = await capacityPreflight(h.es, 'es-data-6', defaultPreflightPolicy);
    assert.equal(v.verdict, 'blocked');
    assert.deepEqual(v.findings.map((f) => [f.check, f.outcome]), [['awareness', 'blocks'], ['zoneEmpties', 'warns']]);
    assert.equal(v.numbers.stuckCopies, 8);
  });

  it('a yellow cluster is refused, naming the index', async () => {
    const h = await start(small);
    await h.es.indices.create({ index: 'wide', settings: { number_of_shards: 1, number_of_replicas: 5 } });
    await waitFor('yellow', () => h.sb.health() === 'yellow');
    const v = await capacityPreflight(h.es, 'es-data-2', defaultPreflightPolicy);
    assert.equal(v.verdict, 'blocked');
    assert.equal(v.findings.find((f) => f.check === 'health')?.message, 'cluster is yellow, green required: wide (yellow)');
  });

  it('a master-eligible node is refused unless the policy allows it', async () => {
    const h = await start({ ...scenarios['even-8']!, roles: ['data', 'master'] }); // every pod master-eligible
    const refused = await capacityPreflight(h.es, 'es-data-7', defaultPreflightPolicy);
    assert.equal(refused.verdict, 'blocked');
    assert.deepEqual(refused.findings.map((f) => f.check), ['masterEligible']);
    const allowed = await capacityPreflight(h.es, 'es-data-7', { ...defaultPreflightPolicy, masterEligible: 'allow' });
    assert.equal(allowed.verdict, 'ok');
  });
});
