// A burst: every cluster of the fleet scales in by one node in the same minute. How long do
// workflow and activity tasks wait for the worker, how long until all are done, and what does it
// cost the worker and the Temporal server?
import { readQueueHistories } from '../histories.js';
import { mib, RssWatch, sampleProcess } from '../process-stats.js';
import { distribution, type Distribution } from '../stats.js';
import { Fleet, smallCluster, until, type FleetOptions } from '../fleet.js';

export interface BurstRow {
  clusters: number;
  pollInterval: string;
  workflowTaskWait: Distribution;
  activityTaskWait: Distribution;
  wallMs: number;
  workerRssPeakMiB: number;
  workerCpuSeconds: number;
  serverCpuSeconds: number;
  /** Events written per node removed (one per cluster; histories.ts nodeEvents), and per operation. */
  eventsPerNode: number;
  eventsPerOperation: number;
  spawnToReadyMs: number;
}

export async function burst(
  temporal: FleetOptions['temporal'] & { serverPid?: number },
  opts: { clusters: number; pollInterval: string; extraConfig?: Record<string, unknown> },
): Promise<BurstRow> {
  const fleet = await Fleet.start({ temporal, size: opts.clusters, scenario: smallCluster(), cluster: { pollInterval: opts.pollInterval, stallAfter: '10m' }, extraConfig: opts.extraConfig });
  try {
    const workerPid = fleet.worker.child.pid!;
    const cpu = (pid: number | undefined) => (pid === undefined ? Number.NaN : (sampleProcess(pid)?.cpuSeconds ?? Number.NaN));
    const before = { worker: cpu(workerPid), server: cpu(temporal.serverPid) };
    const rss = new RssWatch(workerPid);
    const start = performance.now();
    await fleet.submitAll(3);
    const done = () => fleet.clusters.every((c) => c.sandbox.replicas() === 3 && c.sandbox.pods().length === 3 && Object.keys(c.sandbox.exclusions()).length === 0);
    await until(`${opts.clusters} scale-ins to finish`, done, 25 * 60_000, 250);
    const wallMs = performance.now() - start;
    const peak = rss.stop();
    const after = { worker: cpu(workerPid), server: cpu(temporal.serverPid) };
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // the operations' last tasks, and visibility, catch up
    const histories = await readQueueHistories(temporal.client, fleet.taskQueue);
    const operations = histories.eventsByType.scaleOperation;
    return {
      clusters: opts.clusters,
      pollInterval: opts.pollInterval,
      workflowTaskWait: distribution(histories.workflowTaskWaitsMs),
      activityTaskWait: distribution(histories.activityTaskWaitsMs),
      wallMs,
      workerRssPeakMiB: mib(peak),
      workerCpuSeconds: after.worker - before.worker,
      serverCpuSeconds: after.server - before.server,
      eventsPerNode: histories.nodeEvents / opts.clusters,
      eventsPerOperation: operations ? operations.events / operations.executions : Number.NaN,
      spawnToReadyMs: fleet.spawnToReadyMs,
    };
  } finally {
    await fleet.close();
  }
}
