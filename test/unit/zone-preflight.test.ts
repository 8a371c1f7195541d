import assert from 'node:assert/strict';
import { preflightAllows, preflightDrain, type NodeView, type ShardCopy } from '../../src/domain/zone-preflight.js';

const node = (name: string, zone: string): NodeView => ({ name, ip: `10.0.0.${name.length}`, attributes: { zone } });
const awareness = { attributes: ['zone'], forcedValues: {} };

/** Copies of one shard placed on the given nodes. */
function shard(index: string, holders: string[]): ShardCopy[] {
  return holders.map((holder, i) => ({ index, shard: 0, primary: i === 0, node: holder, copies: holders.length }));
}

describe('zone pre-flight', () => {
  const incidentNodes = ['b', 'c', 'b', 'c', 'c', 'c', 'a'].map((zone, i) => node(`es-${i}`, zone));

  it('the incident: the last node of zone a with 3 copies over 3 zones cannot drain', () => {
    const result = preflightDrain({ node: 'es-6', nodes: incidentNodes, shards: shard('docs', ['es-6', 'es-0', 'es-1']), awareness, excludedNodes: [] });
    assert.equal(result.verdict, 'blocked');
    assert.deepEqual(result.emptiedZones, [{ attribute: 'zone', value: 'a' }]);
    assert.equal(result.blockedShards.length, 1);
    assert.match(result.blockedShards[0]!.reason, /at most 1 per value/);
    assert.equal(preflightAllows(result, 'refuse'), false);
    assert.equal(preflightAllows(result, 'allow'), true);
  });

  it('with 2 copies over 3 zones the last node of a zone can drain (to the zone without a copy)', () => {
    const result = preflightDrain({ node: 'es-6', nodes: incidentNodes, shards: shard('docs', ['es-6', 'es-0']), awareness, excludedNodes: [] });
    assert.equal(result.verdict, 'empties-zone');
    assert.deepEqual(result.blockedShards, []);
    assert.equal(preflightAllows(result, 'refuse'), false);
  });

  it('a node with a zone peer drains fine', () => {
    const result = preflightDrain({ node: 'es-5', nodes: incidentNodes, shards: shard('docs', ['es-5', 'es-0', 'es-6']), awareness, excludedNodes: [] });
    assert.equal(result.verdict, 'ok');
    assert.equal(preflightAllows(result, 'refuse'), true);
  });

  it('an excluded zone peer does not count: the incident’s second night (zombie es-6, drain es-7)', () => {
    const nodes = [...incidentNodes, node('es-7', 'a')];
    const shards = shard('docs', ['es-7', 'es-0', 'es-1']);
    const result = preflightDrain({ node: 'es-7', nodes, shards, awareness, excludedNodes: ['es-6'] });
    assert.equal(result.verdict, 'blocked');
    const withoutZombie = preflightDrain({ node: 'es-7', nodes, shards, awareness, excludedNodes: [] });
    assert.equal(withoutZombie.verdict, 'ok');
  });

  it('forced awareness values count even without nodes in them', () => {
    const nodes = [node('n0', 'a'), node('n1', 'a'), node('n2', 'b'), node('n3', 'b')];
    const shards = shard('docs', ['n0', 'n1', 'n2']);
    // 3 copies over {a, b}: at most 2 per zone, so n0's copy may go to n3 in b.
    assert.equal(preflightDrain({ node: 'n0', nodes, shards, awareness, excludedNodes: [] }).verdict, 'ok');
    // Forcing {a, b, c}: at most 1 per zone, and b already holds one.
    const forced = { attributes: ['zone'], forcedValues: { zone: ['a', 'b', 'c'] } };
    assert.equal(preflightDrain({ node: 'n0', nodes, shards, awareness: forced, excludedNodes: [] }).verdict, 'blocked');
  });

  it('without awareness every shard with a free node can move', () => {
    const result = preflightDrain({
      node: 'es-6',
      nodes: incidentNodes,
      shards: shard('docs', ['es-6', 'es-0', 'es-1']),
      awareness: { attributes: [], forcedValues: {} },
      excludedNodes: [],
    });
    assert.equal(result.verdict, 'ok');
  });

  it('same-shard: no node left without a copy means blocked', () => {
    const nodes = [node('n0', 'a'), node('n1', 'a')];
    const result = preflightDrain({ node: 'n0', nodes, shards: shard('docs', ['n0', 'n1']), awareness, excludedNodes: [] });
    assert.equal(result.verdict, 'blocked');
    assert.match(result.blockedShards[0]!.reason, /no other node/);
  });
});
