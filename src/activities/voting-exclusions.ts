// Voting configuration exclusions around the removal of a master-eligible node, as the official operator does it:
// exclude the node from the voting configuration before its pod goes (the cluster then elects and commits without
// it), and clear the exclusions once it is gone. Both calls are idempotent.
import type { ClusterConnections } from './connections.js';

export function createVotingExclusionActivities(connections: ClusterConnections) {
  return {
    /** POST /_cluster/voting_config_exclusions?node_names=<node>: returns once the node is out of the voting configuration. */
    async addVotingExclusion(cluster: string, node: string): Promise<void> {
      await connections.elasticsearch(cluster).cluster.postVotingConfigExclusions({ node_names: node });
    },

    /** DELETE /_cluster/voting_config_exclusions, not waiting for the excluded nodes to leave (the caller knows they have). */
    async clearVotingExclusions(cluster: string): Promise<void> {
      await connections.elasticsearch(cluster).cluster.deleteVotingConfigExclusions({ wait_for_removal: false });
    },
  };
}
