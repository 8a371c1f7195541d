// How long the pure planning takes on a large cluster: the zone pre-flight of one node and the
// predicted drain sequence of a big scale-in (what `es-scaler plan` computes). Run with
// `npm run bench`; it prints timings and heap use, it asserts nothing.
import { performance } from 'node:perf_hooks';
import { predictDrainSequence } from '../src/domain/drain-sequence.js';
import { podsToRemove } from '../src/domain/scale-plan.js';
import { preflightDrain, type NodeView, type ShardCopy } from '../src/domain/zone-preflight.js';

function syntheticCluster(nodeCount: number, indices: number, primaries: number, replicas: number) {
  const zones = ['a', 'b', 'c'];
  const nodes: NodeView[] = Array.from({ length: nodeCount }, (_, i) => ({ name: `es-data-${i}`, ip: `10.0.${i >> 8}.${i & 255}`, attributes: { zone: zones[i % 3]! } }));
  const shards: ShardCopy[] = [];
  let next = 0;
  for (let index = 0; index < indices; index++) {
    for (let shard = 0; shard < primaries; shard++) {
      for (let copy = 0; copy <= replicas; copy++) {
        // One copy per zone in turn, as awareness would place them.
        const node = nodes[(next++ * 3 + copy) % nodeCount]!;
        shards.push({ index: `idx-${index}`, shard, primary: copy === 0, node: node.name, copies: replicas + 1 });
      }
    }
  }
  return { nodes, shards, awareness: { attributes: ['zone'], forcedValues: {} } };
}

function measure(label: string, runs: number, work: () => unknown): void {
  work();
  const start = performance.now();
  for (let i = 0; i < runs; i++) work();
  const perRun = (performance.now() - start) / runs;
  console.log(`${label.padEnd(58)} ${perRun.toFixed(2).padStart(9)} ms/run  heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
}

for (const [nodeCount, indices] of [[12, 20], [60, 100], [200, 300]] as const) {
  const cluster = syntheticCluster(nodeCount, indices, 5, 2);
  const label = `${nodeCount} nodes, ${cluster.shards.length} shard copies`;
  measure(`pre-flight of one node (${label})`, 20, () =>
    preflightDrain({ ...cluster, node: `es-data-${nodeCount - 1}`, excludedNodes: [] }),
  );
  const pods = podsToRemove('es-data', nodeCount, Math.ceil(nodeCount / 2));
  measure(`plan of ${pods.length} drains (${label})`, 3, () =>
    predictDrainSequence({ ...cluster, pods, excludedNodes: [], awarenessPolicy: 'allow' }),
  );
}
