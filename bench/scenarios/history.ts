// History events per node removed, for a drain of a given length. The sandbox's relocations are
// slowed so the drain of es-data-3 (15 relocation waves of two copies) takes that long. A long
// drain can be time-compressed: poll interval, stall window and relocations all shrink by the same
// factor, so the drain sees as many polls, changes and watch slices as the real one would.
import { readQueueHistories } from '../histories.js';
import { Fleet, until, type FleetOptions } from '../fleet.js';

export interface HistoryRow {
  drainMinutes: number;
  compression: number;
  pollInterval: string;
  stallAfter: string;
  /** Real time the drain took in the bench. */
  drainWallMs: number;
  /** Events written for the node (histories.ts nodeEvents), and by the whole operation. */
  eventsPerNode: number;
  operationEvents: number;
}

const WAVES = 15;

export async function historyPerNode(temporal: FleetOptions['temporal'], opts: { drainMinutes: number; compression: number; extraConfig?: Record<string, unknown> }): Promise<HistoryRow> {
  const k = opts.compression;
  const pollMs = Math.max(100, Math.round(10_000 / k));
  const stallMs = Math.round(15 * 60_000 / k);
  const relocationMs = Math.round((opts.drainMinutes * 60_000) / k / WAVES);
  const fleet = await Fleet.start({
    temporal,
    size: 1,
    scenario: {
      statefulSet: 'es-data',
      zones: ['zone-a', 'zone-b', 'zone-c', 'zone-a'],
      indices: [{ name: 'logs', primaries: 60, replicas: 1 }],
      awareness: { attributes: ['zone'] },
      timings: { relocationMs },
    },
    cluster: { pollInterval: `${pollMs}ms`, stallAfter: `${stallMs}ms` },
    extraConfig: opts.extraConfig,
  });
  try {
    const sandbox = fleet.clusters[0]!.sandbox;
    const start = performance.now();
    await fleet.submit('c0', 3);
    await until('the scale-in to finish', () => sandbox.replicas() === 3 && sandbox.pods().length === 3 && Object.keys(sandbox.exclusions()).length === 0, opts.drainMinutes * 60_000 / k * 3 + 120_000, 250);
    const drainWallMs = performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const histories = await readQueueHistories(temporal.client, fleet.taskQueue);
    return {
      drainMinutes: opts.drainMinutes,
      compression: k,
      pollInterval: `${pollMs}ms`,
      stallAfter: `${stallMs}ms`,
      drainWallMs,
      eventsPerNode: histories.nodeEvents,
      operationEvents: histories.eventsByType.scaleOperation?.events ?? Number.NaN,
    };
  } finally {
    await fleet.close();
  }
}
