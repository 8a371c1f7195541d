// What one scale operation knows about itself: its phase and progress for the `status` query, and
// the exclusion entries (or node-shutdown records) it owns. They are owned from the moment the
// workflow decides to add them (before the call), so cleanup removes them even if the worker died
// mid-call (F3, F4).
// Every change has a method named after what happened; nothing else writes the status.
import { log, setCurrentDetails } from '@temporalio/workflow';
import type { DrainPoll } from '../domain/drain-safety.js';
import { formatHold, isShutdownRecord, type DrainHold } from '../domain/drain-hold.js';
import { formatEntry, type ExclusionEntry, type SettingsScope } from '../domain/exclusion-list.js';
import type { OwnedShutdownRecord } from '../domain/node-shutdown.js';
import type { ScaleDirection } from '../domain/scale-plan.js';
import type { CapacityVerdict } from '../domain/capacity/verdict.js';
import { operationDetails } from './details.js';
import type { OperationInput, OperationOutcome, OperationPhase, OperationResult, OperationStatus, StallReport, TargetRequest } from './types.js';

const MAX_EVENTS = 50;
const MAX_CONFLICTS = 10;

export class OperationState {
  private readonly current: OperationStatus;
  private readonly owned: DrainHold[] = [];
  private readonly released: string[] = [];
  private readonly left: string[] = [];
  private cancelledAt?: string;
  private stallAfterMs?: number;
  private supersededBy?: TargetRequest;
  private readonly drained = new Set<string>();

  constructor(input: OperationInput) {
    this.current = {
      cluster: input.cluster,
      target: input.target,
      source: input.source,
      phase: 'starting',
      staleExclusions: [],
      sweptExclusions: [],
      ownedExclusions: [],
      exclusionsLeft: [],
      conflicts: [],
      removedPods: [],
      addedPods: [],
      events: [],
    };
  }

  /** What the `status` query answers (read-only: every change goes through a method below). */
  get status(): Readonly<OperationStatus> {
    return this.current;
  }

  begin(fromReplicas: number, direction: ScaleDirection, stallAfterMs: number): void {
    this.stallAfterMs = stallAfterMs;
    this.current.fromReplicas = fromReplicas;
    this.current.direction = direction;
    this.note(`${this.current.cluster}: ${fromReplicas} → ${this.current.target} replicas (${direction === 'none' ? 'nothing to do' : `scale-${direction}`}, asked by ${this.current.source})`);
  }

  metricTags(): Record<string, string> {
    return { cluster: this.current.cluster, direction: this.current.direction ?? 'unknown' };
  }

  enter(phase: OperationPhase, node?: string): void {
    this.current.phase = phase;
    this.current.node = node;
    if (phase !== 'draining') {
      this.current.shardsLeft = undefined;
      this.current.drain = undefined;
    }
    this.publish();
  }

  note(message: string): void {
    this.current.events.push({ at: new Date().toISOString(), message });
    if (this.current.events.length > MAX_EVENTS) this.current.events.shift();
    log.info(message, { cluster: this.current.cluster });
    this.publish();
  }

  /** Refreshes what the Temporal UI shows as this workflow's current details. */
  private publish(): void {
    setCurrentDetails(operationDetails(this.current, this.stallAfterMs));
  }

  preflightDone(verdict: CapacityVerdict, nodeZone: string | undefined): void {
    this.current.preflight = verdict;
    this.current.nodeZone = nodeZone;
    this.publish();
  }

  /** Owned from the decision on, before the call: a crash mid-call still clears it (F3, F4). */
  ownVotingExclusion(pod: string): void {
    this.current.votingExclusion = pod;
  }

  votingExclusionCleared(): void {
    this.current.votingExclusion = undefined;
  }

  get votingExclusion(): string | undefined {
    return this.current.votingExclusion;
  }

  drainObserved(poll: DrainPoll): void {
    if (this.current.node) this.drained.add(this.current.node);
    this.current.drain = poll;
    this.current.shardsLeft = poll.shardsLeft;
    this.publish();
  }

  stalled(report: StallReport): void {
    this.current.stall = report;
    this.publish();
  }

