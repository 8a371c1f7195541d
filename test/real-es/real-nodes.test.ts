// The real-engine tier: es-scaler's workflows against REAL Elasticsearch and OpenSearch node processes,
// started and stopped as the pods of the sandbox's simulated StatefulSet; once per engine of the matrix
// (src/sandbox/real-nodes/engines.ts; REAL_ES_ENGINES=elasticsearch-9 runs one).
//   R1  scale-in with documents: exclude → real relocation → pod stopped → exclusion removed; no document lost.
//   R2  the incident, smaller: the last node of a zone cannot drain under awareness; Elasticsearch's own
//       allocation/explain text shows in the status; a newer target supersedes and cleans up.
//   R3  parity: the same R2 run on the simulated cluster gives the same outcome and the same reasons.
// Needs a JDK each engine runs on and (once, to fetch it from Maven Central) Maven; an engine that cannot run
// here is skipped LOUDLY, and the others still run.
import assert from 'node:assert/strict';
import { Client } from '@elastic/elasticsearch';
import {
  availability,
  engineLabel,
  fetchDistribution,
  insideCheckout,
  selectedEngines,
  startRealCluster,
  type Distribution,
  type EngineSpec,
  type RealCluster,
} from '../../src/sandbox/real-nodes/index.js';
import type { Scenario } from '../../src/sandbox/scenario.js';
import { startSimulatedElasticsearch } from '../../src/sandbox/index.js';
import type { OperationStatus } from '../../src/workflows/types.js';
import { operationStatusQuery } from '../../src/workflows/messages.js';
import { ClusterConnections } from '../../src/activities/connections.js';
import { createNodeShutdownActivities } from '../../src/activities/node-shutdown.js';
import { readCapacityFacts } from '../../src/activities/capacity.js';
import { createVotingExclusionActivities } from '../../src/activities/voting-exclusions.js';
import { createElasticsearchActivities } from '../../src/activities/elasticsearch.js';
import { effectiveExclusions } from '../../src/domain/exclusion-list.js';
import { defineConfig } from '../../src/config/load.js';
import { eventually } from '../helpers/eventually.js';
import { loud } from '../helpers/loud.js';
import type { Harness } from '../helpers/harness.js';
import { RealWorld } from '../helpers/real-world.js';
import { World } from '../helpers/world.js';
import { runCli } from '../helpers/cli.js';
import { readScalePlan } from '../../src/client/plan.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ZONES = ['b', 'c', 'b', 'a']; // es-data-3 is the only node of zone a
const POLL_MS = 500;
const STALL_AFTER_MS = 120_000; // long enough that the supersede, not the stall timeout, ends the night
const R2_INDEX = { name: 'incident', primaries: 2, replicas: 2 }; // 3 copies over 3 zones: one per zone
const FORCED = { zone: ['a', 'b', 'c'] };

const topology: Scenario = {
  namespace: 'search',
  statefulSet: 'es-data',
  zones: ZONES,
  newPodZones: ['a'], // a pod re-created by scale-out comes back in zone a
  indices: [],
};

const WATERMARKS = ['low', 'high', 'flood_stage'] as const;
const GB = 1024 ** 3;

/** Watermarks in bytes that demand `freeGb` free on every node (flood stage far below, so no index turns read-only). */
const demandFree = (freeGb: number): Record<string, string> => ({
  'cluster.routing.allocation.disk.watermark.low': `${freeGb}gb`,
  'cluster.routing.allocation.disk.watermark.high': `${freeGb}gb`,
  'cluster.routing.allocation.disk.watermark.flood_stage': '1mb',
});

/** disk_threshold texts with the byte counts and percentages masked: the disks of the two clusters differ. */
const diskTexts = (reasons: string[]): string[] =>
  normalised(reasons.filter((r) => r.startsWith('[disk_threshold] ')).map((r) => r.replace(/=?[\d.]+(b|kb|mb|gb|tb|pb)\b/g, '*B').replace(/[\d.]+%/g, '*%')));

const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;

/** What one R2 run looked like, on either cluster. */
interface IncidentRun {
  stall: NonNullable<OperationStatus['stall']>;
  phase: string;
  node?: string;
  shardsLeft?: number;
  preflight?: string;
  exclusionsWhileStuck: Record<string, string>;
  outcomes: string[];
  details: string[];
  exclusionsRemoved: string[];
  cleanupMs: number;
  replicas: number;
  nodes: string[];
  exclusionsAfter: Record<string, string>;
  health: string;
}

