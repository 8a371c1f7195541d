// What removing one node costs beyond the drain itself: a scale-in by one node whose drain and pod
// stop take well under a second in the sandbox, timed from the target to the pod gone and the
// exclusion cleaned up. Whatever is above the sandbox's own times is es-scaler's overhead, to be
// compared with the poll interval.
import { Fleet, smallCluster, until, type FleetOptions } from '../fleet.js';
import { distribution, type Distribution } from '../stats.js';

export interface OverheadRow {
  pollInterval: string;
  /** Relocation plus pod stop in the sandbox: the part that is not overhead. */
  sandboxMs: number;
  nodeRemoval: Distribution;
}

const TIMINGS = { relocationMs: 300, podStopMs: 200 };

export async function overheadPerNode(temporal: FleetOptions['temporal'], opts: { pollInterval: string; runs: number; extraConfig?: Record<string, unknown> }): Promise<OverheadRow> {
  const fleet = await Fleet.start({ temporal, size: 1, scenario: smallCluster(TIMINGS), cluster: { pollInterval: opts.pollInterval, stallAfter: '15m' }, extraConfig: opts.extraConfig });
  try {
    const sandbox = fleet.clusters[0]!.sandbox;
    const samples: number[] = [];
    for (let run = 0; run < opts.runs; run++) {
      const start = performance.now();
      await fleet.submit('c0', 3);
      await until('the node to be removed', () => sandbox.replicas() === 3 && sandbox.pods().length === 3 && Object.keys(sandbox.exclusions()).length === 0, 10 * 60_000, 20);
      samples.push(performance.now() - start);
      await fleet.submit('c0', 4); // back to four for the next run
      await until('the node to be back', () => sandbox.pods().length === 4 && sandbox.health() === 'green', 10 * 60_000, 50);
    }
    return { pollInterval: opts.pollInterval, sandboxMs: TIMINGS.relocationMs + TIMINGS.podStopMs, nodeRemoval: distribution(samples) };
  } finally {
    await fleet.close();
  }
}
