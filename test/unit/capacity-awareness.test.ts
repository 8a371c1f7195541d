// Allocation awareness in the capacity pre-flight: the one awareness rule es-scaler predicts with
// (Elasticsearch's: at most ceil(copies / values) copies of a shard per attribute value).
import assert from 'node:assert/strict';
import { defaultPreflightPolicy } from '../../src/config/preflight-policy.js';
import type { ClusterFacts, CopyFacts, NodeFacts } from '../../src/domain/capacity/facts.js';
import { capacityVerdict, type PreflightPolicy } from '../../src/domain/capacity/verdict.js';

const node = (name: string, zone: string): NodeFacts => ({ name, roles: ['data'], attributes: { zone }, totalBytes: 100, availableBytes: 100 });
const AWARE = { 'cluster.routing.allocation.awareness.attributes': 'zone' };
const green = { status: 'green' as const, indices: [] };

/** Copies of one 1-byte shard placed on the holders. */
function shard(holders: string[]): CopyFacts[] {
  return holders.map((holder, i) => ({ index: 'docs', shard: 0, primary: i === 0, node: holder, bytes: 1 }));
}

function verdict(pod: string, nodes: NodeFacts[], holders: string[], settings: Record<string, string> = AWARE, policy: Partial<PreflightPolicy> = {}) {
  const facts: ClusterFacts = { nodes, copies: shard(holders), indices: { docs: { name: 'docs', shards: 1, copies: holders.length, settings: {} } }, settings };
  return capacityVerdict(facts, green, pod, { ...defaultPreflightPolicy, diskMarginPercent: 0, ...policy });
}

const checks = (v: ReturnType<typeof verdict>) => v.findings.map((f) => `${f.check}:${f.outcome}`);

describe('capacity pre-flight: awareness and emptied zones', () => {
  const incident = ['b', 'c', 'b', 'c', 'c', 'c', 'a'].map((zone, i) => node(`es-${i}`, zone));

  it('the incident: the last node of zone a with 3 copies over 3 zones cannot drain (refused), and its zone empties (warns)', () => {
    const v = verdict('es-6', incident, ['es-6', 'es-0', 'es-1']);
    assert.equal(v.verdict, 'blocked');
    assert.deepEqual(checks(v), ['awareness:blocks', 'zoneEmpties:warns']);
    assert.match(v.findings[0]!.message, /awareness allows 1 of the 3 copies in zone/);
    assert.equal(verdict('es-6', incident, ['es-6', 'es-0', 'es-1'], AWARE, { awareness: 'warn' }).verdict, 'warning');
  });

  it('with 2 copies over 3 zones the last node of a zone can drain: an emptied zone only warns by default, refusable', () => {
    const v = verdict('es-6', incident, ['es-6', 'es-0']);
    assert.equal(v.verdict, 'warning');
    assert.deepEqual(checks(v), ['zoneEmpties:warns']);
    assert.equal(verdict('es-6', incident, ['es-6', 'es-0'], AWARE, { zoneEmpties: 'refuse' }).verdict, 'blocked');
  });

  it('a node with a zone peer drains fine', () => {
    assert.equal(verdict('es-5', incident, ['es-5', 'es-0', 'es-6']).verdict, 'ok');
  });

  it('an excluded zone peer does not count: the incident’s second night (zombie es-6, drain es-7)', () => {
    const nodes = [...incident, node('es-7', 'a')];
    const excluded = { ...AWARE, 'cluster.routing.allocation.exclude._name': 'es-6' };
    assert.equal(verdict('es-7', nodes, ['es-7', 'es-0', 'es-1'], excluded).verdict, 'blocked');
    assert.equal(verdict('es-7', nodes, ['es-7', 'es-0', 'es-1']).verdict, 'ok');
  });

  it('forced awareness values count even without nodes in them', () => {
    const nodes = [node('n0', 'a'), node('n1', 'a'), node('n2', 'b'), node('n3', 'b')];
    // 3 copies over {a, b}: at most 2 per zone, so n0's copy may go to n3 in b.
    assert.equal(verdict('n0', nodes, ['n0', 'n1', 'n2']).verdict, 'ok');
    // Forcing {a, b, c}: at most 1 per zone, and b already holds one.
    const forced = { ...AWARE, 'cluster.routing.allocation.awareness.force.zone.values': 'a,b,c' };
    assert.equal(verdict('n0', nodes, ['n0', 'n1', 'n2'], forced).verdict, 'blocked');
  });

  it('without awareness every shard with a free node can move', () => {
    const v = verdict('es-6', incident, ['es-6', 'es-0', 'es-1'], {});
    assert.deepEqual(checks(v), ['zoneEmpties:warns']);
  });

  it('same-shard: no node left without a copy means blocked', () => {
    const v = verdict('n0', [node('n0', 'a'), node('n1', 'a')], ['n0', 'n1']);
    assert.equal(v.verdict, 'blocked');
    assert.match(v.findings[0]!.message, /already holds a copy/);
  });
});
