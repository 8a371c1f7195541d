// What `es-scaler plan <cluster> <replicas>` reads and predicts: the same reads an operation makes
// (through the activities' own functions), then the pure decisions the workflow would take.
// Only reads: nothing on the cluster or in Temporal changes.
import type { Client } from '@temporalio/client';
import { ClusterConnections } from '../activities/connections.js';
import { readCapacityFacts } from '../activities/capacity.js';
import { createKubernetesActivities } from '../activities/kubernetes.js';
import type { Config } from '../config/schema.js';
import { listSetting } from '../domain/capacity/facts.js';
import type { PreflightPolicy } from '../domain/capacity/verdict.js';
import { predictDrainSequence, type DrainStop, type PredictedDrain } from '../domain/drain-sequence.js';
import { effectiveExclusions, formatEntry, isSweepable, listEntries, namedPod } from '../domain/exclusion-list.js';
import type { ClusterHealth } from '../domain/health.js';
import { InputError } from '../domain/input-error.js';
import { podsToAdd, podsToRemove, replicasProblem, scaleDirection, type ScaleDirection } from '../domain/scale-plan.js';
import { listStatefulSetPods } from './pods.js';
import { clusterConfigOf, clusterWorkflowIdOf } from '../temporal/submit-target.js';

const EXCLUDE = 'cluster.routing.allocation.exclude';
const AWARENESS_ATTRIBUTES = 'cluster.routing.allocation.awareness.attributes';

export interface PlannedExclusion {
  entry: string;
  /** Owned by no operation; undefined when an operation is running (it may own it). */
  stale?: boolean;
  /** Removed at the start of the operation (sweepStaleExclusions and it names one of our pods). */
  swept: boolean;
}

export interface ScalePlan {
  cluster: string;
  namespace: string;
  statefulSet: string;
  current: number;
  target: number;
  direction: ScaleDirection;
  health: ClusterHealth;
  preflight: PreflightPolicy;
  stallAfterMs: number;
  awarenessAttributes: string[];
  podsToAdd: string[];
  drains: (PredictedDrain & { zone?: string })[];
  stop?: DrainStop;
  exclusions: PlannedExclusion[];
  /** The operation running now, if any; a string explaining why it is unknown otherwise. */
  running: { workflowId: string } | { unknown: string } | undefined;
}

export async function readScalePlan(config: Config, cluster: string, replicas: unknown, temporal: () => Promise<Client>): Promise<ScalePlan> {
  const clusterConfig = clusterConfigOf(config, cluster);
  const problem = replicasProblem(replicas, clusterConfig);
  if (problem) throw new InputError(problem);
  const target = replicas as number;
  const { namespace, statefulSet } = clusterConfig.kubernetes;

  const connections = new ClusterConnections(config);
  try {
    const k8s = createKubernetesActivities(connections);
    const apiServer = clusterConfig.kubernetes.apiServer ?? 'the in-cluster or KUBECONFIG API server';
    const kubernetes = await connections.kubernetes(cluster);
    const [current, pods, state, running] = await Promise.all([
      reading(`Kubernetes: StatefulSet ${namespace}/${statefulSet} at ${apiServer}`, k8s.readReplicas(cluster)),
      reading(`Kubernetes: pods of StatefulSet ${namespace}/${statefulSet} at ${apiServer}`, listStatefulSetPods(kubernetes)),
      reading(`Elasticsearch at ${clusterConfig.elasticsearch.url}`, readCapacityFacts(connections.elasticsearch(cluster))),
      runningOperation(temporal, clusterWorkflowIdOf(config, cluster)),
    ]);

    const exclusions = listEntries(effectiveExclusions(state.settings)).map((entry) => {
      const stale = running && 'workflowId' in running ? undefined : true;
      const pod = namedPod(statefulSet, entry);
      const podGone = pod !== undefined && !pods.some((p) => p.name === pod);
      const swept = stale === true && clusterConfig.sweepStaleExclusions && isSweepable(entry, { recorded: [], podGone });
      return { entry, planned: { entry: formatEntry(entry), stale, swept } };
    });
    const remaining: Record<string, string[]> = {};
    for (const { entry, planned } of exclusions) if (!planned.swept) (remaining[entry.attribute] ??= []).push(entry.value);

    // The operation sweeps before its first pre-flight: predict with the exclusions that stay.
    const settings = { ...state.facts.settings };
    for (const attribute of Object.keys(effectiveExclusions(state.settings))) settings[`${EXCLUDE}.${attribute}`] = (remaining[attribute] ?? []).join(',');

    const direction = scaleDirection(current, target);
    const sequence = predictDrainSequence({
      pods: direction === 'in' ? podsToRemove(statefulSet, current, target) : [],
      facts: { ...state.facts, settings },
      health: state.health,
      policy: clusterConfig.preflight,
    });
    const zoneOf = (drain: PredictedDrain) => pods.find((p) => p.name === drain.pod)?.zone ?? drain.preflight.zone;

    return {
      cluster,
      namespace,
      statefulSet,
      current,
      target,
      direction,
      health: state.health.status,
      preflight: clusterConfig.preflight,
      stallAfterMs: clusterConfig.stallAfter,
      awarenessAttributes: listSetting(state.facts.settings[AWARENESS_ATTRIBUTES]),
      podsToAdd: direction === 'out' ? podsToAdd(statefulSet, current, target) : [],
      drains: sequence.drains.map((drain) => ({ ...drain, zone: zoneOf(drain) })),
      ...(sequence.stop && { stop: sequence.stop }),
      exclusions: exclusions.map((e) => e.planned),
      running,
    };
  } finally {
    await connections.close();
  }
}

/** A read's failure, saying what was read where (the clients' own messages often do not). */
async function reading<T>(what: string, read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    const status = (err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode;
    const reason = status === 404 ? 'not found (HTTP 404)' : (err as Error).message.split('\n')[0];
    throw new Error(`${what}: ${reason}`, { cause: err });
  }
}

/** The cluster's scale operation running now, from Temporal's visibility (no worker needed). */
async function runningOperation(temporal: () => Promise<Client>, clusterWorkflowId: string): Promise<ScalePlan['running']> {
  try {
    const client = await temporal();
    const query = `WorkflowId STARTS_WITH '${clusterWorkflowId}/op-' AND ExecutionStatus = 'Running'`;
    for await (const execution of client.workflow.list({ query, pageSize: 1 })) return { workflowId: execution.workflowId };
    return undefined;
  } catch (err) {
    return { unknown: `cannot ask Temporal: ${(err as Error).message.split('\n')[0]}` };
  }
}