/** How an R2 run reads the cluster, real or simulated (async for both). */
interface ClusterReaders {
  exclusions(): Promise<Record<string, string>>;
  replicas(): number;
  nodeNames(): Promise<string[]>;
  health(): Promise<string>;
}

async function runIncident(h: Harness, cluster: ClusterReaders): Promise<IncidentRun> {
  await h.submit(3, 'schedule:real/night');
  const night = await h.runningOperation((s) => (s.stall?.reasons.length ?? 0) > 0, 90_000);
  const exclusionsWhileStuck = await cluster.exclusions();
  const morningAt = Date.now();
  await h.submit(4, 'schedule:real/morning');
  await eventually('the exclusion to be removed', async () => Object.keys(await cluster.exclusions()).length === 0, 30_000, 20);
  const cleanupMs = Date.now() - morningAt;
  const history = await h.finishedOperations(2);
  const nightResult = await h.operationHandle(history[0]!.workflowId).result();
  await eventually('green with 4 nodes', async () => (await cluster.health()) === 'green' && (await cluster.nodeNames()).length === 4, 120_000, 250);
  return {
    stall: night.status.stall!,
    phase: night.status.phase,
    node: night.status.node,
    shardsLeft: night.status.shardsLeft,
    preflight: night.status.preflight?.verdict,
    exclusionsWhileStuck,
    outcomes: history.map((r) => r.outcome),
    details: history.map((r) => r.detail),
    exclusionsRemoved: nightResult.compensation.exclusionsRemoved,
    cleanupMs,
    replicas: cluster.replicas(),
    nodes: (await cluster.nodeNames()).sort(),
    exclusionsAfter: await cluster.exclusions(),
    health: await cluster.health(),
  };
}

function assertIncident(run: IncidentRun, forced: boolean, engine: EngineSpec): void {
  const reasons = run.stall.reasons.join('\n');
  assert.equal(run.phase, 'draining');
  assert.equal(run.node, 'es-data-3');
  assert.equal(run.stall.node, 'es-data-3');
  assert.ok((run.shardsLeft ?? 0) > 0, 'es-data-3 still holds shards');
  assert.equal(run.preflight, 'warning', 'the pre-flight predicted it (awareness warns under awarenessPolicy allow)');
  assert.deepEqual(run.exclusionsWhileStuck, { _name: 'es-data-3' });
  assert.ok(run.stall.reasons.some((r) => r.startsWith('[awareness] ')), reasons);
  if (engine.engine === 'opensearch') {
    // OpenSearch kept the awareness decider's older wording
    assert.match(reasons, /too many copies of the shard allocated to nodes with attribute \[zone\], there are \[3\] total configured shard copies for this shard id and \[3\] total attribute values/);
  } else {
    assert.match(reasons, /there are \[3\] copies of this shard and \[3\] values for attribute \[zone\]/);
    assert.match(reasons, forced ? /\(\[a, b, c\] from nodes in the cluster and \[a, b, c\] from forced awareness\)/ : /\(\[a, b, c\] from nodes in the cluster and no forced awareness\)/);
    assert.match(reasons, /so there may be at most \[1\] copies of this shard allocated to nodes with each value/);
  }
  assert.deepEqual(run.outcomes, ['superseded', 'succeeded'], run.details.join('\n'));
  assert.match(run.details[0]!, /superseded by target 4 \(schedule:real\/morning\)/);
  assert.deepEqual(run.exclusionsRemoved, ['_name:es-data-3']);
  assert.equal(run.replicas, 4);
  assert.deepEqual(run.nodes, ['es-data-0', 'es-data-1', 'es-data-2', 'es-data-3']);
  assert.deepEqual(run.exclusionsAfter, {});
  assert.equal(run.health, 'green');
}

const deciderNames = (reasons: string[]): string[] => [...new Set(reasons.flatMap((r) => /^\[([a-z_]+)\] /.exec(r)?.[1] ?? []))].sort();

/** Reason texts without what differs from run to run: node and allocation ids, which shard copy was explained. */
function normalised(reasons: string[]): string[] {
  return [
    ...new Set(
      reasons.map((r) =>
        r
          .replace(/\[\[[^\]]+\]\[\d+\]/g, '[[*][*]')
          .replace(/node\[[^\]]+\]/g, 'node[*]')
          .replace(/relocating \[[^\]]+\]/g, 'relocating [*]')
          .replace(/a\[id=[^,\]]+(, rId=[^\]]+)?\]/g, 'a[id=*]')
          .replace(/\[[PR]\]/g, '[*]'),
      ),
    ),
  ].sort();
}

