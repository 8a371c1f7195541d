// All activities, bound to the worker's config and connections.
import type { Client } from '@temporalio/client';
import type { Config } from '../config/schema.js';
import { createCapacityActivities } from './capacity.js';
import { ClusterConnections } from './connections.js';
import { createElasticsearchActivities } from './elasticsearch.js';
import { createEventActivities } from './events.js';
import { createKubernetesActivities } from './kubernetes.js';
import { createNodeShutdownActivities } from './node-shutdown.js';
import { createShrinkActivities } from './shrink.js';
import { createStaleExclusionActivities } from './stale-exclusions.js';
import { createTemporalActivities } from './temporal.js';
import { createVotingExclusionActivities } from './voting-exclusions.js';

export function createActivities(deps: { client: Client; config: Config; connections: ClusterConnections }) {
  const elasticsearch = createElasticsearchActivities(deps.connections);
  const kubernetes = createKubernetesActivities(deps.connections);
  return {
    ...elasticsearch,
    ...kubernetes,
    ...createShrinkActivities(deps.connections, elasticsearch),
    ...createNodeShutdownActivities(deps.connections, elasticsearch),
    ...createStaleExclusionActivities(deps.connections, elasticsearch, kubernetes),
    ...createCapacityActivities(deps.connections),
    ...createVotingExclusionActivities(deps.connections),
    ...createEventActivities(deps.connections),
    ...createTemporalActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export { ClusterConnections };