  progressed(): void {
    this.current.stall = undefined;
  }

  get stall(): StallReport | undefined {
    return this.current.stall;
  }

  podRemoved(pod: string): void {
    this.current.removedPods.push(pod);
  }

  podsJoined(pods: string[]): void {
    this.current.addedPods = pods;
  }

  staleFound(entries: (ExclusionEntry | OwnedShutdownRecord)[]): void {
    this.current.staleExclusions.push(...entries.map(formatHold));
  }

  swept(entry: ExclusionEntry | OwnedShutdownRecord): void {
    this.current.sweptExclusions.push(formatHold(entry));
  }

  conflictSeen(conflict: string): void {
    this.current.conflicts.push(conflict);
    this.current.conflicts.splice(0, this.current.conflicts.length - MAX_CONFLICTS);
    this.note(`exclusion list conflict: ${conflict}`);
  }

  own(hold: DrainHold): void {
    if (this.owned.some((h) => formatHold(h) === formatHold(hold))) return;
    this.owned.push(hold);
    this.current.ownedExclusions = this.owned.map(formatHold);
  }

  /** The add answered: remember which settings scope holds the entry, so cleanup removes it from there only. */
  placed(entry: ExclusionEntry, scope: SettingsScope): void {
    const owned = this.owned.find((h) => !isShutdownRecord(h) && formatEntry(h) === formatEntry(entry));
    if (owned && !isShutdownRecord(owned)) owned.scope = scope;
  }

  /** Call after the entry (or record) is gone from the cluster, or turned out not to be ours. */
  release(hold: DrainHold, compensating: boolean): void {
    const i = this.owned.findIndex((h) => formatHold(h) === formatHold(hold));
    if (i >= 0) this.owned.splice(i, 1);
    this.current.ownedExclusions = this.owned.map(formatHold);
    if (compensating) this.released.push(formatHold(hold));
  }

  /** Cleanup could not remove `hold`: it stays in the cluster and is reported. */
  leave(hold: DrainHold, why: string): void {
    this.left.push(formatHold(hold));
    this.current.exclusionsLeft.push(`${formatHold(hold)} (${why})`);
    this.note(`${isShutdownRecord(hold) ? 'shutdown record' : 'exclusion'} ${formatHold(hold)} LEFT IN PLACE: ${why}`);
  }

  ownedEntries(): DrainHold[] {
    return [...this.owned];
  }

  cancelled(at: string): void {
    this.cancelledAt = at;
  }

  /** The cluster workflow says a newer target replaces this operation (its cancellation follows). */
  supersede(by: TargetRequest): void {
    this.supersededBy = by;
    this.note(`superseded by target ${by.replicas} (${by.source}): cleaning up, then ending`);
  }

  /** The outcome as the UI's ScaleOutcome column shows it: a cancel for a newer target is "superseded". */
  outcomeLabel(outcome: OperationOutcome): string {
    return outcome === 'cancelled' && this.supersededBy ? 'superseded' : outcome;
  }

  drainedNodes(): string[] {
    return [...this.drained];
  }

  finish(outcome: OperationOutcome, error?: string, errorType?: string): OperationResult {
    this.enter('done');
    const result: OperationResult = {
      outcome,
      fromReplicas: this.current.fromReplicas,
      target: this.current.target,
      removedPods: this.current.removedPods,
      addedPods: this.current.addedPods,
      compensation: { exclusionsRemoved: this.released, ...(this.left.length > 0 && { exclusionsLeft: this.left }) },
      ...(error !== undefined && { error }),
      ...(errorType !== undefined && { errorType }),
      ...(this.current.stall && { stall: this.current.stall }),
      ...(this.cancelledAt && { cancelledAt: this.cancelledAt }),
      ...(this.current.sweptExclusions.length > 0 && { swept: this.current.sweptExclusions }),
    };
    this.current.result = result;
    const compensation = this.released.length ? `; compensation removed ${this.released.join(', ')}` : '';
    const left = this.left.length ? `; LEFT IN PLACE ${this.left.join(', ')}` : '';
    this.note(`operation ${outcome}${error ? `: ${error}` : ''}${compensation}${left}`);
    return result;
  }
}
