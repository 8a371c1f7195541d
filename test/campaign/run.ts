// Executes one drawn run against a fresh simulated cluster and a real worker process on the
// shared Temporal dev server, then checks the invariants of docs/design.md through the REST APIs.
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../helpers/eventually.js';
import type { Invariant, Sample } from '../hardening/monitor.js';
import { Monitor, noPrimaryUnassigned } from '../hardening/monitor.js';
import { World } from '../helpers/world.js';
import type { Action, RunPlan } from './plan.js';

/** Every workflow must close within this long once the actions are over. */
const SETTLE_BOUND_MS = 90_000;

export interface RunReport {
  seed: number;
  shape: string;
  kills: number;
  faults: number;
  zombies: string[];
  podsRemovedWithShards: string[];
  lostTarget?: string;
  violations: string[];
  unsettled?: string;
  lastTarget?: number;
  finalReplicas?: number;
}

export async function executeRun(plan: RunPlan): Promise<RunReport> {
  const world = await World.start({
    scenario: plan.scenario,
    cluster: { ...plan.policy, pollInterval: '200ms', stallAfter: '4s' },
  });
  const podsRemovedWithShards: string[] = [];
  const monitor = new Monitor(world.observer, [noPrimaryUnassignedUnlessRestarted(plan), atMostOneOfOurs, removedPodsHeldNothing(podsRemovedWithShards)]);
  const report: RunReport = { seed: plan.seed, shape: plan.shape, kills: 0, faults: 0, zombies: [], podsRemovedWithShards, violations: [] };
  try {
    await world.startWorkerProcess();
    let workerUp = true;
    let lastTarget: number | undefined;
    for (const action of plan.actions) {
      await perform(world, action, report);
      if (action.kind === 'target') lastTarget = action.replicas;
      if (action.kind === 'kill-worker') workerUp = true;
    }
    if (!workerUp) await world.startWorkerProcess();
    clearFaults(world);

    const settled = await settle(world);
    if (!settled) report.unsettled = `workflows still running ${SETTLE_BOUND_MS / 1000}s after the last action`;
    const status = await world.clusterStatus().catch(() => undefined);
    const exclusions = await world.observer.exclusions();
    report.zombies = Object.entries(exclusions).flatMap(([attribute, values]) => values.map((v) => `${attribute}:${v}`));
    report.lastTarget = lastTarget;
    report.finalReplicas = await world.observer.replicas();
    const last = status?.history.at(-1);
    if (lastTarget !== undefined && status?.desired?.replicas === lastTarget) {
      const pursued = last?.target === lastTarget;
      const reached = report.finalReplicas === lastTarget;
      const explained = last !== undefined && last.outcome !== 'succeeded' && last.detail.length > 0;
      if (!pursued || (!reached && !explained)) report.lostTarget = `last target ${lastTarget}: replicas ${report.finalReplicas}, last operation ${last ? `${last.target} ${last.outcome}` : 'none'}`;
    }
  } finally {
    report.violations = await monitor.stop();
    await world.close();
  }
  return report;
}

async function perform(world: World, action: Action, report: RunReport): Promise<void> {
  switch (action.kind) {
    case 'target':
      await world.submit(action.replicas, 'campaign');
      return;
    case 'cancel': {
      const running = (await world.clusterStatus().catch(() => undefined))?.running;
      if (running) await world.operationHandle(running.workflowId).cancel().catch(() => undefined);
      return;
    }
    case 'kill-worker':
      report.kills++;
      await world.killWorkerProcess();
      await sleep(action.downMs);
      await world.startWorkerProcess();
      return;
    case 'restart-node':
      if (world.sandbox.pods().some((p) => p.ordinal === action.ordinal && p.phase === 'Running')) void world.sandbox.restartPod(action.ordinal).catch(() => undefined);
      return;
    case 'fault':
      report.faults++;
      injectFault(world, action);
      return;
    case 'pause':
      await sleep(action.ms);
  }
}

function injectFault(world: World, action: Extract<Action, { kind: 'fault' }>): void {
  const faults = world.sandbox.faults;
  if (action.fault === 'es-write-latency') faults.latency('es', action.amount, { method: 'PUT', path: /^\/_cluster\/settings$/ });
  if (action.fault === 'scale-write-latency') faults.latency('k8s', action.amount, { method: 'PUT', path: /\/scale$/ });
  if (action.fault === 'es-errors') faults.failNext('es', 1 + (action.amount % 3), 503);
  if (action.fault === 'scale-conflicts') faults.conflictNextScaleWrites(1 + (action.amount % 2));
}

function clearFaults(world: World): void {
  const faults = world.sandbox.faults;
  faults.latency('es', 0, { method: 'PUT', path: /^\/_cluster\/settings$/ });
  faults.latency('k8s', 0, { method: 'PUT', path: /\/scale$/ });
  faults.failNext('es', 0);
  faults.conflictNextScaleWrites(0);
}

async function settle(world: World): Promise<boolean> {
  try {
    await eventually(
      'nothing running or pending',
      async () => {
        const status = await world.clusterStatus();
        return status.running === undefined && status.pending === undefined;
      },
      SETTLE_BOUND_MS,
      250,
    );
    return true;
  } catch {
    return false;
  }
}

/** The StatefulSet's pods named in the exclusion list: at most one of ours at a time. */
const atMostOneOfOurs: Invariant = (s) => {
  const ours = (s.exclusions._name ?? []).filter((name) => /^es-data-\d+$/.test(name));
  return ours.length > 1 ? `more than one exclusion of ours at once: ${ours.join(', ')}` : undefined;
};

/** A pod that went away for good (above spec.replicas) held no shard copy in the sample before. */
function removedPodsHeldNothing(found: string[]): Invariant {
  return (s: Sample, prev: Sample | undefined) => {
    if (!prev) return undefined;
    for (const pod of prev.pods) {
      const ordinal = Number(pod.name.split('-').at(-1));
      const gone = !s.pods.some((p) => p.name === pod.name) && ordinal >= s.replicas;
      const held = prev.shards.filter((x) => x.node === pod.name).length;
      if (gone && held > 0 && !found.includes(pod.name)) {
        found.push(pod.name);
        return `${pod.name} was removed while it held ${held} shard copies`;
      }
    }
    return undefined;
  };
}

/** Restarting a node of a 0-replica index loses its primaries by itself (ephemeral storage): the campaign only restarts where replicas exist. */
function noPrimaryUnassignedUnlessRestarted(plan: RunPlan): Invariant {
  const restarts = plan.actions.some((a) => a.kind === 'restart-node');
  return (s, prev) => (restarts ? undefined : noPrimaryUnassigned(s, prev));
}
