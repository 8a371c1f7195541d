// The incident scenarios with `drainMethod: shutdown`: the same workflow drains through a node-shutdown
// record (`PUT _nodes/<id>/shutdown`, type remove) instead of an exclusion entry. Asserted through the
// REST APIs (`GET _nodes/shutdown`, cluster settings, the scale subresource): the stall shows
// Elasticsearch's STALLED explanation and the awareness reason and fails; a newer target supersedes and
// the record goes; a normal scale-in never writes the exclusion list; a worker killed mid-drain leaves no
// record; a node back under a new id gets a record again; a cancel after the shrink keeps the record
// until the pod is gone (F7); the sweep removes a record an earlier operation left behind, and nobody else's.
import assert from 'node:assert/strict';
import { scenarios, type Scenario } from '../../src/sandbox/scenario.js';
import { shutdownReason } from '../../src/domain/node-shutdown.js';
import { readClusterStatus } from '../../src/client/cluster-status.js';
import { renderStatus } from '../../src/client/commands/status.js';
import { operationStatusQuery } from '../../src/workflows/messages.js';
import { assertAllShardsAssigned } from '../helpers/cluster-assertions.js';
import { eventually } from '../helpers/eventually.js';
import { holdDrainAt, resumeInNewWorker, worldPerTest, type World } from '../helpers/world.js';
import { Monitor, noPrimaryUnassigned, shrinkOnlyWhenSafe, shutdownRecordWhileLeaving } from '../hardening/monitor.js';

const POLL_MS = 200;

