// The naive loop the bench compares against: the cronjob-and-operator way of scaling in, reduced
// to its timing. It excludes the node, then polls the drain every poll interval and reads the
// desired replica count only between two polls; when the count changed, it removes its exclusion
// and stops. Its reaction to a new target is therefore whatever is left of the poll interval it is
// sleeping in (0 to one interval), however fast the rest is. Bench material, not es-scaler.
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@elastic/elasticsearch';

export interface NaiveRun {
  esUrl: string;
  node: string;
  pollIntervalMs: number;
  /** Read between polls: the desired replica count as the operator sees it. */
  desired: () => number;
  replicasAtStart: number;
}

/** Runs one scale-in until the desired count changes; resolves once its exclusion is removed. */
export async function naiveScaleIn(run: NaiveRun): Promise<void> {
  const es = new Client({ node: run.esUrl });
  try {
    await es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._name': run.node } });
    for (;;) {
      await es.cat.shards({ format: 'json', h: 'index,shard,prirep,state,node' });
      await sleep(run.pollIntervalMs);
      if (run.desired() !== run.replicasAtStart - 1) break;
    }
    await es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._name': null } });
  } finally {
    await es.close();
  }
}