async function userIndices(es: Client): Promise<string[]> {
  const rows = (await es.cat.indices({ format: 'json', h: 'index' })) as { index?: string }[];
  return rows.map((r) => r.index ?? '').filter((i) => i && !i.startsWith('.'));
}

/** Every test starts from 4 nodes, no index, no awareness, no exclusion. */
async function reset(cluster: RealCluster): Promise<void> {
  for (const index of await userIndices(cluster.es)) await cluster.es.indices.delete({ index });
  const cleared = {
    'cluster.routing.allocation.awareness.attributes': null,
    'cluster.routing.allocation.awareness.force.zone.values': null,
    'cluster.routing.allocation.exclude._name': null,
    'cluster.routing.allocation.exclude._ip': null,
    ...Object.fromEntries(WATERMARKS.map((stage) => [`cluster.routing.allocation.disk.watermark.${stage}`, null])),
    'cluster.routing.allocation.disk.threshold_enabled': null,
  };
  await cluster.es.cluster.putSettings({ persistent: cleared, transient: cleared });
  if (cluster.replicas() !== 4 || cluster.pods().length !== 4) await cluster.scaleTo(4);
  await cluster.es.cluster.health({ wait_for_status: 'green', wait_for_nodes: '4', wait_for_no_relocating_shards: true, timeout: '120s' });
}

