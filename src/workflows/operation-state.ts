// What one scale operation knows about itself: its phase and progress for the `status` query, and
// the exclusion entries it owns. Entries are owned from the moment the workflow decides to add
// them (before the call), so cleanup removes them even if the worker died mid-call (F3, F4).
import { log } from '@temporalio/workflow';
import { formatEntry, type ExclusionEntry } from '../domain/exclusion-list.js';
import type { ScaleDirection } from '../domain/scale-plan.js';
import type { OperationInput, OperationOutcome, OperationPhase, OperationResult, OperationStatus } from './types.js';

const MAX_EVENTS = 50;

export class OperationState {
  readonly status: OperationStatus;
  private readonly owned: ExclusionEntry[] = [];
  private readonly released: string[] = [];

  constructor(input: OperationInput) {
    this.status = {
      cluster: input.cluster,
      target: input.target,
      source: input.source,
      phase: 'starting',
      staleExclusions: [],
      sweptExclusions: [],
      ownedExclusions: [],
      removedPods: [],
      addedPods: [],
      events: [],
    };
  }

  begin(fromReplicas: number, direction: ScaleDirection): void {
    this.status.fromReplicas = fromReplicas;
    this.status.direction = direction;
    this.note(`${this.status.cluster}: ${fromReplicas} → ${this.status.target} replicas (${direction === 'none' ? 'nothing to do' : `scale-${direction}`}, asked by ${this.status.source})`);
  }

  metricTags(): Record<string, string> {
    return { cluster: this.status.cluster, direction: this.status.direction ?? 'unknown' };
  }

  enter(phase: OperationPhase, node?: string): void {
    this.status.phase = phase;
    this.status.node = node;
    if (phase !== 'draining') this.status.shardsLeft = undefined;
  }

  note(message: string): void {
    this.status.events.push({ at: new Date().toISOString(), message });
    if (this.status.events.length > MAX_EVENTS) this.status.events.shift();
    log.info(message, { cluster: this.status.cluster });
  }

  own(entry: ExclusionEntry): void {
    this.owned.push(entry);
    this.status.ownedExclusions = this.owned.map(formatEntry);
  }

  /** Call after the entry is gone from the cluster. */
  release(entry: ExclusionEntry, compensating: boolean): void {
    const i = this.owned.findIndex((e) => formatEntry(e) === formatEntry(entry));
    if (i >= 0) this.owned.splice(i, 1);
    this.status.ownedExclusions = this.owned.map(formatEntry);
    if (compensating) this.released.push(formatEntry(entry));
  }

  ownedEntries(): ExclusionEntry[] {
    return [...this.owned];
  }

  finish(outcome: OperationOutcome, error?: string): OperationResult {
    this.enter('done');
    const result: OperationResult = {
      outcome,
      fromReplicas: this.status.fromReplicas,
      target: this.status.target,
      removedPods: this.status.removedPods,
      addedPods: this.status.addedPods,
      compensation: { exclusionsRemoved: this.released },
      ...(error !== undefined && { error }),
      ...(this.status.stall && { stall: this.status.stall }),
    };
    this.status.result = result;
    this.note(`operation ${outcome}${error ? `: ${error}` : ''}${this.released.length ? `; compensation removed ${this.released.join(', ')}` : ''}`);
    return result;
  }
}
