// Finds the exclusions that no live operation owns, and which of them the sweep may remove: the
// ones an earlier operation of ours recorded as left behind, and `_name` entries for pods of this
// StatefulSet that no longer exist. An operator's exclusion of a live pod is never swept (F3, F6).
import { isSweepable, listEntries, namedPod, type ExclusionEntry } from '../domain/exclusion-list.js';
import { podOrdinal } from '../domain/scale-plan.js';
import type { ClusterConnections } from './connections.js';
import type { createElasticsearchActivities } from './elasticsearch.js';
import type { createKubernetesActivities } from './kubernetes.js';

type Elasticsearch = Pick<ReturnType<typeof createElasticsearchActivities>, 'readExclusionsAndHealth'>;
type Kubernetes = Pick<ReturnType<typeof createKubernetesActivities>, 'podFate'>;

export interface StaleExclusionReview {
  stale: ExclusionEntry[];
  sweepable: ExclusionEntry[];
}

export function createStaleExclusionActivities(connections: ClusterConnections, elasticsearch: Elasticsearch, kubernetes: Kubernetes) {
  return {
    async reviewStaleExclusions(cluster: string, recorded: string[]): Promise<StaleExclusionReview> {
      const { statefulSet } = await connections.kubernetes(cluster);
      const stale = listEntries((await elasticsearch.readExclusionsAndHealth(cluster)).exclusions);
      const sweepable: ExclusionEntry[] = [];
      for (const entry of stale) {
        const pod = namedPod(statefulSet, entry);
        const podGone = pod !== undefined && !(await kubernetes.podFate(cluster, { name: pod, ordinal: podOrdinal(statefulSet, pod)! })).exists;
        if (isSweepable(entry, { recorded, podGone })) sweepable.push(entry);
      }
      return { stale, sweepable };
    },
  };
}
