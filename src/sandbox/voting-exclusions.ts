// Voting configuration exclusions (`POST/DELETE _cluster/voting_config_exclusions`) over the simulated cluster,
// shown in `GET _cluster/state/metadata` under metadata.cluster_coordination as Elasticsearch 8 shows them. As in
// Elasticsearch, a node of the cluster that is not master-eligible gets no exclusion, and a name (or id) of no node
// of the cluster is kept with "_absent_" for the other half (the real-engine tier checks both on 8.19).
import { illegalArgument } from './es-errors.js';
import type { EsCluster } from './es-cluster.js';
import type { ApiRequest, ApiResponse } from './http.js';
import { isMasterEligible } from './model.js';

/** cluster.max_voting_config_exclusions's default. */
const MAX_EXCLUSIONS = 10;
const ABSENT = '_absent_';

interface Exclusion {
  node_id: string;
  node_name: string;
}

/** The exclusions of one cluster, kept beside it (the cluster model itself knows nothing of them). */
const registries = new WeakMap<object, Exclusion[]>();
function exclusionsOf(cluster: object): Exclusion[] {
  let list = registries.get(cluster);
  if (!list) registries.set(cluster, (list = []));
  return list;
}

export function votingExclusionsApi(cluster: EsCluster) {
  const exclusions = exclusionsOf(cluster);
  return {
    post(r: ApiRequest): ApiResponse {
      const names = r.query.get('node_names');
      const ids = r.query.get('node_ids');
      if ((names === null) === (ids === null)) {
        throw illegalArgument('Please set node identifiers correctly. One and only one of [node_name], [node_names] and [node_ids] has to be set');
      }
      const wanted = (names ?? ids)!.split(',').filter((v) => v !== '');
      const resolved = wanted.flatMap((value): Exclusion[] => {
        const node = cluster.nodes().find((n) => (names !== null ? n.name : n.id) === value);
        if (node) return isMasterEligible(node) ? [{ node_id: node.id, node_name: node.name }] : [];
        return [names !== null ? { node_id: ABSENT, node_name: value } : { node_id: value, node_name: ABSENT }];
      });
      const added = resolved.filter((e) => !exclusions.some((x) => x.node_id === e.node_id && x.node_name === e.node_name));
      if (exclusions.length + added.length > MAX_EXCLUSIONS) {
        throw illegalArgument(
          `add voting config exclusions request for nodes named [${wanted.join(', ')}] would add [${added.length}] exclusions to the existing [${exclusions.length}] which would exceed the maximum of [${MAX_EXCLUSIONS}] set by [cluster.max_voting_config_exclusions]`,
        );
      }
      exclusions.push(...added);
      return { status: 200, text: '' };
    },
    delete(r: ApiRequest): ApiResponse {
      const present = new Set(cluster.nodes().map((n) => n.id));
      if (r.query.get('wait_for_removal') !== 'false' && exclusions.some((e) => present.has(e.node_id))) {
        // Elasticsearch waits (up to its timeout) for the excluded nodes to leave; the sandbox answers at once.
        throw illegalArgument('timed out waiting for removal of nodes; if nodes should not be removed, set ?wait_for_removal=false');
      }
      exclusions.splice(0);
      return { status: 200, text: '' };
    },
    /** GET _cluster/state/metadata, as much of it as describes the voting configuration. */
    state(): ApiResponse {
      const excluded = new Set(exclusions.map((e) => e.node_id));
      const config = cluster.nodes().filter((n) => isMasterEligible(n) && !excluded.has(n.id)).map((n) => n.id);
      return {
        status: 200,
        body: {
          cluster_name: cluster.name,
          cluster_uuid: cluster.uuid,
          metadata: {
            cluster_uuid: cluster.uuid,
            cluster_coordination: { term: 1, last_committed_config: config, last_accepted_config: config, voting_config_exclusions: [...exclusions] },
          },
        },
      };
    },
  };
}
