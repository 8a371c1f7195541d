// The cluster the demo runs on: the incident's topology (src/sandbox scenarios.incident) with zone
// awareness on. A pod added by a scale-out lands in eu-central-1a first, as es-data-7 did in the
// write-up's second night.
import { renderTable } from '../client/table.js';
import { scenarios, type Scenario } from '../sandbox/index.js';

export const DEMO_CLUSTER = 'production';
export const NIGHT_REPLICAS = 6;
export const MORNING_REPLICAS = 8;

export function demoScenario(): Scenario {
  const incident = scenarios.incident!;
  return { ...incident, newPodZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'] };
}

/** The pods and zones, the indices and the awareness rule, for someone who has not seen them. */
export function describeTopology(scenario: Scenario): string {
  const pods = scenario.zones.map((zone, i) => [`${scenario.statefulSet}-${i}`, zone]);
  const zones = [...new Set(scenario.zones)].sort();
  const lines = [
    `StatefulSet ${scenario.namespace}/${scenario.statefulSet}, ${scenario.zones.length} pods (one Elasticsearch data node each):`,
    ...renderTable(['POD', 'ZONE'], pods).split('\n').map((l) => `  ${l}`),
    `indices: ${scenario.indices.map((i) => `${i.name} (${i.primaries} shards × ${1 + i.replicas} copies)`).join(', ')}`,
  ];
  if (scenario.awareness) {
    const copies = Math.max(...scenario.indices.map((i) => 1 + i.replicas));
    lines.push(
      `zone awareness on (cluster.routing.allocation.awareness.attributes: ${scenario.awareness.attributes.join(',')}): ` +
        `${copies} copies over ${zones.length} zones → at most ${Math.ceil(copies / zones.length)} copy of a shard per zone`,
    );
  }
  return lines.join('\n');
}
