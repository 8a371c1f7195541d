// Issue 9 item 1: only data nodes are awareness values and shard destinations. The incident
// topology plus three dedicated masters (one per zone) must still be predicted blocked, in the
// pure prediction and on the simulated cluster, whose masters hold no shards.
import assert from 'node:assert/strict';
import { defaultPreflightPolicy } from '../../src/config/preflight-policy.js';
import { isDataNode, type ClusterFacts, type CopyFacts, type NodeFacts } from '../../src/domain/capacity/facts.js';
import { capacityVerdict } from '../../src/domain/capacity/verdict.js';
import { predictDrainSequence } from '../../src/domain/drain-sequence.js';
import { scenarios } from '../../src/sandbox/scenario.js';
import { worldPerTest } from '../helpers/world.js';

const DATA = ['data', 'ingest'];
const node = (name: string, zone: string, roles: string[]): NodeFacts => ({ name, attributes: { zone }, roles, totalBytes: 100, availableBytes: 100 });
const incidentData = ['b', 'c', 'b', 'c', 'c', 'c', 'a'].map((zone, i) => node(`es-data-${i}`, zone, DATA));
const masters = ['a', 'b', 'c'].map((zone, i) => node(`es-master-${i}`, zone, ['master']));
const copies = (holders: string[]): CopyFacts[] => holders.map((holder, i) => ({ index: 'docs', shard: 0, primary: i === 0, node: holder, bytes: 1 }));
const facts = (nodes: NodeFacts[], holders: string[]): ClusterFacts => ({
  nodes,
  copies: copies(holders),
  indices: { docs: { name: 'docs', shards: 1, copies: holders.length, settings: {} } },
  settings: { 'cluster.routing.allocation.awareness.attributes': 'zone' },
});
const green = { status: 'green' as const, indices: [] };
const policy = { ...defaultPreflightPolicy, diskMarginPercent: 0 };

describe('issue 9 item 1: dedicated masters and other non-data nodes', () => {
  it('the incident plus three dedicated masters is still blocked: a master in zone a is no destination', () => {
    const v = capacityVerdict(facts([...incidentData, ...masters], ['es-data-6', 'es-data-0', 'es-data-1']), green, 'es-data-6', policy);
    assert.equal(v.verdict, 'blocked', v.summary);
    assert.deepEqual(v.findings.map((f) => f.check), ['awareness', 'zoneEmpties']);
  });

  it('a zone that has only a master (no data node) is no place for a copy', () => {
    // Data nodes in b and c, a master in a. Draining d-1 (the only data node in c) would need its
    // copy in b, where the other copy already is: blocked. Counting the master, the copy "moves to a".
    const nodes = [node('d-0', 'b', DATA), node('d-1', 'c', DATA), node('d-2', 'b', DATA), node('m-0', 'a', ['master'])];
    const v = capacityVerdict(facts(nodes, ['d-0', 'd-1']), green, 'd-1', policy);
    assert.equal(v.verdict, 'blocked', v.summary);
  });

  it('roles: data and data tiers hold shards; master, ingest, ml and coordinating-only nodes do not', () => {
    assert.equal(isDataNode({ roles: ['data'] }), true);
    assert.equal(isDataNode({ roles: ['data_hot', 'data_content'] }), true);
    assert.equal(isDataNode({ roles: ['master'] }), false);
    assert.equal(isDataNode({ roles: [] }), false, 'coordinating only');
    assert.equal(isDataNode({ roles: ['ingest', 'ml'] }), false);
  });

  it('plan: the drain sequence never places a copy on a master', () => {
    const sequence = predictDrainSequence({
      pods: ['es-data-6'],
      facts: facts([...incidentData, ...masters], ['es-data-6', 'es-data-0', 'es-data-1']),
      health: green,
      policy: { ...policy, awareness: 'warn' },
    });
    assert.equal(sequence.stop?.kind, 'stalls');
  });
});

describe('issue 9 item 1 on the simulated cluster: the incident with three dedicated masters', function () {
  const startWorld = worldPerTest();

  it('the pre-flight predicts the drain of es-data-6 blocked and refuses it before anything is excluded', async () => {
    const world = await startWorld({ scenario: scenarios['incident-with-masters']!, cluster: { minReplicas: 3 } });
    assert.ok((await world.observer.nodes()).includes('es-master-0'), 'the masters are in the cluster');
    await world.startWorker();
    await world.submit(6);
    const [record] = await world.finishedOperations(1, 30_000);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /pre-flight refused to drain es-data-6: awareness: \d+ copies \([^)]+\) cannot leave es-data-6: .*awareness allows 1 of the 3 copies in zone/);
    assert.deepEqual(await world.observer.exclusions(), {});
    assert.equal(await world.observer.replicas(), 7);
  });

  it('with awarenessPolicy allow the drain is tried, stalls with Elasticsearch’s awareness reason, and cleans up', async () => {
    const world = await startWorld({ scenario: scenarios['incident-with-masters']!, cluster: { minReplicas: 3, awarenessPolicy: 'allow', stallAfter: '3s' } });
    await world.startWorker();
    await world.submit(6);
    const [record] = await world.finishedOperations(1, 60_000);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /\[awareness\]/);
    assert.deepEqual(await world.observer.exclusions(), {});
    assert.equal(await world.observer.replicas(), 7);
  });
});
