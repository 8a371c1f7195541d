// Types shared by the workflows, the activities and the client. Plain data only.
import type { ExclusionAttribute } from '../domain/exclusion-list.js';
import type { CapacityVerdict, PreflightPolicy } from '../domain/capacity/verdict.js';
import type { ScaleDirection } from '../domain/scale-plan.js';
import type { DrainPoll } from '../domain/drain-safety.js';

/** The guards and timings of one cluster, as the worker's config file states them. */
export interface ClusterPolicy {
  cluster: string;
  namespace: string;
  statefulSet: string;
  minReplicas: number;
  maxReplicas: number;
  exclusionAttribute: ExclusionAttribute;
  /** Absent in policies loaded by workflows before pre-flight policies existed (their histories replay with it absent). */
  preflight?: PreflightPolicy;
  sweepStaleExclusions: boolean;
  pollIntervalMs: number;
  stallAfterMs: number;
  /** How a node is drained; undefined (a policy recorded before the field existed) is `exclude`. */
  drainMethod?: 'exclude' | 'shutdown';
}

/** A desired replica count, from a schedule, the CLI or a signal. */
export interface TargetRequest {
  replicas: number;
  /** Who asked: "schedule:production/night", "cli:alice", ... */
  source: string;
  requestedAt?: string;
}

export interface OperationInput {
  cluster: string;
  target: number;
  source: string;
  /** Exclusions earlier operations of this cluster left behind ("attr:value"): the sweep may remove them. */
  recordedLeftovers?: string[];
}

export type OperationPhase =
  | 'starting'
  | 'preflight'
  | 'excluding'
  | 'draining'
  | 'shrinking'
  | 'waiting-pod-gone'
  | 'cleaning-up'
  | 'waiting-old-nodes-gone'
  | 'growing'
  | 'waiting-nodes'
  | 'waiting-health'
  | 'done';

export interface StallReport {
  node: string;
  /** When the shard count last went down (ISO time). */
  since: string;
  /** Elasticsearch's decider explanations, from _cluster/allocation/explain. */
  reasons: string[];
}

export interface OperationEvent {
  at: string;
  message: string;
}

export interface OperationStatus {
  cluster: string;
  target: number;
  source: string;
  direction?: ScaleDirection;
  fromReplicas?: number;
  phase: OperationPhase;
  node?: string;
  shardsLeft?: number;
  /** The last drain poll of `node`: presence, copies left, unassigned copies. */
  drain?: DrainPoll;
  /** The awareness value (zone) of the node being drained, from its pre-flight. */
  nodeZone?: string;
  /** The capacity pre-flight of the last node checked: verdict, findings and the numbers behind them. */
  preflight?: CapacityVerdict;
  /** A master-eligible node this operation excluded from the voting configuration and has not cleared yet. */
  votingExclusion?: string;
  stall?: StallReport;
  /** Exclusion entries found at the start that no operation owns ("attr:value"). */
  staleExclusions: string[];
  sweptExclusions: string[];
  /** Entries this operation added and has not removed yet; with drainMethod shutdown, its node-shutdown records (`_nodes/<id>/shutdown (pod)`). */
  ownedExclusions: string[];
  /** Entries cleanup could not remove, with why (a pod still terminating, Elasticsearch unreachable). */
  exclusionsLeft: string[];
  /** Concurrent writers noticed on the exclusion list (our edit was re-applied). */
  conflicts: string[];
  removedPods: string[];
  addedPods: string[];
  events: OperationEvent[];
  result?: OperationResult;
}

export type OperationOutcome = 'succeeded' | 'failed' | 'cancelled';

export interface OperationResult {
  outcome: OperationOutcome;
  fromReplicas?: number;
  target: number;
  removedPods: string[];
  addedPods: string[];
  compensation: { exclusionsRemoved: string[]; exclusionsLeft?: string[] };
  error?: string;
  /** The type of the failure that ended it (PreflightRefused, DrainStalled, ...), when it failed with one. */
  errorType?: string;
  stall?: StallReport;
  /** When the operation saw its cancellation (workflow time), if it was cancelled. */
  cancelledAt?: string;
  /** Stale exclusions this operation swept. */
  swept?: string[];
}

export interface OperationRecord {
  workflowId: string;
  target: number;
  source: string;
  /** succeeded / failed / cancelled as the operation reported, or superseded by the parent. */
  outcome: OperationOutcome | 'superseded';
  detail: string;
  finishedAt: string;
}

export interface ClusterStatus {
  cluster: string;
  desired?: TargetRequest;
  running?: { workflowId: string; target: number; source: string; startedAt: string; supersededBy?: TargetRequest };
  pending?: TargetRequest;
  rejected: { request: TargetRequest; reason: string }[];
  history: OperationRecord[];
}

/** What the cluster workflow carries over a continue-as-new. */
export interface ClusterWorkflowInput {
  cluster: string;
  initialTarget?: TargetRequest;
  carried?: { nextSequence: number; desired?: TargetRequest; history: OperationRecord[]; rejected: ClusterStatus['rejected']; leftovers?: string[] };
}

export interface StuckShardExplanation {
  /** False when Elasticsearch says the shards can move (then it is just slow, not stuck). */
  stuck: boolean;
  reasons: string[];
}
