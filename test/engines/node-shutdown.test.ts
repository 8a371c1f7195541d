// The node-shutdown drain method, activity side, against the simulated Elasticsearch over HTTP with the
// official client: a `remove` record drains the node like an exclusion would, touching no exclusion list;
// STALLED with an explanation when awareness keeps the copies; every call idempotent. Plus the config's
// engine / drainMethod fields.
import assert from 'node:assert/strict';
import { ConfigError, defineConfig } from '../../src/config/load.js';
import { ClusterConnections } from '../../src/activities/connections.js';
import { createNodeShutdownActivities, ownerOf, shutdownReason } from '../../src/activities/node-shutdown.js';
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
    return { sb: sandbox, activities: createNodeShutdownActivities(connections) };
  }

  it('a remove record drains the node like an exclusion, without touching the exclusion list; put and delete are idempotent', async () => {
    const { sb, activities } = await start('even-8');
    const before = sb.shards().filter((s) => s.node === 'es-data-7').length;
    assert.ok(before > 0);
    const put = await activities.putShutdownRecord({ cluster: CLUSTER, node: 'es-data-7', operationId: 'op-1' });
    assert.equal(put.changed, true);
    assert.equal((await activities.putShutdownRecord({ cluster: CLUSTER, node: 'es-data-7', operationId: 'op-1' })).changed, false);

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

    assert.deepEqual(await activities.deleteShutdownRecord(CLUSTER, put.nodeId), { changed: true });
    assert.deepEqual(await activities.deleteShutdownRecord(CLUSTER, put.nodeId), { changed: false });
    assert.deepEqual(await activities.listShutdownRecords(CLUSTER), []);
    assert.equal(await activities.readShutdownStatus(CLUSTER, put.nodeId), undefined);
  });

  it('the last node of a zone under awareness: STALLED with an explanation, the copies stay, explain names node_shutdown', async () => {
    const { sb, activities } = await start('incident');
    const held = sb.shards().filter((s) => s.node === 'es-data-6').length;
    const { nodeId } = await activities.putShutdownRecord({ cluster: CLUSTER, node: 'es-data-6', operationId: 'op-2' });
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
    await activities.deleteShutdownRecord(CLUSTER, nodeId);
  });

  it('a record for a node that is not there fails with the node named, and writes nothing', async () => {
    const { activities } = await start('even-8');
    await assert.rejects(activities.putShutdownRecord({ cluster: CLUSTER, node: 'es-data-99', operationId: 'op-3' }), /node: no node named "es-data-99"/);
    assert.deepEqual(await activities.listShutdownRecords(CLUSTER), []);
  });

  it('reads back only the reasons es-scaler writes', () => {
    assert.deepEqual(ownerOf(shutdownReason('cluster/search/es-data/op-7', 'es-data-3')), { operationId: 'cluster/search/es-data/op-7', node: 'es-data-3' });
    assert.equal(ownerOf('ECK rolling upgrade'), undefined);
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

  it('defaults to Elasticsearch and the exclusion drain', () => {
    const c = defineConfig({ clusters: { c: base } }).clusters.c!;
    assert.equal(c.engine, 'elasticsearch');
    assert.equal(c.drainMethod, 'exclude');
  });

  it('names the field for OpenSearch with the shutdown drain, an unknown engine and an unknown drain method', () => {
    assert.match(problems({ engine: 'opensearch', drainMethod: 'shutdown' }).join('\n'), /drainMethod.*OpenSearch has no node-shutdown API/);
    assert.match(problems({ engine: 'solr' }).join('\n'), /engine/);
    assert.match(problems({ drainMethod: 'evict' }).join('\n'), /drainMethod/);
    assert.deepEqual(problems({ engine: 'opensearch', drainMethod: 'exclude' }), []);
  });
});
