// What the per-cluster workflow holds: the newest desired target, the operation running for it,
// and a short history. A newer target replaces a pending one and supersedes a running one.
import type { ClusterStatus, ClusterWorkflowInput, OperationRecord, TargetRequest } from './types.js';

const HISTORY_LENGTH = 20;

export class ClusterState {
  private desired?: TargetRequest;
  private pendingRequest?: TargetRequest;
  private running?: ClusterStatus['running'];
  private readonly history: OperationRecord[];
  private readonly rejected: ClusterStatus['rejected'];
  private nextSequence: number;
  operationsThisRun = 0;

  constructor(readonly input: ClusterWorkflowInput) {
    this.history = input.carried?.history ?? [];
    this.rejected = input.carried?.rejected ?? [];
    this.nextSequence = input.carried?.nextSequence ?? 1;
    this.desired = input.carried?.desired;
    if (input.initialTarget) this.request(input.initialTarget);
  }

  request(request: TargetRequest): void {
    if (!Number.isInteger(request?.replicas) || request.replicas < 0) {
      this.rejected.push({ request, reason: `replicas: expected a whole number ≥ 0, found ${JSON.stringify(request?.replicas)}` });
      this.rejected.splice(0, this.rejected.length - HISTORY_LENGTH);
      return;
    }
    this.desired = request;
    // Already working towards this very target: nothing to supersede.
    this.pendingRequest = this.running?.target === request.replicas ? undefined : request;
  }

  get pending(): TargetRequest | undefined {
    return this.pendingRequest;
  }

  start(workflowId: string, startedAt: string): TargetRequest {
    const request = this.pendingRequest!;
    this.pendingRequest = undefined;
    this.running = { workflowId, target: request.replicas, source: request.source, startedAt };
    this.operationsThisRun++;
    return request;
  }

  nextOperationSequence(): number {
    return this.nextSequence++;
  }

  finish(record: OperationRecord): void {
    this.running = undefined;
    this.history.push(record);
    this.history.splice(0, this.history.length - HISTORY_LENGTH);
  }

  status(): ClusterStatus {
    return {
      cluster: this.input.cluster,
      desired: this.desired,
      running: this.running,
      pending: this.pendingRequest,
      rejected: this.rejected,
      history: this.history,
    };
  }

  carry(): ClusterWorkflowInput {
    return {
      cluster: this.input.cluster,
      initialTarget: this.pendingRequest,
      carried: { nextSequence: this.nextSequence, desired: this.desired, history: this.history, rejected: this.rejected },
    };
  }
}
