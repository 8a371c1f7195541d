import assert from 'node:assert/strict';
import { defaultPreflightPolicy } from '../../src/config/preflight-policy.js';
import type { ClusterFacts, CopyFacts, NodeFacts } from '../../src/domain/capacity/facts.js';
import type { PreflightPolicy } from '../../src/domain/capacity/verdict.js';
import { predictDrainSequence } from '../../src/domain/drain-sequence.js';

const GB = 1024 ** 3;
const node = (name: string, zone: string, freeGb = 100): NodeFacts => ({ name, roles: ['data'], attributes: { zone }, totalBytes: 100 * GB, availableBytes: freeGb * GB });
const AWARE = { 'cluster.routing.allocation.awareness.attributes': 'zone' };
const green = { status: 'green' as const, indices: [] };

/** Copies of shard `shard` of `index` placed on the given nodes, 1gb each. */
function shard(index: string, holders: string[], shardNumber = 0): CopyFacts[] {
  return holders.map((holder, i) => ({ index, shard: shardNumber, primary: i === 0, node: holder, bytes: GB }));
}

function facts(nodes: NodeFacts[], copies: CopyFacts[], settings: Record<string, string> = AWARE): ClusterFacts {
  const indices: ClusterFacts['indices'] = {};
  for (const c of copies) {
    const i = (indices[c.index] ??= { name: c.index, shards: 0, copies: 0, settings: {} });
    i.shards = Math.max(i.shards, c.shard + 1);
    i.copies = copies.filter((o) => o.index === c.index && o.shard === c.shard).length;
  }
  return { nodes, copies, indices, settings };
}

function sequence(pods: string[], f: ClusterFacts, policy: Partial<PreflightPolicy> = {}) {
  return predictDrainSequence({ pods, facts: f, health: green, policy: { ...defaultPreflightPolicy, ...policy } });
}

describe('drain sequence (plan’s pre-flight of every pod)', () => {
  const incident = ['b', 'c', 'b', 'c', 'c', 'c', 'a'].map((zone, i) => node(`es-${i}`, zone));
  const incidentShards = [...shard('docs', ['es-6', 'es-0', 'es-1']), ...shard('docs', ['es-2', 'es-3', 'es-6'], 1)];

  it('the incident by default: es-6 is refused for awareness, nothing after it is reached', () => {
    const s = sequence(['es-6', 'es-5'], facts(incident, incidentShards));
    assert.equal(s.drains[0]!.preflight.verdict, 'blocked');
    assert.equal(s.drains[0]!.allowed, false);
    assert.deepEqual(s.stop && { pod: s.stop.pod, kind: s.stop.kind }, { pod: 'es-6', kind: 'refused' });
    assert.match(s.stop!.reason, /awareness: 2 copies \(2gb\) cannot leave es-6/);
  });

  it('the incident with awareness warn: the pre-flight lets it go, but the drain would stall', () => {
    const s = sequence(['es-6'], facts(incident, incidentShards), { awareness: 'warn' });
    assert.equal(s.drains[0]!.allowed, true);
    assert.equal(s.stop?.kind, 'stalls');
  });

  it('a drained pod is gone for the next pre-flight: the second pod of a zone becomes its last', () => {
    const nodes = [node('n0', 'a'), node('n1', 'b'), node('n2', 'c'), node('n3', 'c')];
    const shards = [...shard('docs', ['n0', 'n1']), ...shard('docs', ['n2', 'n3'], 1)];
    assert.equal(sequence(['n2'], facts(nodes, shards)).drains[0]!.preflight.verdict, 'ok', 'n3 is still in zone c');
    const s = sequence(['n3', 'n2'], facts(nodes, shards), { zoneEmpties: 'refuse' });
    assert.deepEqual(s.drains.map((d) => d.preflight.verdict), ['ok', 'blocked']);
    assert.deepEqual(s.stop && { pod: s.stop.pod, kind: s.stop.kind }, { pod: 'n2', kind: 'refused' });
  });

  it('copies of a drained pod move where awareness allows, and can block the next pod', () => {
    // Three copies over zones a, b, c: at most one per zone. a2's copy can only go to a1, its
    // zone peer; then a1, the last of zone a, holds it and cannot let it go.
    const nodes = [node('a1', 'a'), node('b1', 'b'), node('c1', 'c'), node('a2', 'a')];
    const s = sequence(['a2', 'a1'], facts(nodes, shard('docs', ['a2', 'b1', 'c1'])), { awareness: 'warn' });
    assert.equal(s.drains[0]!.preflight.verdict, 'ok');
    assert.equal(s.drains[1]!.preflight.verdict, 'warning');
    assert.equal(s.drains[1]!.preflight.numbers.stuckCopies, 1);
    assert.deepEqual(s.stop && { pod: s.stop.pod, kind: s.stop.kind }, { pod: 'a1', kind: 'stalls' });
  });

  it('the disk each drain fills counts for the next: the second drain no longer fits', () => {
    // The 90% high watermark keeps 10gb free on 100gb disks: b2's two copies go to a1 and a2; then a2's
    // two copies can only go to b1 (a1 holds both shards), which has room for one.
    const nodes = [node('a1', 'a', 12), node('b1', 'b', 11.5), node('a2', 'a', 12), node('b2', 'b', 12)];
    const shards = [...shard('x', ['a2', 'b2']), ...shard('y', ['a1', 'b2'], 0)];
    const s = sequence(['b2', 'a2'], facts(nodes, shards, {}), { diskMarginPercent: 0, zoneEmpties: 'allow' });
    assert.deepEqual(s.drains.map((d) => d.preflight.verdict), ['ok', 'blocked']);
    assert.deepEqual(s.drains[1]!.preflight.findings.map((f) => f.check), ['disk']);
  });

  it('an even cluster drains pod after pod with no stop', () => {
    const zones = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b'];
    const nodes = zones.map((zone, i) => node(`es-${i}`, zone));
    const shards = [0, 1, 2, 3].flatMap((i) => shard('docs', [`es-${i}`, `es-${i + 4}`], i));
    const s = sequence(['es-7', 'es-6', 'es-5'], facts(nodes, shards));
    assert.deepEqual(s.drains.map((d) => d.preflight.verdict), ['ok', 'ok', 'ok']);
    assert.equal(s.stop, undefined);
  });

  it('nodes already excluded take no shards', () => {
    const nodes = [node('n0', 'a'), node('n1', 'a'), node('n2', 'b')];
    const s = sequence(['n0'], facts(nodes, shard('docs', ['n0', 'n2']), { ...AWARE, 'cluster.routing.allocation.exclude._name': 'n1' }));
    assert.equal(s.drains[0]!.preflight.verdict, 'blocked');
  });
});
