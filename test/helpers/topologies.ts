// Sandbox topologies that more than one test suite needs and no demo does.
import type { Scenario } from '../../src/sandbox/scenario.js';

/**
 * Six 10gb nodes over three zones, two 1gb copies on each; the high watermark (in bytes) keeps 7.5gb
 * free, so each node has room for half a copy more: no node can take a copy of a drained one.
 */
export const tightDisks: Scenario = {
  namespace: 'search',
  statefulSet: 'es-data',
  zones: ['a', 'b', 'c', 'a', 'b', 'c'],
  disk: { total: '10gb' },
  indices: [{ name: 'logs', primaries: 6, replicas: 1, shardSize: '1gb' }],
  awareness: { attributes: ['zone'] },
  settings: {
    persistent: {
      'cluster.routing.allocation.disk.watermark.low': '7.5gb',
      'cluster.routing.allocation.disk.watermark.high': '7.5gb',
      'cluster.routing.allocation.disk.watermark.flood_stage': '1gb',
    },
  },
};
