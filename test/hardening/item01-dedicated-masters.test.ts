// Issue 9 item 1: only data nodes are awareness values and shard destinations. The incident
// topology plus three dedicated masters (one per zone) must still be predicted blocked.
import assert from 'node:assert/strict';
import { predictDrainSequence } from '../../src/domain/drain-sequence.js';
import { isDataNode } from '../../src/domain/node-roles.js';
import { preflightDrain, type NodeView, type ShardCopy } from '../../src/domain/zone-preflight.js';

const DATA = ['data', 'ingest'];
const node = (name: string, zone: string, roles: string[]): NodeView => ({ name, ip: `10.0.0.${name.length}`, attributes: { zone }, roles });
const awareness = { attributes: ['zone'], forcedValues: {} };
const incidentData = ['b', 'c', 'b', 'c', 'c', 'c', 'a'].map((zone, i) => node(`es-data-${i}`, zone, DATA));
const masters = ['a', 'b', 'c'].map((zone, i) => node(`es-master-${i}`, zone, ['master']));
const copies = (holders: string[]): ShardCopy[] => holders.map((holder, i) => ({ index: 'docs', shard: 0, primary: i === 0, node: holder, copies: holders.length }));

describe('issue 9 item 1: dedicated masters and other non-data nodes', () => {
  it('the incident plus three dedicated masters is still blocked: a master in zone a is no destination', () => {
    const result = preflightDrain({ node: 'es-data-6', nodes: [...incidentData, ...masters], shards: copies(['es-data-6', 'es-data-0', 'es-data-1']), awareness, excludedNodes: [] });
    assert.equal(result.verdict, 'blocked', result.summary);
    assert.deepEqual(result.emptiedZones, [{ attribute: 'zone', value: 'a' }]);
  });

  it('a zone that has only a master (no data node) is not an awareness value', () => {
    // Data nodes in b and c only, a master in a: 2 copies over 2 values allow 1 per zone.
    const nodes = [node('d-0', 'b', DATA), node('d-1', 'c', DATA), node('d-2', 'b', DATA), node('m-0', 'a', ['master'])];
    const result = preflightDrain({ node: 'd-2', nodes, shards: copies(['d-2', 'd-1']), awareness, excludedNodes: [] });
    assert.equal(result.verdict, 'ok', result.summary);
  });

  it('roles: data and data tiers hold shards; master, ingest, ml and coordinating-only nodes do not', () => {
    assert.equal(isDataNode({ roles: ['data'] }), true);
    assert.equal(isDataNode({ roles: ['data_hot', 'data_content'] }), true);
    assert.equal(isDataNode({ roles: ['master'] }), false);
    assert.equal(isDataNode({ roles: [] }), false, 'coordinating only');
    assert.equal(isDataNode({ roles: ['ingest', 'ml'] }), false);
    assert.equal(isDataNode({}), true, 'an engine that does not report roles: every node counts, as before');
  });

  it('plan: the drain sequence never places a copy on a master', () => {
    const sequence = predictDrainSequence({
      pods: ['es-data-6'],
      nodes: [...incidentData, ...masters],
      shards: copies(['es-data-6', 'es-data-0', 'es-data-1']),
      awareness,
      excludedNodes: [],
      awarenessPolicy: 'allow',
    });
    assert.equal(sequence.stop?.kind, 'stalls');
  });
});
