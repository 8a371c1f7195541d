// `npm run bench`: es-scaler's fleet performance on the real Temporal dev server and a real worker
// process, with simulated clusters in this process. Prints a table per scenario and writes
// bench/results/<name>.json and .md. Flags select and scale the scenarios, e.g.
//   npm run bench -- --scenarios supersede,burst --runs 30 --fleet 1000
// See the README's Performance section for what each scenario measures.
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { parseDuration } from '../src/config/duration.js';
import { packageRoot } from '../src/util/paths.js';
import { sharedTemporal, stopSharedTemporal } from '../test/helpers/temporal.js';
import { machine, textTable, writeResults, type Table } from './report.js';
import { burst, type BurstRow } from './scenarios/burst.js';
import { esPoll } from './scenarios/es-poll.js';
import { historyPerNode, type HistoryRow } from './scenarios/history.js';
import { overheadPerNode } from './scenarios/overhead.js';
import { naiveSupersede, supersede, type SupersedeRow } from './scenarios/supersede.js';
import { deployedNodeOptions, Fleet, smallCluster } from './fleet.js';
import { distribution, ms, type Distribution } from './stats.js';

const SCENARIOS = ['supersede', 'burst', 'history', 'es-poll', 'overhead', 'spawn'] as const;

const { values: flags } = parseArgs({
  options: {
    scenarios: { type: 'string', default: SCENARIOS.join(',') },
    runs: { type: 'string', default: '30' },
    polls: { type: 'string', default: '500ms,10s,60s' },
    fleet: { type: 'string', default: '1000' },
    'fleet-fast-poll': { type: 'string', default: '100' },
    bursts: { type: 'string', default: '10,100,1000' },
    'burst-poll': { type: 'string', default: '2s' },
    drains: { type: 'string', default: '1,60' },
    compression: { type: 'string', default: '1,10' },
    copies: { type: 'string', default: '10000' },
    spawns: { type: 'string', default: '5' },
    /** The config file's worker section for every scenario's worker, as JSON: '{"workflowTaskSlots":40}'. */
    worker: { type: 'string', default: '{}' },
    out: { type: 'string', default: join(packageRoot, 'bench', 'results') },
    name: { type: 'string', default: 'fleet' },
  },
  strict: true,
});

function numbers(flag: string, text: string): number[] {
  const list = text.split(',').map(Number);
  if (list.some((n) => !Number.isFinite(n) || n < 0)) throw new Error(`--${flag}: expected a comma-separated list of numbers, found "${text}"`);
  return list;
}

function durations(flag: string, text: string): string[] {
  const list = text.split(',');
  for (const d of list) if (!parseDuration(d)) throw new Error(`--${flag}: expected durations like 500ms,10s, found "${d}"`);
  return list;
}

const selected = flags.scenarios.split(',');
for (const s of selected) if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`--scenarios: unknown scenario "${s}" (known: ${SCENARIOS.join(', ')})`);
const [runs] = numbers('runs', flags.runs);
const [fleetSize] = numbers('fleet', flags.fleet);
const [fleetFastPoll] = numbers('fleet-fast-poll', flags['fleet-fast-poll']);
const options = {
  scenarios: selected,
  runs: runs!,
  polls: durations('polls', flags.polls),
  fleet: fleetSize!,
  fleetFastPoll: fleetFastPoll!,
  bursts: numbers('bursts', flags.bursts),
  burstPoll: durations('burst-poll', flags['burst-poll'])[0]!,
  drains: numbers('drains', flags.drains),
  compression: numbers('compression', flags.compression),
  copies: numbers('copies', flags.copies)[0]!,
  spawns: numbers('spawns', flags.spawns)[0]!,
  worker: flags.worker,
  /** Every scenario's worker runs with the deployed heap limit (fleet.ts). */
  workerNodeOptions: await deployedNodeOptions(),
};
// only when given: a build from before the worker section (a baseline run) refuses the field
const extraConfig = flags.worker === '{}' ? {} : { worker: JSON.parse(flags.worker) as Record<string, unknown> };
if (options.compression.length !== options.drains.length) throw new Error('--compression: expected one factor per --drains entry');

