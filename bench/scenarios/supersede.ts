// Supersede reaction: a scale-in is draining (and cannot finish), the morning target arrives; how
// long until the exclusion the scale-in added is gone? Idle, or while a fleet of other clusters
// sits in the same waiting phase on the same worker. The naive loop runs the same test.
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterWorkflowIdOf } from '../../src/temporal/submit-target.js';
import { startSandbox } from '../../src/sandbox/index.js';
import type { ClusterStatus } from '../../src/workflows/types.js';
import { naiveScaleIn } from '../naive-loop.js';
import { distribution, type Distribution } from '../stats.js';
import { Fleet, smallCluster, until, type FleetOptions } from '../fleet.js';

export interface SupersedeRow {
  pollInterval: string;
  /** Other clusters draining on the same worker meanwhile. */
  waitingClusters: number;
  esScaler: Distribution;
  spawnToReadyMs: number;
}

const PROBE = 'c0';

export async function supersede(temporal: FleetOptions['temporal'], opts: { pollInterval: string; waitingClusters: number; runs: number; extraConfig?: Record<string, unknown> }): Promise<SupersedeRow> {
  const fleet = await Fleet.start({
    temporal,
    size: opts.waitingClusters + 1,
    scenario: smallCluster(),
    cluster: { pollInterval: opts.pollInterval, stallAfter: '2h' },
    extraConfig: opts.extraConfig,
  });
  try {
    for (const c of fleet.clusters) c.sandbox.faults.stallRelocations(true);
    const waiting = fleet.clusters.filter((c) => c.name !== PROBE);
    for (let next = 0; next < waiting.length; next += 50) await Promise.all(waiting.slice(next, next + 50).map((c) => fleet.submit(c.name, 3)));
    await until(`${waiting.length} clusters to be draining`, () => waiting.every((c) => Object.keys(c.sandbox.exclusions()).length > 0), 10 * 60_000, 200);
    const probe = fleet.clusters.find((c) => c.name === PROBE)!.sandbox;
    const status = () => temporal.client.workflow.getHandle(clusterWorkflowIdOf(fleet.config, PROBE)).query<ClusterStatus>('status');
    const samples: number[] = [];
    for (let run = 0; run < opts.runs; run++) {
      await fleet.submit(PROBE, 3);
      await until('the probe to exclude its node', () => Object.keys(probe.exclusions()).length > 0, 120_000, 5);
      await sleep(200 + Math.random() * 500); // the drain watch is running (and sleeping between polls)
      const start = performance.now();
      await fleet.submit(PROBE, 4, 'morning');
      await until('the probe exclusion to be removed', () => Object.keys(probe.exclusions()).length === 0, 120_000, 2);
      samples.push(performance.now() - start);
      const deadline = Date.now() + 120_000;
      while ((await status()).running && Date.now() < deadline) await sleep(50);
    }
    return { pollInterval: opts.pollInterval, waitingClusters: opts.waitingClusters, esScaler: distribution(samples), spawnToReadyMs: fleet.spawnToReadyMs };
  } finally {
    await fleet.close();
  }
}

/** The naive loop's reaction at `pollIntervalMs`: `runs` independent loops at once, each on its own cluster. */
export async function naiveSupersede(pollIntervalMs: number, runs: number): Promise<Distribution> {
  const samples = await Promise.all(
    Array.from({ length: runs }, async (_, i) => {
      const sandbox = await startSandbox({ ...smallCluster(), namespace: `naive-${i}` });
      try {
        sandbox.faults.stallRelocations(true);
        let desired = 3;
        const loop = naiveScaleIn({ esUrl: sandbox.esUrl, node: 'es-data-3', pollIntervalMs, desired: () => desired, replicasAtStart: 4 });
        await until('the naive loop to exclude its node', () => Object.keys(sandbox.exclusions()).length > 0, 30_000, 5);
        await sleep(200 + Math.random() * pollIntervalMs);
        const start = performance.now();
        desired = 4;
        await loop;
        return performance.now() - start;
      } finally {
        await sandbox.close();
      }
    }),
  );
  return distribution(samples);
}