describe('drainMethod: shutdown (sandbox)', function () {
  const startWorld = worldPerTest();

  const shutdownWorld = (scenario: 'even-8' | 'incident' | Scenario, cluster: Parameters<typeof startWorld>[0]['cluster'] = {}) =>
    startWorld({ scenario: typeof scenario === 'string' ? scenarios[scenario]! : scenario, cluster: { drainMethod: 'shutdown', pollInterval: `${POLL_MS}ms`, ...cluster } });

  /** Nothing left of the operation: no node-shutdown record, no exclusion. */
  async function assertNothingLeft(world: World): Promise<void> {
    assert.deepEqual(await world.observer.shutdownRecords(), [], 'GET _nodes/shutdown lists no record');
    assert.deepEqual(await world.observer.exclusions(), {});
  }

  const settingsWrites = (world: World) => world.sandbox.requests.filter((r) => r.api === 'es' && r.method === 'PUT' && r.path.startsWith('/_cluster/settings'));

  it('scale-in 8 → 6: a remove record per node while it drains, deleted once its pod is gone; the exclusion list is never written', async () => {
    const world = await shutdownWorld('even-8');
    await world.startWorker();
    await world.submit(6);

    const draining = await world.runningOperation((s) => s.phase === 'draining' && s.node === 'es-data-7');
    const [record] = await eventually('the record of es-data-7', async () => {
      const records = await world.observer.shutdownRecords();
      return records.length > 0 ? records : undefined;
    });
    assert.equal(record!.node, 'es-data-7');
    assert.equal(record!.type, 'REMOVE');
    assert.equal(record!.reason, shutdownReason(draining.workflowId, 'es-data-7'));
    assert.deepEqual(draining.status.ownedExclusions.length, 1);
    assert.match(draining.status.ownedExclusions[0]!, /^_nodes\/\S+\/shutdown \(es-data-7\)$/);
    assert.deepEqual(await world.observer.exclusions(), {}, 'no exclusion while it drains');

    const [done] = await world.finishedOperations(1);
    assert.equal(done!.outcome, 'succeeded', done!.detail);
    assert.equal(await world.observer.replicas(), 6);
    assert.deepEqual((await world.observer.nodes()).filter((n) => n.startsWith('es-data-')), ['es-data-0', 'es-data-1', 'es-data-2', 'es-data-3', 'es-data-4', 'es-data-5']);
    await assertNothingLeft(world);
    assert.deepEqual(settingsWrites(world), [], 'no PUT _cluster/settings at all');
    const status = await world.operationHandle(done!.workflowId).query(operationStatusQuery);
    assert.deepEqual(status.ownedExclusions, []);
    assert.ok(status.events.some((e) => /es-data-6 removed; its shutdown record _nodes\/\S+\/shutdown \(es-data-6\) cleaned up/.test(e.message)));
    await assertAllShardsAssigned(world.sandbox);
  });

  it('the last node of a zone: STALLED with Elasticsearch’s explanation and the awareness reason in status, DrainStalled after stallAfter, the record removed', async () => {
    const world = await shutdownWorld('incident', { awarenessPolicy: 'allow', stallAfter: '3s' });
    await world.startWorker();
    await world.submit(6);

    const stuck = await world.runningOperation((s) => (s.stall?.reasons.length ?? 0) > 0);
    assert.equal(stuck.status.node, 'es-data-6');
    assert.equal(stuck.status.drain?.shutdown?.status, 'STALLED');
    const [first, ...rest] = stuck.status.stall!.reasons;
    assert.match(first!, /^\[node_shutdown\] shard migration STALLED: shard \[\d+\] \[(primary|replica)\] of index \[\w+\] cannot move/);
    assert.ok(rest.some((r) => r.startsWith('[awareness]')), rest.join('\n'));
    assert.deepEqual((await world.observer.shutdownRecords()).map((r) => [r.node, r.status]), [['es-data-6', 'STALLED']]);

    const [record] = await world.finishedOperations(1);
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.detail, /drain of es-data-6 made no progress for 3(\.0)?s/);
    assert.match(record!.detail, /shard migration STALLED.*\[awareness\]/);
    const failure = await world.operationHandle(record!.workflowId).result().then(
      () => assert.fail('the operation should have failed'),
      (err: Error) => err,
    );
    assert.match(String((failure.cause as Error).message), /made no progress/);
    assert.match(record!.detail, /compensation removed _nodes\/\S+\/shutdown \(es-data-6\)/);

    assert.equal(await world.observer.replicas(), 7, 'no pod may go while its shards are still on it');
    await assertNothingLeft(world);
    await assertAllShardsAssigned(world.sandbox);
  });

  it('a newer target supersedes the stuck drain: the record is deleted within a poll interval + 1 s, and the cluster grows to 8', async () => {
    const world = await shutdownWorld('incident', { awarenessPolicy: 'allow', stallAfter: '30s', maxReplicas: 8 });
    await world.startWorker();
    await world.submit(6, 'schedule:production/night');
    await world.runningOperation((s) => (s.stall?.reasons.length ?? 0) > 0);
    assert.equal((await world.observer.shutdownRecords()).length, 1);
    // what `es-scaler status` prints meanwhile
    const shown = renderStatus('production', (await readClusterStatus(world.client, world.clusterHandle().workflowId)) ?? null);
    assert.match(shown, /phase: +draining es-data-6, \d+ shards left \(node shutdown: shard migration STALLED\)/, shown);
    assert.match(shown, /\[node_shutdown\] shard migration STALLED/, shown);

    const morningAt = Date.now();
    await world.submit(8, 'schedule:production/morning');
    await eventually('the record to be deleted', async () => (await world.observer.shutdownRecords()).length === 0, 10_000, 10);
    const cleanupMs = Date.now() - morningAt;
    assert.ok(cleanupMs < POLL_MS + 1_000, `supersede cleanup took ${cleanupMs} ms`);

    const [night, morning] = await world.finishedOperations(2);
    assert.equal(night!.outcome, 'superseded');
    assert.match(night!.detail, /compensation removed _nodes\/\S+\/shutdown \(es-data-6\)/);
    assert.equal(morning!.outcome, 'succeeded', morning!.detail);
    assert.equal(await world.observer.replicas(), 8);
    await assertNothingLeft(world);
    assert.deepEqual(settingsWrites(world), []);
    await assertAllShardsAssigned(world.sandbox);
  });

  it('the worker process killed mid-drain: a new one finishes the scale-in and no record is left behind', async () => {
    const world = await shutdownWorld('even-8');
    await world.startWorkerProcess();
    await holdDrainAt(world, 7);
    assert.deepEqual((await world.observer.shutdownRecords()).map((r) => r.node), ['es-data-7']);

    await world.killWorkerProcess();
    await resumeInNewWorker(world, 7);
    await assertNothingLeft(world);
  });

  it('a node that restarts mid-drain comes back under a new id: it gets a record again, is drained, and both records are deleted', async () => {
    const world = await shutdownWorld('even-8');
    const monitor = new Monitor(world.observer, [shrinkOnlyWhenSafe('es-data')], 40, true);
    await world.startWorker();
    world.sandbox.faults.stallRelocations(true);
    await world.submit(7);
    await world.runningOperation((s) => s.phase === 'draining' && (s.shardsLeft ?? 0) > 0);
    const [before] = await world.observer.shutdownRecords();

    await world.sandbox.restartPod(7);
    world.sandbox.faults.stallRelocations(false);
    const [done] = await world.finishedOperations(1);
    assert.equal(done!.outcome, 'succeeded', done!.detail);
    const status = await world.operationHandle(done!.workflowId).query(operationStatusQuery);
    assert.ok(status.events.some((e) => /shutdown record of es-data-7 was gone .* put _nodes\/\S+\/shutdown \(es-data-7\) again/.test(e.message)), status.events.map((e) => e.message).join('\n'));
    const cleaned = status.events.filter((e) => /es-data-7 removed; its shutdown record/.test(e.message)).map((e) => e.message);
    assert.equal(cleaned.length, 2, cleaned.join('\n'));
    assert.ok(cleaned.some((m) => m.includes(`_nodes/${before!.nodeId}/shutdown`)), 'the first incarnation’s record too');
    assert.equal(await world.observer.replicas(), 7);
    await assertNothingLeft(world);
    assert.deepEqual(await monitor.stop(), []);
  });

  it('a cancel after the shrink keeps the record until the pod and its node are gone, then deletes it; no primary is lost', async () => {
    const world = await shutdownWorld({ ...scenarios['even-8']!, indices: [{ name: 'logs', primaries: 8, replicas: 0 }], timings: { podStopMs: 2_000 } });
    const monitor = new Monitor(world.observer, [shutdownRecordWhileLeaving('es-data-7'), noPrimaryUnassigned], 40, true);
    await world.startWorker();
    await world.submit(7);
    const { workflowId } = await world.runningOperation((s) => s.phase === 'waiting-pod-gone');
    await world.operationHandle(workflowId).cancel();

    const result = await world.operationHandle(workflowId).result();
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.compensation.exclusionsRemoved.length, 1);
    assert.match(result.compensation.exclusionsRemoved[0]!, /^_nodes\/\S+\/shutdown \(es-data-7\)$/);
    await assertNothingLeft(world);
    assert.equal(await world.observer.health(), 'green');
    assert.deepEqual(await monitor.stop(), []);
  });

  /** Records as an earlier operation of this cluster (es-data-5), another StatefulSet's operation (es-data-4) and another tool (es-data-3) left them. */
  async function plantRecords(world: World) {
    const ids = new Map(Object.entries((await world.observer.es.nodes.info({ filter_path: 'nodes.*.name' })).nodes).map(([id, n]) => [n.name, id]));
    const clusterWorkflowId = world.clusterHandle().workflowId;
    const leftover = shutdownReason(`${clusterWorkflowId}/op-3-0badc0de`, 'es-data-5');
    const otherStatefulSet = shutdownReason(`${clusterWorkflowId}-hot/op-1-0badc0de`, 'es-data-4');
    await world.observer.es.shutdown.putNode({ node_id: ids.get('es-data-5')!, type: 'remove', reason: leftover });
    await world.observer.es.shutdown.putNode({ node_id: ids.get('es-data-4')!, type: 'remove', reason: otherStatefulSet });
    await world.observer.es.shutdown.putNode({ node_id: ids.get('es-data-3')!, type: 'restart', reason: 'kernel upgrade' });
    return { leftoverLabel: `_nodes/${ids.get('es-data-5')}/shutdown (es-data-5)`, leftover, otherStatefulSet };
  }

  async function scaleInWithPlantedRecords(sweepStaleExclusions: boolean) {
    const world = await shutdownWorld('even-8', { sweepStaleExclusions });
    const planted = await plantRecords(world);
    await world.startWorker();
    await world.submit(7);
    const [done] = await world.finishedOperations(1);
    assert.equal(done!.outcome, 'succeeded', done!.detail);
    assert.equal(await world.observer.replicas(), 7);
    const status = await world.operationHandle(done!.workflowId).query(operationStatusQuery);
    const left = (await world.observer.shutdownRecords()).map((r) => [r.node, r.reason]).sort();
    return { status, left, ...planted };
  }

  it('the sweep deletes a record an earlier operation of this cluster left behind; another tool’s record and another StatefulSet’s stay', async () => {
    const { status, left, leftoverLabel, otherStatefulSet } = await scaleInWithPlantedRecords(true);
    assert.deepEqual(status.staleExclusions, [leftoverLabel]);
    assert.deepEqual(status.sweptExclusions, [leftoverLabel]);
    assert.deepEqual(left, [
      ['es-data-3', 'kernel upgrade'],
      ['es-data-4', otherStatefulSet],
    ]);
  });

  it('without sweepStaleExclusions the leftover record is reported, not deleted', async () => {
    const { status, left, leftoverLabel, leftover, otherStatefulSet } = await scaleInWithPlantedRecords(false);
    assert.deepEqual(status.staleExclusions, [leftoverLabel]);
    assert.deepEqual(status.sweptExclusions, []);
    assert.deepEqual(left, [
      ['es-data-3', 'kernel upgrade'],
      ['es-data-4', otherStatefulSet],
      ['es-data-5', leftover],
    ]);
  });
});
