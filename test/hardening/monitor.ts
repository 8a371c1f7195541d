// Watches the cluster through its REST APIs while a test runs and records every moment an
// invariant did not hold. Sampling is how an outside observer would catch a short-lived violation
// (an exclusion removed while its pod still terminates, a pod gone while a copy was unassigned).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Observer, ObservedShard } from '../helpers/observer.js';

export interface Sample {
  at: number;
  replicas: number;
  pods: { name: string; terminating: boolean }[];
  exclusions: Record<string, string[]>;
  shards: ObservedShard[];
  nodes: string[];
  /** Names of the nodes with a node-shutdown record (`GET _nodes/shutdown`), when the monitor was asked to read them. */
  shutdownRecords?: string[];
}

export type Invariant = (sample: Sample, previous: Sample | undefined) => string | undefined;

export class Monitor {
  readonly violations: string[] = [];
  readonly samples: number[] = [];
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly observer: Observer,
    private readonly invariants: Invariant[],
    everyMs = 40,
    /** Also read `GET _nodes/shutdown` (only where the engine has the API). */
    private readonly readShutdownRecords = false,
  ) {
    this.loop = this.run(everyMs);
  }

  private async run(everyMs: number): Promise<void> {
    let previous: Sample | undefined;
    while (!this.stopped) {
      try {
        const [replicas, pods, exclusions, shards, nodes, records] = await Promise.all([
          this.observer.replicas(),
          this.observer.pods(),
          this.observer.exclusions(),
          this.observer.shards(),
          this.observer.nodes(),
          this.readShutdownRecords ? this.observer.shutdownRecords() : undefined,
        ]);
        const sample: Sample = { at: Date.now(), replicas, pods, exclusions, shards, nodes, ...(records && { shutdownRecords: records.flatMap((r) => (r.node ? [r.node] : [])) }) };
        for (const invariant of this.invariants) {
          const problem = invariant(sample, previous);
          if (problem && !this.violations.includes(problem)) this.violations.push(problem);
        }
        this.samples.push(sample.at);
        previous = sample;
      } catch {
        // the cluster is being torn down or a fault is injected: skip this sample
      }
      await sleep(everyMs);
    }
  }

  async stop(): Promise<string[]> {
    this.stopped = true;
    await this.loop;
    return this.violations;
  }
}

/** A pod that is terminating (or above spec.replicas) keeps its exclusion until it is gone (F7). */
export function excludedWhileLeaving(pod: string): Invariant {
  return (s) => (isLeaving(s, pod) && !(s.exclusions._name ?? []).includes(pod) ? `${pod} was leaving (terminating or above replicas) while not excluded` : undefined);
}

/** The same with drainMethod shutdown: the node keeps its shutdown record until its pod is gone (F7). */
export function shutdownRecordWhileLeaving(pod: string): Invariant {
  return (s) => (isLeaving(s, pod) && s.nodes.includes(pod) && !(s.shutdownRecords ?? []).includes(pod) ? `${pod} was leaving while its node had no shutdown record` : undefined);
}

function isLeaving(s: Sample, pod: string): boolean {
  const found = s.pods.find((p) => p.name === pod);
  const ordinal = Number(pod.split('-').at(-1));
  return !!found && (found.terminating || ordinal >= s.replicas);
}

/** Replicas dropped (a pod was condemned) only while no copy was unassigned and the condemned pod held none. */
export function shrinkOnlyWhenSafe(statefulSet: string): Invariant {
  return (s, prev) => {
    if (!prev || s.replicas >= prev.replicas) return undefined;
    const condemned = `${statefulSet}-${s.replicas}`;
    const unassigned = prev.shards.filter((x) => x.state === 'UNASSIGNED').length;
    const held = prev.shards.filter((x) => x.node === condemned).length;
    if (unassigned > 0 || held > 0 || !prev.nodes.includes(condemned)) {
      return `StatefulSet shrank to ${s.replicas} while ${condemned} ${!prev.nodes.includes(condemned) ? 'was not in the cluster' : `held ${held} copies`} and ${unassigned} copies were unassigned`;
    }
    return undefined;
  };
}

/** Never a primary unassigned. */
export const noPrimaryUnassigned: Invariant = (s) => {
  const lost = s.shards.filter((x) => x.primary && x.state === 'UNASSIGNED');
  return lost.length > 0 ? `primary unassigned: ${lost.map((x) => `${x.index}/${x.shard}`).join(', ')}` : undefined;
};
