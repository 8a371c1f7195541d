// What the per-cluster workflow holds: the newest desired target, the operation running for it,
// the target queued next, and a short history. The whole supersede rule lives here (F8): the
// workflow loop only acts on what this class answers.
import { targetRequestProblem } from '../domain/target-request.js';
import type { ClusterStatus, ClusterWorkflowInput, OperationRecord, OperationResult, TargetRequest } from './types.js';

const HISTORY_LENGTH = 20;

interface RunningOperation {
  workflowId: string;
  target: number;
  source: string;
  startedAt: string;
  /** Set once the operation has been asked to stop for a newer target. */
  supersededBy?: TargetRequest;
  /** The newest request for this same target that arrived while it ran (merged into it). */
  repeated?: TargetRequest & { receivedAt: string };
}

export class ClusterState {
  private desired?: TargetRequest;
  private queued?: TargetRequest;
  private running?: RunningOperation;
  private readonly history: OperationRecord[];
  private readonly rejected: ClusterStatus['rejected'];
  private nextSequence: number;
  /** Exclusions our operations left behind (a pod still terminating at cleanup): the sweep may remove them. */
  private leftovers: string[];
  operationsThisRun = 0;

  constructor(readonly input: ClusterWorkflowInput) {
    this.history = input.carried?.history ?? [];
    this.rejected = input.carried?.rejected ?? [];
    this.nextSequence = input.carried?.nextSequence ?? 1;
    this.desired = input.carried?.desired;
    this.leftovers = input.carried?.leftovers ?? [];
    if (input.initialTarget) this.request(input.initialTarget);
  }

  /** A new desired target (signal or update). Bad payloads are recorded as rejected, never pursued. */
  request(request: TargetRequest): void {
    const problem = targetRequestProblem(request);
    if (problem) {
      this.rejected.push({ request, reason: problem });
      this.rejected.splice(0, this.rejected.length - HISTORY_LENGTH);
      return;
    }
    this.desired = request;
    const running = this.running;
    if (running && !running.supersededBy && running.target === request.replicas) {
      // Already pursuing this very target: merge, and remember it in case the operation is cancelled later.
      running.repeated = { ...request, receivedAt: new Date().toISOString() };
      this.queued = undefined;
      return;
    }
    this.queued = request;
  }

  /** A target to run now: nothing is running and one is queued. */
  get ready(): boolean {
    return this.queued !== undefined && this.running === undefined;
  }

  /** True when the running operation must make way for a queued, different target. */
  get supersedeDue(): boolean {
    return this.running !== undefined && this.running.supersededBy === undefined && this.queued !== undefined;
  }

  /** Marks the running operation as superseded by the queued target; returns that target. */
  supersede(): TargetRequest {
    this.running!.supersededBy = this.queued!;
    return this.queued!;
  }

  get supersededBy(): TargetRequest | undefined {
    return this.running?.supersededBy;
  }

  /** Takes the queued target as the running operation's. */
  get recordedLeftovers(): string[] {
    return [...this.leftovers];
  }

  start(workflowIdFor: (sequence: number) => string, startedAt: string): { workflowId: string; request: TargetRequest } {
    const request = this.queued!;
    const workflowId = workflowIdFor(this.nextSequence++);
    this.queued = undefined;
    this.running = { workflowId, target: request.replicas, source: request.source, startedAt };
    this.operationsThisRun++;
    return { workflowId, request };
  }

  /**
   * The running operation ended. If it was cancelled (not superseded) and its target was asked for
   * again after the cancellation, that request is pursued: no target is ever lost (F8).
   */
  finish(record: OperationRecord, result?: OperationResult): void {
    const repeated = this.running?.repeated;
    this.running = undefined;
    this.history.push(record);
    this.history.splice(0, this.history.length - HISTORY_LENGTH);
    if (result) {
      const left = new Set([...this.leftovers, ...(result.compensation.exclusionsLeft ?? [])]);
      for (const swept of result.swept ?? []) left.delete(swept);
      this.leftovers = [...left].slice(-HISTORY_LENGTH);
    }
    const cancelledAt = result?.cancelledAt;
    if (record.outcome === 'cancelled' && repeated && cancelledAt && repeated.receivedAt >= cancelledAt && this.queued === undefined) {
      const { receivedAt: _receivedAt, ...request } = repeated;
      this.queued = request;
    }
  }

  status(): ClusterStatus {
    const { repeated: _repeated, ...running } = this.running ?? {};
    return {
      cluster: this.input.cluster,
      desired: this.desired,
      running: this.running ? (running as ClusterStatus['running']) : undefined,
      pending: this.queued,
      rejected: this.rejected,
      history: this.history,
    };
  }

  carry(): ClusterWorkflowInput {
    return {
      cluster: this.input.cluster,
      initialTarget: this.queued,
      carried: { nextSequence: this.nextSequence, desired: this.desired, history: this.history, rejected: this.rejected, leftovers: this.leftovers },
    };
  }
}
