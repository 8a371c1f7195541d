// The node-shutdown drain method, activity side, against the simulated Elasticsearch over HTTP with the
// official client: a `remove` record drains the node like an exclusion would, touching no exclusion list;
// STALLED with an explanation when awareness keeps the copies; every call idempotent. Plus the config's
// engine / drainMethod fields.
import assert from 'node:assert/strict';
import { ConfigError, defineConfig } from '../../src/config/load.js';
import { ClusterConnections } from '../../src/activities/connections.js';
import { createElasticsearchActivities } from '../../src/activities/elasticsearch.js';
import { createNodeShutdownActivities } from '../../src/activities/node-shutdown.js';
import { leftoverRecords, ownerOf, shutdownReason, type ShutdownRecord } from '../../src/domain/node-shutdown.js';
import { nodeShutdownProblem } from '../../src/domain/engine.js';
import { scenarios, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { eventually } from '../helpers/eventually.js';

const CLUSTER = 'production';

function connectionsTo(esUrl: string): ClusterConnections {
  return new ClusterConnections(
    defineConfig({
      clusters: {
        [CLUSTER]: {
          kubernetes: { namespace: 'search', statefulSet: 'es-data', apiServer: 'http://127.0.0.1:1', tokenFile: '/nonexistent/never-read' },
          elasticsearch: { url: esUrl },
          minReplicas: 1,
          maxReplicas: 10,
          drainMethod: 'shutdown',
        },
      },
    }),
  );
}

describe('node-shutdown drain method (sandbox)', function () {
  this.timeout(30_000);
  let sandbox: Sandbox | undefined;
  let connections: ClusterConnections | undefined;
  afterEach(async () => {
    await connections?.close();
    await sandbox?.close();
    sandbox = connections = undefined;
  });

  async function start(name: 'even-8' | 'incident') {
    sandbox = await startSandbox(scenarios[name]!);
    connections = connectionsTo(sandbox.esUrl);
    const elasticsearch = createElasticsearchActivities(connections);
    const activities = createNodeShutdownActivities(connections, elasticsearch);
    const idOf = async (node: string): Promise<string> => (await elasticsearch.nodeIds(CLUSTER, [node]))[0]!;
    return { sb: sandbox, activities, idOf };
  }

  it('a remove record drains the node like an exclusion, without touching the exclusion list; put and delete are idempotent', async () => {
    const { sb, activities, idOf } = await start('even-8');
    const before = sb.shards().filter((s) => s.node === 'es-data-7').length;
    assert.ok(before > 0);
    const put = { nodeId: await idOf('es-data-7') };
    const request = { cluster: CLUSTER, nodeId: put.nodeId, node: 'es-data-7', operationId: 'op-1' };
    assert.deepEqual(await activities.putShutdownRecord(request), { placed: true, changed: true });
    assert.deepEqual(await activities.putShutdownRecord(request), { placed: true, changed: false });

    await eventually(
      'the shard migration to complete',
      async () => (await activities.readShutdownStatus(CLUSTER, put.nodeId))?.shardMigration.status === 'COMPLETE',
      20_000,
    );
    assert.equal(sb.shards().filter((s) => s.node === 'es-data-7').length, 0, 'es-data-7 holds no copy');
    assert.equal(sb.health(), 'green');
    assert.deepEqual(sb.exclusions(), {}, 'no exclusion entry was written');

    const [record, ...others] = await activities.listShutdownRecords(CLUSTER);
    assert.equal(others.length, 0);
    assert.deepEqual(record!.ours, { operationId: 'op-1', node: 'es-data-7' });
    assert.equal(record!.type, 'REMOVE');

    assert.deepEqual(await activities.deleteShutdownRecord(CLUSTER, { nodeId: put.nodeId, operationId: 'op-2' }), { changed: false }, 'another operation’s delete leaves it');
    assert.equal((await activities.listShutdownRecords(CLUSTER)).length, 1);
    assert.deepEqual(await activities.deleteShutdownRecord(CLUSTER, { nodeId: put.nodeId, operationId: 'op-1' }), { changed: true });
    assert.deepEqual(await activities.deleteShutdownRecord(CLUSTER, { nodeId: put.nodeId, operationId: 'op-1' }), { changed: false });
    assert.deepEqual(await activities.listShutdownRecords(CLUSTER), []);
    assert.equal(await activities.readShutdownStatus(CLUSTER, put.nodeId), undefined);
  });

  it('the last node of a zone under awareness: STALLED with an explanation, the copies stay, explain names node_shutdown', async () => {
    const { sb, activities, idOf } = await start('incident');
    const held = sb.shards().filter((s) => s.node === 'es-data-6').length;
    const nodeId = await idOf('es-data-6');
    await activities.putShutdownRecord({ cluster: CLUSTER, nodeId, node: 'es-data-6', operationId: 'op-2' });
    const status = await activities.readShutdownStatus(CLUSTER, nodeId);
    assert.equal(status?.shardMigration.status, 'STALLED');
    assert.equal(status?.shardMigration.remaining, held);
    assert.match(status?.shardMigration.explanation ?? '', /^shard \[\d+\] \[(primary|replica)\] of index \[\w+\] cannot move/);
    assert.equal(sb.shards().filter((s) => s.node === 'es-data-6').length, held, 'nothing moved');

    const es = connections!.elasticsearch(CLUSTER);
    const shard = sb.shards().find((s) => s.node === 'es-data-6')!;
    const explain = await es.cluster.allocationExplain({ index: shard.index, shard: shard.shard, primary: shard.prirep === 'p', current_node: 'es-data-6' });
    const remain = explain.can_remain_decisions?.map((d) => `[${d.decider}] ${d.explanation}`) ?? [];
    assert.ok(remain.includes(`[node_shutdown] node [${nodeId}] is preparing to be removed from the cluster`), remain.join('\n'));
    await activities.deleteShutdownRecord(CLUSTER, { nodeId, operationId: 'op-2' });
  });

  it('a remove record someone else put is left alone: not overwritten, not deleted', async () => {
    const { activities, idOf } = await start('even-8');
    const nodeId = await idOf('es-data-7');
    await connections!.elasticsearch(CLUSTER).shutdown.putNode({ node_id: nodeId, type: 'remove', reason: 'ECK downscale' });
    assert.deepEqual(await activities.putShutdownRecord({ cluster: CLUSTER, nodeId, node: 'es-data-7', operationId: 'op-3' }), { placed: false, changed: false });
    assert.deepEqual(await activities.deleteShutdownRecord(CLUSTER, { nodeId, operationId: 'op-3' }), { changed: false });
    assert.deepEqual((await activities.listShutdownRecords(CLUSTER)).map((r) => r.reason), ['ECK downscale']);
  });

  it('the support check passes on Elasticsearch with the API', async () => {
    const { activities } = await start('even-8');
    await activities.checkNodeShutdownSupport(CLUSTER);
  });

  it('reads back only the reasons es-scaler writes', () => {
    assert.deepEqual(ownerOf(shutdownReason('cluster/search/es-data/op-7', 'es-data-3')), { operationId: 'cluster/search/es-data/op-7', node: 'es-data-3' });
    assert.equal(ownerOf('ECK rolling upgrade'), undefined);
  });

  it('a leftover is a record of an earlier operation of the same cluster workflow; the running one’s, other StatefulSets’ and other tools’ are not', () => {
    const record = (nodeId: string, reason: string): ShutdownRecord => ({ nodeId, type: 'REMOVE', reason, ...(ownerOf(reason) && { ours: ownerOf(reason)! }), shardMigration: { status: 'COMPLETE', remaining: 0 } });
    const records = [
      record('a', shutdownReason('cluster/search/es-data/op-1-aaaaaaaa', 'es-data-7')),
      record('b', shutdownReason('cluster/search/es-data/op-2-aaaaaaaa', 'es-data-6')),
      record('c', shutdownReason('cluster/search/es-hot/op-1-bbbbbbbb', 'es-hot-3')),
      record('d', 'ECK downscale'),
    ];
    assert.deepEqual(leftoverRecords(records, 'cluster/search/es-data', 'cluster/search/es-data/op-2-aaaaaaaa'), [
      { nodeId: 'a', pod: 'es-data-7', operationId: 'cluster/search/es-data/op-1-aaaaaaaa' },
    ]);
  });

  it('the node-shutdown API: Elasticsearch from 7.15, never OpenSearch', () => {
    assert.match(nodeShutdownProblem({ engine: 'opensearch', version: '2.19.6' })!, /^drainMethod: .*OpenSearch 2\.19\.6.*no node-shutdown API/);
    assert.match(nodeShutdownProblem({ engine: 'elasticsearch', version: '7.14.2' })!, /^drainMethod: .*Elasticsearch 7\.14\.2.*7\.15 or later/);
    assert.equal(nodeShutdownProblem({ engine: 'elasticsearch', version: '7.15.0' }), undefined);
    assert.equal(nodeShutdownProblem({ engine: 'elasticsearch', version: '9.2.0' }), undefined);
  });
});

describe('config: engine and drainMethod', () => {
  const base = {
    kubernetes: { namespace: 'search', statefulSet: 'es-data' },
    elasticsearch: { url: 'http://127.0.0.1:9200' },
    minReplicas: 1,
    maxReplicas: 3,
  };
  const problems = (cluster: Record<string, unknown>): string[] => {
    try {
      defineConfig({ clusters: { c: { ...base, ...cluster } as typeof base } });
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it('defaults to detecting the engine and the exclusion drain', () => {
    const c = defineConfig({ clusters: { c: base } }).clusters.c!;
    assert.equal(c.engine, 'auto');
    assert.equal(c.drainMethod, 'exclude');
  });

  it('names the field for OpenSearch with the shutdown drain, an unknown engine and an unknown drain method', () => {
    assert.match(problems({ engine: 'opensearch', drainMethod: 'shutdown' }).join('\n'), /drainMethod.*OpenSearch has no node-shutdown API/);
    assert.match(problems({ engine: 'solr' }).join('\n'), /engine/);
    assert.match(problems({ drainMethod: 'evict' }).join('\n'), /drainMethod/);
    assert.deepEqual(problems({ engine: 'opensearch', drainMethod: 'exclude' }), []);
    assert.deepEqual(problems({ engine: 'auto', drainMethod: 'shutdown' }), [], 'detected when an operation starts');
  });
});