const env = machine();
const { server, client } = await sharedTemporal();
const temporal = { address: server.address, namespace: server.namespace, client, serverPid: server.pid };
const tables: Table[] = [];
const results: Record<string, unknown> = {};
const spawnSamples: number[] = [];
const dist = (d: Distribution) => [ms(d.p50), ms(d.p90), ms(d.p99), ms(d.max)];
const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** One measurement; a failure (a timeout under load) becomes its row's result instead of ending the bench. */
async function attempt<T>(what: string, measure: () => Promise<T>): Promise<T | { failed: string }> {
  try {
    return await measure();
  } catch (err) {
    log(`${what} failed: ${(err as Error).message}`);
    return { failed: (err as Error).message };
  }
}
const failed = (row: object): row is { failed: string } => 'failed' in row;

try {
  if (selected.includes('supersede')) {
    const rows: ((SupersedeRow & { naive: Distribution }) | { pollInterval: string; waitingClusters: number; failed: string })[] = [];
    for (const poll of options.polls) {
      const fast = parseDuration(poll)! < 5_000;
      const waitingSizes = [0, fast ? Math.min(options.fleet, options.fleetFastPoll) : options.fleet];
      log(`supersede at poll ${poll}: naive loop`);
      const naive = await naiveSupersede(parseDuration(poll)!, options.runs);
      for (const waitingClusters of [...new Set(waitingSizes)]) {
        log(`supersede at poll ${poll}, ${waitingClusters} clusters waiting, ${options.runs} runs`);
        const row = await attempt(`supersede at ${poll} with ${waitingClusters} waiting`, () => supersede(temporal, { pollInterval: poll, waitingClusters, runs: options.runs, extraConfig }));
        if (failed(row)) rows.push({ pollInterval: poll, waitingClusters, failed: row.failed });
        else {
          spawnSamples.push(row.spawnToReadyMs);
          rows.push({ ...row, naive });
        }
      }
    }
    results.supersede = rows;
    tables.push({
      title: 'Supersede: morning target → the scale-in’s exclusion removed',
      columns: ['poll', 'clusters waiting', 'runs', 'p50', 'p90', 'p99', 'max', 'naive p50', 'naive p99', 'naive max'],
      rows: rows.map((r) =>
        failed(r)
          ? [r.pollInterval, String(r.waitingClusters), '–', `failed: ${r.failed}`, '', '', '', '', '', '']
          : [r.pollInterval, String(r.waitingClusters), String(r.esScaler.n), ...dist(r.esScaler), ms(r.naive.p50), ms(r.naive.p99), ms(r.naive.max)],
      ),
      notes: ['The naive loop polls the drain and reads the desired count only between polls (bench/naive-loop.ts); its runs go at once, each on its own cluster, with no fleet.'],
    });
  }

  if (selected.includes('burst')) {
    const rows: (BurstRow | { clusters: number; failed: string })[] = [];
    for (const clusters of options.bursts) {
      log(`burst of ${clusters} scale-ins`);
      const row = await attempt(`burst of ${clusters}`, () => burst(temporal, { clusters, pollInterval: options.burstPoll, extraConfig }));
      if (failed(row)) rows.push({ clusters, failed: row.failed });
      else {
        spawnSamples.push(row.spawnToReadyMs);
        rows.push(row);
      }
    }
    results.burst = rows;
    tables.push({
      title: `Burst: N clusters scale in by one node in the same second (poll ${options.burstPoll})`,
      columns: ['N', 'wf task wait p50', 'p99', 'activity wait p50', 'p99', 'wall', 'worker RSS peak', 'worker CPU', 'server CPU', 'events/node', 'events/operation'],
      rows: rows.map((r) => failed(r) ? [String(r.clusters), `failed: ${r.failed}`, '', '', '', '', '', '', '', '', ''] : [
        String(r.clusters),
        ms(r.workflowTaskWait.p50),
        ms(r.workflowTaskWait.p99),
        ms(r.activityTaskWait.p50),
        ms(r.activityTaskWait.p99),
        ms(r.wallMs),
        `${r.workerRssPeakMiB} MiB`,
        `${r.workerCpuSeconds.toFixed(1)} s`,
        `${r.serverCpuSeconds.toFixed(1)} s`,
        r.eventsPerNode.toFixed(0),
        r.eventsPerOperation.toFixed(0),
      ]),
    });
  }

  if (selected.includes('history')) {
    const rows: (HistoryRow | { drainMinutes: number; compression: number; failed: string })[] = [];
    for (const [i, minutes] of options.drains.entries()) {
      const compression = options.compression[i]!;
      log(`history of a ${minutes}-minute drain (compressed ×${compression})`);
      const row = await attempt(`history of a ${minutes}-minute drain`, () => historyPerNode(temporal, { drainMinutes: minutes, compression, extraConfig }));
      rows.push(failed(row) ? { drainMinutes: minutes, compression, failed: row.failed } : row);
    }
    results.history = rows;
    tables.push({
      title: 'History events per node removed',
      columns: ['drain', 'compressed', 'poll', 'stallAfter', 'bench time', 'events/node', 'operation events'],
      rows: rows.map((r) =>
        failed(r)
          ? [`${r.drainMinutes} min`, `×${r.compression}`, `failed: ${r.failed}`, '', '', '', '']
          : [`${r.drainMinutes} min`, `×${r.compression}`, r.pollInterval, r.stallAfter, ms(r.drainWallMs), String(r.eventsPerNode), String(r.operationEvents)],
      ),
      notes: ['Compressed ×k: poll interval, stallAfter and relocation times divided by k (realistic ratios: poll 10 s, stallAfter 15 min at ×1).'],
    });
  }

  if (selected.includes('es-poll')) {
    log(`Elasticsearch cost of a drain poll on ${options.copies} shard copies`);
    const row = await attempt('es-poll', () => esPoll(temporal, { copies: options.copies, polls: 10, extraConfig }));
    results.esPoll = row;
    tables.push({
      title: 'Elasticsearch load per poll of a draining node',
      columns: ['shard copies', 'nodes', 'sandbox build', 'requests/poll', 'bytes/poll', 'endpoints'],
      rows: [
        failed(row)
          ? [String(options.copies), `failed: ${row.failed}`, '', '', '', '']
          : [String(row.shardCopies), String(row.nodes), ms(row.sandboxBuildMs), row.requestsPerPoll.toFixed(1), String(Math.round(row.bytesPerPoll)), Object.entries(row.requests).map(([p, n]) => `${p} ×${n}`).join(', ')],
      ],
    });
  }

  if (selected.includes('overhead')) {
    const rows = [];
    for (const poll of options.polls.filter((p) => parseDuration(p)! <= 10_000)) {
      log(`overhead of one node removed at poll ${poll}`);
      const row = await attempt(`overhead at ${poll}`, () => overheadPerNode(temporal, { pollInterval: poll, runs: Math.min(options.runs, 5), extraConfig }));
      rows.push(failed(row) ? { pollInterval: poll, failed: row.failed } : row);
    }
    results.overhead = rows;
    tables.push({
      title: 'One node removed, drain and pod stop well under a second: time from target to done',
      columns: ['poll', 'runs', 'sandbox part', 'p50', 'max', 'overhead p50 / poll'],
      rows: rows.map((r) =>
        'failed' in r
          ? [r.pollInterval, `failed: ${r.failed}`, '', '', '', '']
          : [r.pollInterval, String(r.nodeRemoval.n), ms(r.sandboxMs), ms(r.nodeRemoval.p50), ms(r.nodeRemoval.max), `${((r.nodeRemoval.p50 - r.sandboxMs) / parseDuration(r.pollInterval)!).toFixed(2)}`],
      ),
      notes: ['Polls of 60 s are left out: five runs would take most of ten minutes for a figure the 10 s row already gives.'],
    });
  }

  if (selected.includes('spawn')) {
    for (let i = 0; i < options.spawns; i++) {
      const fleet = await Fleet.start({ temporal, size: 1, scenario: smallCluster(), cluster: {}, extraConfig });
      spawnSamples.push(fleet.spawnToReadyMs);
      await fleet.close();
    }
  }
  if (spawnSamples.length > 0) {
    const spawn = distribution(spawnSamples);
    results.spawnToReady = spawn;
    tables.push({ title: 'Worker process spawn → ready (/readyz 200)', columns: ['samples', 'p50', 'p90', 'p99', 'max'], rows: [[String(spawn.n), ...dist(spawn)]] });
  }
} finally {
  await stopSharedTemporal();
}

env.loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
const written = await writeResults(flags.out, flags.name, { machine: env, options, scenarios: results, tables });
console.log(tables.map(textTable).join('\n\n'));
console.log(`\nwritten: ${written.json}, ${written.markdown}`);
