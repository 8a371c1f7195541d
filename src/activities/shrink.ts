// The one write that deletes a pod: shrinking the StatefulSet by its highest ordinal. It checks the
// drain right before it writes (F7), so a node that restarted or lost copies since the drain
// finished is never removed; and when the StatefulSet already has the size it wanted, it does not
// take that for its own success without checking the node was drained.
import { ApplicationFailure } from '@temporalio/common';
import { drainWaitingFor } from '../domain/drain-safety.js';
import type { ClusterConnections } from './connections.js';
import type { createElasticsearchActivities } from './elasticsearch.js';
import { changedElsewhere, readScale, writeScale } from './kubernetes.js';

type Elasticsearch = ReturnType<typeof createElasticsearchActivities>;

export function createShrinkActivities(connections: ClusterConnections, elasticsearch: Pick<Elasticsearch, 'readDrain'>) {
  return {
    async shrinkAfterDrain(cluster: string, change: { pod: string; expected: number; replicas: number }): Promise<{ wrote: boolean }> {
      const target = await connections.kubernetes(cluster);
      const scale = await readScale(target);
      const current = scale.spec?.replicas ?? 0;
      const drain = await elasticsearch.readDrain(cluster, change.pod);

      if (current === change.replicas) {
        // Our own earlier attempt landed (a retry), or someone else shrank it: either way the data
        // must be safe. The node may already be gone: then nothing may be on it or unassigned.
        if (drain.shardsLeft > 0 || drain.unassigned > 0) {
          throw ApplicationFailure.nonRetryable(
            `StatefulSet ${target.namespace}/${target.statefulSet} already has ${current} replicas but ${change.pod} was not drained ` +
              `(waiting for ${drainWaitingFor(drain)}): someone else scaled it`,
            'ReplicasChangedElsewhere',
          );
        }
        return { wrote: false };
      }
      if (current !== change.expected) throw changedElsewhere(target, current, change.expected);
      if (!drain.drained) {
        throw ApplicationFailure.nonRetryable(`${change.pod} is no longer drained (waiting for ${drainWaitingFor(drain)}): not shrinking`, 'NotDrained', drain);
      }
      await writeScale(target, scale, change.replicas);
      return { wrote: true };
    },
  };
}
