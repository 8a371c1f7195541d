// How long the pure planning takes on a large cluster: the capacity pre-flight of one node and the
// predicted drain sequence of a big scale-in (what `es-scaler plan` computes). Run with
// `npm run bench`; it prints timings and heap use, it asserts nothing.
import { performance } from 'node:perf_hooks';
import { defaultPreflightPolicy } from '../src/config/preflight-policy.js';
import type { ClusterFacts, CopyFacts, IndexFacts, NodeFacts } from '../src/domain/capacity/facts.js';
import { capacityVerdict } from '../src/domain/capacity/verdict.js';
import { predictDrainSequence } from '../src/domain/drain-sequence.js';
import { podsToRemove } from '../src/domain/scale-plan.js';

const GB = 1024 ** 3;

function syntheticCluster(nodeCount: number, indices: number, primaries: number, replicas: number): ClusterFacts {
  const zones = ['a', 'b', 'c'];
  const nodes: NodeFacts[] = Array.from({ length: nodeCount }, (_, i) => ({
    name: `es-data-${i}`,
    ip: `10.0.${i >> 8}.${i & 255}`,
    roles: ['data'],
    attributes: { zone: zones[i % 3]! },
    totalBytes: 1000 * GB,
    availableBytes: 800 * GB,
  }));
  const shards: CopyFacts[] = [];
  const indexFacts: Record<string, IndexFacts> = {};
  let next = 0;
  for (let index = 0; index < indices; index++) {
    for (let shard = 0; shard < primaries; shard++) {
      for (let copy = 0; copy <= replicas; copy++) {
        // One copy per zone in turn, as awareness would place them.
        const node = nodes[(next++ * 3 + copy) % nodeCount]!;
        shards.push({ index: `idx-${index}`, shard, primary: copy === 0, node: node.name, bytes: GB });
      }
    }
    indexFacts[`idx-${index}`] = { name: `idx-${index}`, shards: primaries, copies: replicas + 1, settings: {} };
  }
  return { nodes, copies: shards, indices: indexFacts, settings: { 'cluster.routing.allocation.awareness.attributes': 'zone' } };
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
  const label = `${nodeCount} nodes, ${cluster.copies.length} shard copies`;
  const health = { status: 'green' as const, indices: [] };
  measure(`pre-flight of one node (${label})`, 20, () => capacityVerdict(cluster, health, `es-data-${nodeCount - 1}`, defaultPreflightPolicy));
  const pods = podsToRemove('es-data', nodeCount, Math.ceil(nodeCount / 2));
  measure(`plan of ${pods.length} drains (${label})`, 3, () =>
    predictDrainSequence({ facts: cluster, health, pods, policy: { ...defaultPreflightPolicy, awareness: 'warn' } }),
  );
}
