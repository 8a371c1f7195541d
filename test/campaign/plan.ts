// One campaign run, drawn from a seed: a topology and a sequence of actions. Everything random is
// drawn here, before the run starts, so a seed replays the same run (the same topology, targets,
// cancels, kills, faults and pauses; the interleaving with the real processes is what varies).
import { dedicatedMasters, type Scenario } from '../../src/sandbox/scenario.js';
import { Random } from './random.js';

export type Action =
  | { kind: 'target'; replicas: number }
  | { kind: 'cancel' }
  | { kind: 'kill-worker'; downMs: number }
  | { kind: 'restart-node'; ordinal: number }
  | { kind: 'fault'; fault: 'es-write-latency' | 'scale-write-latency' | 'es-errors' | 'scale-conflicts'; amount: number }
  | { kind: 'pause'; ms: number };

export interface RunPlan {
  seed: number;
  scenario: Scenario;
  shape: string;
  policy: { awarenessPolicy: 'refuse' | 'allow'; sweepStaleExclusions: boolean; minReplicas: number; maxReplicas: number };
  actions: Action[];
}

const ZONES = ['zone-a', 'zone-b', 'zone-c', 'zone-d'];

export function drawRun(seed: number): RunPlan {
  const r = new Random(seed);
  const zoneCount = r.int(2, 4);
  const zones = ZONES.slice(0, zoneCount);
  const dataNodes = r.int(1, 20);
  const replicas = r.int(0, 2);
  const forced = r.chance(0.3);
  const masters = r.chance(0.4);
  const podZones = Array.from({ length: dataNodes }, () => r.pick(zones));
  const scenario: Scenario = {
    namespace: 'search',
    statefulSet: 'es-data',
    zones: podZones,
    indices: [
      { name: 'articles', primaries: r.int(1, 6), replicas },
      ...(r.chance(0.5) ? [{ name: 'catalog', primaries: r.int(1, 3), replicas: Math.min(replicas, r.int(0, 2)) }] : []),
    ],
    awareness: { attributes: ['zone'], ...(forced && { force: { zone: zones } }) },
    ...(masters && { roles: ['data', 'ingest'], otherNodes: dedicatedMasters(zones.slice(0, 3)) }),
    timings: { relocationMs: r.int(50, 300), recoveryMs: r.int(50, 200), podStartMs: r.int(100, 400), podStopMs: r.int(100, 300) },
  };
  const minReplicas = 1;
  const maxReplicas = Math.max(dataNodes + 3, 4);
  const actions: Action[] = [];
  for (let i = r.int(3, 6); i > 0; i--) {
    const roll = r.next();
    if (roll < 0.5) {
      const last = actions.filter((a): a is Extract<Action, { kind: 'target' }> => a.kind === 'target').at(-1);
      const replicasNow = last?.replicas ?? dataNodes;
      actions.push({ kind: 'target', replicas: r.chance(0.2) && last ? last.replicas : clamp(replicasNow + r.int(-3, 2), minReplicas, maxReplicas) });
    } else if (roll < 0.6) actions.push({ kind: 'cancel' });
    else if (roll < 0.7) actions.push({ kind: 'kill-worker', downMs: r.int(100, 1_500) });
    else if (roll < 0.8 && replicas > 0) actions.push({ kind: 'restart-node', ordinal: r.int(0, dataNodes - 1) });
    else if (roll < 0.9) actions.push({ kind: 'fault', fault: r.pick(['es-write-latency', 'scale-write-latency', 'es-errors', 'scale-conflicts'] as const), amount: r.int(1, 400) });
    actions.push({ kind: 'pause', ms: r.int(50, 1_500) });
  }
  if (!actions.some((a) => a.kind === 'target')) actions.unshift({ kind: 'target', replicas: clamp(dataNodes - 1, minReplicas, maxReplicas) });
  return {
    seed,
    scenario,
    shape: `${dataNodes} data/${zoneCount} zones/${replicas} replicas${forced ? '/forced' : ''}${masters ? '/masters' : ''}`,
    policy: { awarenessPolicy: r.chance(0.5) ? 'refuse' : 'allow', sweepStaleExclusions: r.chance(0.5), minReplicas, maxReplicas },
    actions,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
