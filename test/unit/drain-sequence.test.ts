import assert from 'node:assert/strict';
import { excludedNodeNames, predictDrainSequence } from '../../src/domain/drain-sequence.js';
import type { NodeView, ShardCopy } from '../../src/domain/zone-preflight.js';

const node = (name: string, zone: string, ip = `10.0.0.${name.length}`): NodeView => ({ name, ip, attributes: { zone } });
const awareness = { attributes: ['zone'], forcedValues: {} };

/** Copies of shard `shard` of `index` placed on the given nodes. */
function shard(index: string, holders: string[], shardNumber = 0): ShardCopy[] {
  return holders.map((holder, i) => ({ index, shard: shardNumber, primary: i === 0, node: holder, copies: holders.length }));
}

describe('drain sequence (plan’s pre-flight of every pod)', () => {
  const incident = ['b', 'c', 'b', 'c', 'c', 'c', 'a'].map((zone, i) => node(`es-${i}`, zone));
  const incidentShards = [...shard('docs', ['es-6', 'es-0', 'es-1']), ...shard('docs', ['es-2', 'es-3', 'es-6'], 1)];

  it('the incident under refuse: es-6 is refused, nothing after it is reached', () => {
    const sequence = predictDrainSequence({ pods: ['es-6', 'es-5'], nodes: incident, shards: incidentShards, awareness, excludedNodes: [], awarenessPolicy: 'refuse' });
    assert.equal(sequence.drains[0]!.preflight.verdict, 'blocked');
    assert.equal(sequence.drains[0]!.allowed, false);
    assert.equal(sequence.stop?.pod, 'es-6');
    assert.equal(sequence.stop?.kind, 'refused');
    assert.match(sequence.stop!.reason, /es-6 is the last node with zone=a/);
  });

  it('the incident under allow: the pre-flight lets it go, but the drain would stall', () => {
    const sequence = predictDrainSequence({ pods: ['es-6'], nodes: incident, shards: incidentShards, awareness, excludedNodes: [], awarenessPolicy: 'allow' });
    assert.equal(sequence.drains[0]!.allowed, true);
    assert.equal(sequence.stop?.kind, 'stalls');
  });

  it('a drained pod is gone for the next pre-flight: the second pod of a zone becomes its last', () => {
    const nodes = [node('n0', 'a'), node('n1', 'b'), node('n2', 'c'), node('n3', 'c')];
    const shards = [...shard('docs', ['n0', 'n1']), ...shard('docs', ['n2', 'n3'], 1)];
    const alone = predictDrainSequence({ pods: ['n2'], nodes, shards, awareness, excludedNodes: [], awarenessPolicy: 'refuse' });
    assert.equal(alone.drains[0]!.preflight.verdict, 'ok', 'n3 is still in zone c');

    const sequence = predictDrainSequence({ pods: ['n3', 'n2'], nodes, shards, awareness, excludedNodes: [], awarenessPolicy: 'refuse' });
    assert.deepEqual(sequence.drains.map((d) => d.preflight.verdict), ['ok', 'empties-zone']);
    assert.deepEqual(sequence.stop && { pod: sequence.stop.pod, kind: sequence.stop.kind }, { pod: 'n2', kind: 'refused' });
  });

  it('copies of a drained pod move where awareness allows, and can block the next pod', () => {
    // Three copies over zones a, b, c: at most one per zone. a2's copy can only go to a1, its
    // zone peer; then a1, the last of zone a, holds it and cannot let it go.
    const nodes = [node('a1', 'a'), node('b1', 'b'), node('c1', 'c'), node('a2', 'a')];
    const shards = shard('docs', ['a2', 'b1', 'c1']);
    const sequence = predictDrainSequence({ pods: ['a2', 'a1'], nodes, shards, awareness, excludedNodes: [], awarenessPolicy: 'allow' });
    assert.equal(sequence.drains[0]!.preflight.verdict, 'ok');
    assert.equal(sequence.drains[1]!.preflight.verdict, 'blocked');
    assert.equal(sequence.drains[1]!.preflight.blockedShards.length, 1);
    assert.equal(sequence.stop?.pod, 'a1');
    assert.equal(sequence.stop?.kind, 'stalls');
  });

  it('an even cluster drains pod after pod with no stop', () => {
    const zones = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b'];
    const nodes = zones.map((zone, i) => node(`es-${i}`, zone));
    const shards = [0, 1, 2, 3].flatMap((i) => shard('docs', [`es-${i}`, `es-${i + 4}`], i));
    const sequence = predictDrainSequence({ pods: ['es-7', 'es-6', 'es-5'], nodes, shards, awareness, excludedNodes: [], awarenessPolicy: 'refuse' });
    assert.deepEqual(sequence.drains.map((d) => d.preflight.verdict), ['ok', 'ok', 'ok']);
    assert.equal(sequence.stop, undefined);
  });

  it('nodes already excluded take no shards', () => {
    const nodes = [node('n0', 'a'), node('n1', 'a'), node('n2', 'b')];
    const shards = shard('docs', ['n0', 'n2']);
    const sequence = predictDrainSequence({ pods: ['n0'], nodes, shards, awareness, excludedNodes: ['n1'], awarenessPolicy: 'refuse' });
    assert.equal(sequence.drains[0]!.preflight.verdict, 'blocked');
  });

  it('excluded node names come from _name and _ip entries', () => {
    const nodes = [node('n0', 'a', '10.0.0.1'), node('n1', 'a', '10.0.0.2'), node('n2', 'b', '10.0.0.3')];
    assert.deepEqual(excludedNodeNames(nodes, { _name: ['n0', 'es-master-9'], _ip: ['10.0.0.3'] }), ['n0', 'n2']);
    assert.deepEqual(excludedNodeNames(nodes, {}), []);
  });
});