/** R1–R3 on one engine of the matrix, on its own cluster (started once, stopped at the end). */
function realTier(engine: EngineSpec): void {
  const realRuns: Partial<Record<'awareness' | 'forced', IncidentRun>> = {};

  describe(`real ${engineLabel(engine)} nodes (R1–R3)`, function () {
    this.timeout(300_000);
    let cluster: RealCluster | undefined;
    let distribution: Distribution | undefined;
    let world: RealWorld | undefined;
    let simWorld: World | undefined;
    let tierStartedAt = Date.now();
    let clusterStartMs = 0;
    let peakRss = 0;
    let sampler: NodeJS.Timeout | undefined;

    before(async function () {
      this.timeout(15 * 60_000);
      tierStartedAt = Date.now();
      const why = process.env.ES_SCALER_SKIP_REAL_ES ? { ok: false as const, reason: 'ES_SCALER_SKIP_REAL_ES is set' } : await availability(engine);
      if (!why.ok) {
        loud([
          `REAL-ENGINE TIER SKIPPED FOR ${engineLabel(engine).toUpperCase()} (R1 scale-in, R2 incident, R3 parity did NOT run on it)`,
          `why: ${why.reason}`,
          'the other engines of the matrix still run; to run this one: install a fitting JDK and Maven; see docs/real-elasticsearch.md',
        ]);
        this.skip();
      }
      distribution = await fetchDistribution(engine);
      const t0 = Date.now();
      cluster = await startRealCluster(topology, { distribution, log: (line) => console.log(`      [${engine.id}] ${line}`) });
      clusterStartMs = Date.now() - t0;
      const versions = await cluster.versions();
      console.log(
        `      [${engine.id}] ${engine.engine} ${versions.join(', ')} (integ-test-zip from Maven Central, pinned ${engine.version}), ` +
          `Java ${distribution.javaVersion}, ${cluster.pods().length} nodes started in ${(clusterStartMs / 1000).toFixed(1)} s, es=${cluster.esUrl}`,
      );
      assert.deepEqual(versions, [distribution.version], 'every node runs the fetched version');
      assert.ok(!insideCheckout(cluster.distribution.esHome), `the nodes run from ${cluster.distribution.esHome}, outside the checkout`);
      peakRss = cluster.rssBytes();
      sampler = setInterval(() => (peakRss = Math.max(peakRss, cluster?.rssBytes() ?? 0)), 1_000);
      sampler.unref();
    });

    after(async function () {
      this.timeout(120_000);
      if (sampler) clearInterval(sampler);
      await world?.close();
      await simWorld?.close();
      if (!cluster) return;
      peakRss = Math.max(peakRss, cluster.rssBytes());
      const perNode = cluster.nodes().map((n) => `${n.name} ${mb(n.rssBytes)}`).join(', ');
      await cluster.close();
      console.log(
        `      [${engine.id}] tier wall time ${((Date.now() - tierStartedAt) / 1000).toFixed(0)} s (cluster start ${(clusterStartMs / 1000).toFixed(0)} s); ` +
          `peak RSS of all node processes ${mb(peakRss)} (at the end: ${perNode}); heap ${process.env.ES_HEAP ?? '128m'} per node`,
      );
    });

    beforeEach(async function () {
      this.timeout(300_000);
      if (cluster) await reset(cluster);
    });

    afterEach(async () => {
      await world?.close();
      world = undefined;
      await simWorld?.close();
      simWorld = undefined;
    });

    it('R1: scale-in 4 → 3 on real nodes relocates every shard of es-data-3, stops it, loses no document; scale-out brings it back', async () => {
      const c = cluster!;
      const index = 'r1-documents';
      const docs = 400;
      await c.es.indices.create({ index, settings: { number_of_shards: 4, number_of_replicas: 1 } });
      await c.es.cluster.health({ index, wait_for_status: 'green', timeout: '60s' });
      const operations = Array.from({ length: docs }, (_, i) => [{ index: { _index: index, _id: String(i) } }, { n: i, title: `document ${i}`, zone: ZONES[i % 4] }]).flat();
      const bulk = await c.es.bulk({ operations, refresh: true });
      assert.equal(bulk.errors, false);
      assert.equal((await c.es.count({ index })).count, docs);
      await c.es.cluster.health({ wait_for_status: 'green', wait_for_no_relocating_shards: true, timeout: '60s' });
      const onNode3Before = (await c.shards()).filter((s) => s.node === 'es-data-3');
      assert.ok(onNode3Before.length > 0, 'es-data-3 holds shards, so the drain has to move data');
      const pid3 = c.nodes().find((n) => n.name === 'es-data-3')!.pid!;

      world = await RealWorld.start(c, { engine: engine.engine });
      await world.submit(3);
      const [scaleIn] = await world.finishedOperations(1, 180_000);
      assert.equal(scaleIn!.outcome, 'succeeded', scaleIn!.detail);
      const result = await world.operationHandle(scaleIn!.workflowId).result();
      assert.deepEqual(result.removedPods, ['es-data-3']);

      assert.equal(c.replicas(), 3);
      assert.deepEqual(c.pods().map((p) => p.name), ['es-data-0', 'es-data-1', 'es-data-2']);
      assert.deepEqual((await c.esNodes()).map((n) => n.name).sort(), ['es-data-0', 'es-data-1', 'es-data-2']);
      assert.ok(!c.nodes().some((n) => n.name === 'es-data-3'), 'the es-data-3 process is gone');
      assert.throws(() => process.kill(-pid3, 0), 'no process of es-data-3 is left');
      assert.deepEqual(await c.exclusions(), {});
      await c.es.indices.refresh({ index });
      assert.equal((await c.es.count({ index })).count, docs, 'every document is still there');
      assert.equal(await c.health(), 'green');
      const shards = await c.shards();
      assert.equal(shards.length, 8);
      assert.ok(shards.every((s) => s.state === 'STARTED' && s.node !== 'es-data-3'), JSON.stringify(shards));

      await world.submit(4);
      const history = await world.finishedOperations(2, 180_000);
      assert.equal(history[1]!.outcome, 'succeeded', history[1]!.detail);
      assert.deepEqual((await c.esNodes()).map((n) => `${n.name}:${n.zone}`).sort(), ['es-data-0:b', 'es-data-1:c', 'es-data-2:b', 'es-data-3:a']);
      await c.es.cluster.health({ wait_for_status: 'green', wait_for_no_relocating_shards: true, timeout: '120s' });
      assert.equal((await c.es.count({ index })).count, docs);
    });

    if (engine.id === 'elasticsearch-8') {
      it('R4: a disk-watermark stall (watermarks in bytes above every node\'s free space): plan predicts it, the drain explains it with Elasticsearch\'s disk_threshold text, the sandbox words it the same', async () => {
        const c = cluster!;
        await c.es.indices.create({ index: 'r4', settings: { number_of_shards: 2, number_of_replicas: 1 } });
        await c.es.cluster.health({ index: 'r4', wait_for_status: 'green', wait_for_no_relocating_shards: true, timeout: '60s' });
        assert.ok((await c.shards()).some((s) => s.node === 'es-data-3'), 'es-data-3 holds a copy to move');
        const stats = await c.es.nodes.stats({ metric: 'fs' });
        const freeGb = Math.max(...Object.values(stats.nodes).map((n) => n.fs?.total?.available_in_bytes ?? 0)) / GB;
        // the real nodes start with the disk decider off (runtime.ts); the cluster setting turns it back on
        await c.es.cluster.putSettings({ persistent: { ...demandFree(Math.ceil(freeGb) + 100), 'cluster.routing.allocation.disk.threshold_enabled': true } });
        const onNode3 = (await c.shards()).find((s) => s.node === 'es-data-3')!;
        await eventually(
          'Elasticsearch to see the disks above the watermark (its disk usage refreshes on its own schedule)',
          async () => {
            const explain = await c.es.cluster.allocationExplain({ index: onNode3.index, shard: onNode3.shard, primary: onNode3.prirep === 'p', current_node: 'es-data-3' });
            return explain.can_remain_decisions?.some((d) => d.decider === 'disk_threshold' && d.decision === 'NO');
          },
          90_000,
          1_000,
        );

        world = await RealWorld.start(c, { engine: engine.engine, preflight: { disk: 'warn' }, pollInterval: `${POLL_MS}ms`, stallAfter: `${STALL_AFTER_MS}ms` });
        // plan, with the default disk policy: refused for disk, with the numbers
        const cfg = world.config.clusters.real!;
        const plan = await readScalePlan({ ...world.config, clusters: { real: { ...cfg, preflight: { ...cfg.preflight, disk: 'refuse' } } } }, 'real', 3, async () => world!.client);
        assert.deepEqual(plan.stop && [plan.stop.pod, plan.stop.kind], ['es-data-3', 'refused']);
        const verdict = plan.drains[0]!.preflight;
        assert.deepEqual(verdict.findings.filter((f) => f.outcome === 'blocks').map((f) => f.check), ['disk']);
        assert.ok(verdict.numbers.bytesToMove > 0);
        assert.ok(Object.values(verdict.numbers.freeBelowWatermarkByZone).every((free) => free === 0), JSON.stringify(verdict.numbers));
        // and through the CLI with this world's policy (disk: warn): it would start and stall, exit 5
        const planRun = await runCli(['plan', 'real', '3', '--config', await world.writeConfigFileIn(await mkdtemp(join(tmpdir(), 'es-scaler-r4-')))]);
        assert.equal(planRun.code, 5, planRun.stdout + planRun.stderr);
        assert.match(planRun.stdout, /es-data-3\s+a\s+warning\s+proceeds\s+.*disk: \d+ cop(y|ies) \([^)]+\) cannot leave es-data-3/);
        assert.match(planRun.stdout, /WOULD STALL at es-data-3/);

        const real = await runIncident(world, {
          exclusions: () => c.exclusions(),
          replicas: () => c.replicas(),
          nodeNames: async () => (await c.esNodes()).map((n) => n.name),
          health: () => c.health(),
        });
        assert.equal(real.preflight, 'warning');
        assert.deepEqual(real.outcomes, ['superseded', 'succeeded'], real.details.join('\n'));
        const realDisk = real.stall.reasons.filter((r) => r.startsWith('[disk_threshold] '));
        assert.ok(realDisk.length > 0, real.stall.reasons.join('\n'));
        assert.match(realDisk.join('\n'), /the node is above the low watermark cluster setting \[cluster\.routing\.allocation\.disk\.watermark\.low=\d+gb\], having less than the minimum required \[\d+gb\] free space, actual free: \[[\d.]+gb\], actual used: \[[\d.]+%\]/);

        // parity: the same on the simulated cluster (100gb disks), worded the same once the numbers are masked
        simWorld = await World.start({
          scenario: { ...topology, indices: [{ name: 'r4', primaries: 2, replicas: 1 }], settings: { persistent: demandFree(200) } },
          cluster: { preflight: { disk: 'warn' }, pollInterval: `${POLL_MS}ms`, stallAfter: `${STALL_AFTER_MS}ms`, maxReplicas: 6 },
        });
        await simWorld.startWorker();
        const sb = simWorld.sandbox;
        const sim = await runIncident(simWorld, {
          exclusions: async () => sb.exclusions(),
          replicas: () => sb.replicas(),
          nodeNames: async () => sb.esNodes().map((n) => n.name).filter((n) => n.startsWith('es-data-')),
          health: async () => sb.health(),
        });
        assert.deepEqual(sim.outcomes, real.outcomes);
        assert.deepEqual(diskTexts(sim.stall.reasons), diskTexts(real.stall.reasons), `real:\n${real.stall.reasons.join('\n')}\nsimulated:\n${sim.stall.reasons.join('\n')}`);
      });
    }

    for (const variant of ['awareness', 'forced'] as const) {
      const forced = variant === 'forced';
      it(`R2${forced ? ' (forced awareness a,b,c)' : ''}: the drain of the last node of zone a stalls with ${engineLabel(engine)}'s own reason; target 4 supersedes and cleans up`, async () => {
        const c = cluster!;
        await c.es.cluster.putSettings({
          persistent: {
            'cluster.routing.allocation.awareness.attributes': 'zone',
            ...(forced ? { 'cluster.routing.allocation.awareness.force.zone.values': FORCED.zone.join(',') } : {}),
          },
        });
        await c.es.indices.create({ index: R2_INDEX.name, settings: { number_of_shards: R2_INDEX.primaries, number_of_replicas: R2_INDEX.replicas } });
        await c.es.cluster.health({ wait_for_status: 'green', wait_for_no_relocating_shards: true, timeout: '60s' });
        assert.equal((await c.shards()).filter((s) => s.node === 'es-data-3').length, R2_INDEX.primaries, 'one copy of each shard in zone a');

        world = await RealWorld.start(c, { engine: engine.engine, awarenessPolicy: 'allow', pollInterval: `${POLL_MS}ms`, stallAfter: `${STALL_AFTER_MS}ms` });
        const w = world;
        const run = await runIncident(w, {
          exclusions: () => c.exclusions(),
          replicas: () => c.replicas(),
          nodeNames: async () => (await c.esNodes()).map((n) => n.name),
          health: () => c.health(),
        });
        console.log(`      [${engine.id}] stall reasons from ${engineLabel(engine)}:\n${run.stall.reasons.map((r) => `        ${r}`).join('\n')}`);
        console.log(`      [${engine.id}] supersede cleanup took ${run.cleanupMs} ms`);
        assertIncident(run, forced, engine);
        assert.ok(run.cleanupMs < POLL_MS + 3_000, `supersede cleanup took ${run.cleanupMs} ms`);
        realRuns[variant] = run;
      });
    }

    /** The worker's own clients on this cluster, as the config would build them (`engine: auto` detects it from GET /). */
    function activitiesOn(c: RealCluster, settings: { engine?: 'auto'; drainMethod?: 'shutdown' } = {}) {
      const connections = new ClusterConnections(
        defineConfig({
          clusters: {
            real: {
              kubernetes: { namespace: c.namespace, statefulSet: c.statefulSet, apiServer: c.k8sUrl, tokenFile: c.k8sTokenFile },
              elasticsearch: { url: c.esUrl },
              engine: engine.engine,
              minReplicas: 1,
              maxReplicas: 6,
              ...settings,
            },
          },
        }),
      );
      const es = createElasticsearchActivities(connections);
      return { connections, es, shutdown: createNodeShutdownActivities(connections, es) };
    }

    it(`REST compatibility: the activities' client (@elastic/elasticsearch 8.19) reads what the capacity pre-flight needs from ${engineLabel(engine)}`, async () => {
      const c = cluster!;
      await c.es.indices.create({ index: 'compat', settings: { number_of_shards: 2, number_of_replicas: 1 } });
      await c.es.cluster.health({ index: 'compat', wait_for_status: 'green', timeout: '60s' });
      const { connections } = activitiesOn(c);
      try {
        const { facts, health, settings } = await readCapacityFacts(connections.elasticsearch('real'));
        assert.deepEqual(facts.nodes.map((n) => n.name).sort(), ['es-data-0', 'es-data-1', 'es-data-2', 'es-data-3']);
        assert.ok(facts.nodes.every((n) => n.totalBytes > 0 && n.availableBytes > 0), 'fs stats of every node');
        assert.equal(facts.copies.filter((s) => s.index === 'compat').length, 4);
        assert.ok(facts.copies.every((s) => s.bytes > 0), 'store sizes of every copy');
        assert.equal(facts.indices.compat?.copies, 2);
        assert.equal(health.status, 'green');
        assert.deepEqual(Object.values(effectiveExclusions(settings)).flat(), []);
        // the server really is the matrix's version (for 9.x: the 8.19 client through REST compatibility)
        const versions = (await c.es.cat.nodes({ format: 'json', h: 'version' })) as { version: string }[];
        assert.deepEqual([...new Set(versions.map((n) => n.version))], [engine.version]);
      } finally {
        await connections.close();
      }
    });

    it(`engine: auto detects ${engineLabel(engine)} and talks to it the same way${engine.engine === 'opensearch' ? '; drainMethod: shutdown is refused before anything changes' : ''}`, async () => {
      const c = cluster!;
      const { connections, es, shutdown } = activitiesOn(c, { engine: 'auto', drainMethod: 'shutdown' });
      try {
        const state = await es.readExclusionsAndHealth('real');
        assert.deepEqual(state.exclusions, {});
        if (engine.engine === 'opensearch') {
          const refused = await shutdown.checkNodeShutdownSupport('real').then(() => assert.fail('OpenSearch must refuse drainMethod shutdown'), (err: Error) => err);
          assert.match(refused.message, new RegExp(`^drainMethod: expected "exclude" for this cluster, found "shutdown": it runs OpenSearch ${engine.version.replaceAll('.', '\\.')} \\(detected from GET /\\)`));
          assert.deepEqual(await c.exclusions(), {}, 'nothing changed');
        }
      } finally {
        await connections.close();
      }
    });

    it(`drainMethod: shutdown with the engine detected: ${engine.engine === 'opensearch' ? 'OpenSearch refuses it' : 'this build lacks the API'}, and the operation fails before it changes anything`, async () => {
      const c = cluster!;
      world = await RealWorld.start(c, { drainMethod: 'shutdown' });
      await world.submit(3);
      const [op] = await world.finishedOperations(1, 60_000);
      assert.equal(op!.outcome, 'failed', op!.detail);
      const expected =
        engine.engine === 'opensearch'
          ? `drainMethod: expected "exclude" for this cluster, found "shutdown": it runs OpenSearch ${engine.version} (detected from GET /), which has no node-shutdown API`
          : 'drainMethod: this cluster has no node-shutdown API (GET _nodes/shutdown was answered as a nodes-info request; the x-pack-shutdown module is missing); use drainMethod: exclude';
      assert.ok(op!.detail.includes(expected), op!.detail);
      assert.equal(c.replicas(), 4);
      assert.deepEqual(await c.exclusions(), {});
      assert.deepEqual((await world.operationHandle(op!.workflowId).query(operationStatusQuery)).ownedExclusions, []);
    });

    if (engine.engine === 'elasticsearch') {
      it(`voting configuration exclusions on ${engineLabel(engine)}: the activities add one and clear it; the cluster state shows it as the sandbox does`, async () => {
        const c = cluster!;
        const { connections } = activitiesOn(c);
        const votingExclusions = async (es: Client) =>
          ((await es.cluster.state({ metric: 'metadata' })) as { metadata: { cluster_coordination: { voting_config_exclusions: unknown[] } } }).metadata.cluster_coordination.voting_config_exclusions;
        try {
          const voting = createVotingExclusionActivities(connections);
          // only ordinal 0 is master-eligible here: a data-only node gets no exclusion, a name of no node an "_absent_" id
          await voting.addVotingExclusion('real', 'es-data-3');
          assert.deepEqual(await votingExclusions(c.es), []);
          await voting.addVotingExclusion('real', 'es-data-9');
          assert.deepEqual(await votingExclusions(c.es), [{ node_id: '_absent_', node_name: 'es-data-9' }]);
          await voting.clearVotingExclusions('real');
          assert.deepEqual(await votingExclusions(c.es), []);
        } finally {
          await connections.close();
        }
        const sim = await startSimulatedElasticsearch({ ...topology, otherNodes: [{ name: 'es-master-0', zone: 'b', roles: ['master'] }, { name: 'es-hot-0', zone: 'b', roles: ['data'] }] });
        const simClient = new Client({ node: sim.esUrl });
        try {
          await simClient.cluster.postVotingConfigExclusions({ node_names: 'es-hot-0' });
          assert.deepEqual(await votingExclusions(simClient), []);
          await simClient.cluster.postVotingConfigExclusions({ node_names: 'es-data-9' });
          assert.deepEqual(await votingExclusions(simClient), [{ node_id: '_absent_', node_name: 'es-data-9' }]);
        } finally {
          await simClient.close();
          await sim.close();
        }
      });

      it(`node-shutdown API on ${engineLabel(engine)}: present in this distribution, or said loudly that it is not`, async function () {
        const c = cluster!;
        const { connections, es, shutdown } = activitiesOn(c, { drainMethod: 'shutdown' });
        try {
          const listed = await shutdown.checkNodeShutdownSupport('real').catch((err: Error) => err);
          if (listed instanceof Error) {
            // the integ-test-zip ships 4 modules; the node-shutdown REST API lives in x-pack-shutdown, which it lacks
            assert.match(listed.message, /^drainMethod: this cluster has no node-shutdown API/, listed.message);
            loud([
              `NODE-SHUTDOWN ON REAL ${engineLabel(engine).toUpperCase()} NOT TESTED: the integ-test-zip has no x-pack-shutdown module`,
              `es-scaler says: ${listed.message}`,
              'the sandbox models the API (test/engines/node-shutdown.test.ts, test/scenarios/node-shutdown-drain.test.ts);',
              'neither x-pack-shutdown nor a default distribution is served on Maven Central (see docs/real-elasticsearch.md)',
            ]);
            this.skip();
          }
          await c.es.indices.create({ index: 'drain', settings: { number_of_shards: 2, number_of_replicas: 1 } });
          await c.es.cluster.health({ index: 'drain', wait_for_status: 'green', timeout: '60s' });
          const [nodeId] = await es.nodeIds('real', ['es-data-3']);
          await shutdown.putShutdownRecord({ cluster: 'real', nodeId: nodeId!, node: 'es-data-3', operationId: 'real-test' });
          await eventually('es-data-3 to be drained', async () => (await shutdown.readShutdownStatus('real', nodeId!))?.shardMigration.status === 'COMPLETE', 60_000, 250);
          assert.ok(!(await c.shards()).some((s) => s.node === 'es-data-3'));
          assert.deepEqual(await c.exclusions(), {});
          assert.deepEqual(await shutdown.deleteShutdownRecord('real', { nodeId: nodeId!, operationId: 'real-test' }), { changed: true });
          assert.deepEqual(await shutdown.listShutdownRecords('real'), []);
        } finally {
          await connections.close();
        }
      });
    }

    for (const variant of ['awareness', 'forced'] as const) {
      const forced = variant === 'forced';
      it(`R3${forced ? ' (forced awareness)' : ''}: the simulated cluster gives the same outcome and the same ${engine.engine === 'elasticsearch' ? 'reasons' : 'deciders'} as real ${engineLabel(engine)}`, async function () {
        const real = realRuns[variant];
        assert.ok(real, `R2 (${variant}) did not record a real run to compare with`);
        simWorld = await World.start({
          scenario: {
            ...topology,
            indices: [R2_INDEX],
            awareness: { attributes: ['zone'], ...(forced ? { force: FORCED } : {}) },
          },
          cluster: { awarenessPolicy: 'allow', pollInterval: `${POLL_MS}ms`, stallAfter: `${STALL_AFTER_MS}ms`, maxReplicas: 6 },
        });
        await simWorld.startWorker();
        const w = simWorld;
        const sb = w.sandbox;
        const sim = await runIncident(w, {
          exclusions: async () => sb.exclusions(),
          replicas: () => sb.replicas(),
          nodeNames: async () => sb.esNodes().map((n) => n.name).filter((n) => n.startsWith('es-data-')), // not the dedicated masters
          health: async () => sb.health(),
        });
        // the same outcome
        assert.deepEqual(
          { ...sim, stall: undefined, details: undefined, cleanupMs: undefined },
          { ...real, stall: undefined, details: undefined, cleanupMs: undefined },
        );
        // the same deciders, and (the simulation speaks Elasticsearch's wording) the same texts once ids are masked
        assert.deepEqual(deciderNames(sim.stall.reasons), deciderNames(real.stall.reasons));
        if (engine.engine === 'elasticsearch') assert.deepEqual(normalised(sim.stall.reasons), normalised(real.stall.reasons));
        else {
          const differing = normalised(real.stall.reasons).filter((r) => !normalised(sim.stall.reasons).includes(r));
          console.log(`      [${engine.id}] reason texts worded differently from the simulation's (Elasticsearch's):\n${differing.map((r) => `        ${r}`).join('\n')}`);
        }
      });
    }
  });
}

for (const engine of selectedEngines()) realTier(engine);
