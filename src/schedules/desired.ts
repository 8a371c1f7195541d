// The Temporal Schedules the config file asks for (F5), as plain data: no I/O here.
//
// Each schedule `<cluster>/<schedule>` starts the requestScale workflow, which hands its target to
// the cluster's workflow; supersede between schedules happens there. What es-scaler decides about
// a schedule is its ManagedSpec; `schedules apply` compares it with what it reads back from the
// server, field by field, and updates a schedule only when one differs.
import type { ScheduleDescription, ScheduleOptions, ScheduleUpdateOptions } from '@temporalio/client';
import type { Config } from '../config/schema.js';
import { EsClusterKey } from '../workflows/search-attributes.js';
import type { RequestScaleInput } from '../workflows/request-scale.js';
import { configDigest } from './config-digest.js';

export const MANAGED_BY = 'es-scaler';
export const REQUEST_SCALE_WORKFLOW = 'requestScale';

/**
 * How late a run missed during an outage (Temporal server down) may still start. A night
 * scale-in that fires the next afternoon would do harm, so a missed run older than this is skipped.
 */
export const CATCHUP_WINDOW_MS = 15 * 60_000;

/** Everything es-scaler sets on a schedule; a difference in any field means an update. */
export interface ManagedSpec {
  cron: string;
  timezone: string;
  cluster: string;
  replicas: number;
  source: string;
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  catchupWindowMs: number;
  /** Each run starts up to this much later, at random, so a fleet's schedules do not all fire in the same second. */
  jitterMs: number;
  /** The config file it comes from (config-digest.ts): a schedule follows its file as a whole. */
  configDigest: string;
}

/** Who reconciled a schedule last: the worker from the file it mounts, or `schedules apply`. */
export type AppliedBy = 'worker' | 'cli';

export interface DesiredSchedule {
  scheduleId: string;
  cluster: string;
  schedule: string;
  spec: ManagedSpec;
}

/** Marks a schedule as es-scaler's, for the deployment that serves `taskQueue` (schedule memo). */
export interface ManagedMarker {
  managedBy: typeof MANAGED_BY;
  taskQueue: string;
  cluster: string;
  schedule: string;
}

export function scheduleIdOf(cluster: string, schedule: string): string {
  return `${cluster}/${schedule}`;
}

/** The workflow id the schedule starts with; the server appends the run's timestamp. */
export function scheduleWorkflowId(scheduleId: string): string {
  return `schedule/${scheduleId}`;
}

export function desiredSchedules(config: Config): DesiredSchedule[] {
  const digest = configDigest(config);
  return Object.entries(config.clusters)
    .flatMap(([cluster, clusterConfig]) =>
      clusterConfig.schedules.map((schedule) => {
        const scheduleId = scheduleIdOf(cluster, schedule.name);
        return {
          scheduleId,
          cluster,
          schedule: schedule.name,
          spec: {
            cron: normaliseCron(schedule.cron),
            timezone: schedule.timezone,
            cluster,
            replicas: schedule.replicas,
            source: `schedule:${scheduleId}`,
            workflowType: REQUEST_SCALE_WORKFLOW,
            workflowId: scheduleWorkflowId(scheduleId),
            taskQueue: config.temporal.taskQueue,
            catchupWindowMs: CATCHUP_WINDOW_MS,
            jitterMs: clusterConfig.scheduleJitter,
            configDigest: digest,
          },
        };
      }),
    )
    .sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

export function normaliseCron(cron: string): string {
  return cron.trim().split(/\s+/).join(' ');
}

export function managedMarker(desired: DesiredSchedule): ManagedMarker {
  return { managedBy: MANAGED_BY, taskQueue: desired.spec.taskQueue, cluster: desired.cluster, schedule: desired.schedule };
}

/**
 * Whether a schedule is one this deployment manages: its memo carries es-scaler's marker for the
 * same task queue, and its id starts with the cluster the marker names. Anything else on the
 * server, another deployment's schedules included, is never touched.
 */
export function isManagedBy(scheduleId: string, memo: Record<string, unknown> | undefined, taskQueue: string): boolean {
  const marker = memo as Partial<ManagedMarker> | undefined;
  return (
    marker?.managedBy === MANAGED_BY &&
    marker.taskQueue === taskQueue &&
    typeof marker.cluster === 'string' &&
    scheduleId === scheduleIdOf(marker.cluster, marker.schedule ?? '')
  );
}

/** Who else holds the id, for a conflict message. */
export function ownerOf(memo: Record<string, unknown> | undefined): string {
  const marker = memo as Partial<ManagedMarker> | undefined;
  if (marker?.managedBy === MANAGED_BY) return `es-scaler for task queue "${String(marker.taskQueue)}"`;
  return 'something other than es-scaler';
}

/** The SDK's options for creating the schedule. */
export function scheduleOptions(desired: DesiredSchedule, appliedBy: AppliedBy = 'cli'): ScheduleOptions {
  return {
    scheduleId: desired.scheduleId,
    ...scheduleBody(desired, appliedBy),
    memo: { ...managedMarker(desired) },
  };
}

/** The SDK's options for updating the schedule: the pause state and note are kept as they are. */
export function scheduleUpdate(desired: DesiredSchedule, previous: ScheduleDescription['state'], appliedBy: AppliedBy = 'cli'): ScheduleUpdateOptions {
  return {
    ...scheduleBody(desired, appliedBy),
    state: { paused: previous.paused, note: previous.note, remainingActions: previous.remainingActions },
  };
}

/** What the schedule's action memo carries besides its id (the action memo, unlike the schedule's, can be updated). */
export interface ActionMemo {
  schedule: string;
  configDigest?: string;
  appliedBy?: AppliedBy;
}

function scheduleBody(desired: DesiredSchedule, appliedBy: AppliedBy) {
  const { spec } = desired;
  const input: RequestScaleInput = { cluster: spec.cluster, replicas: spec.replicas, source: spec.source };
  const esCluster = [{ key: EsClusterKey, value: spec.cluster }];
  return {
    // The cron goes in as-is; its text rides along as the calendar's comment (after "#"), so the
    // spec read back from the server, where the cron is compiled into calendars, still names it.
    spec: { cronExpressions: [`${spec.cron} #${spec.cron}`], timezone: spec.timezone, ...(spec.jitterMs > 0 && { jitter: spec.jitterMs }) },
    action: {
      type: 'startWorkflow' as const,
      workflowType: spec.workflowType,
      workflowId: spec.workflowId,
      taskQueue: spec.taskQueue,
      args: [input],
      memo: { schedule: desired.scheduleId, configDigest: spec.configDigest, appliedBy } satisfies ActionMemo,
      typedSearchAttributes: esCluster,
    },
    policies: { catchupWindow: spec.catchupWindowMs },
    typedSearchAttributes: esCluster,
  };
}

/**
 * The ManagedSpec of a schedule as the server describes it. A spec edited outside es-scaler (in
 * the UI, with `temporal schedule update`) reads back with a cron that matches no file entry.
 */
export function observedSpec(description: Pick<ScheduleDescription, 'spec' | 'action' | 'policies'>): Partial<ManagedSpec> {
  const { spec, action, policies } = description;
  const input = (action.args?.[0] ?? {}) as Partial<RequestScaleInput>;
  const calendars = spec.calendars ?? [];
  const onlyOurCron = calendars.length === 1 && !spec.intervals?.length && !spec.skip?.length;
  return {
    cron: onlyOurCron && calendars[0]!.comment ? calendars[0]!.comment : '(edited outside es-scaler)',
    timezone: spec.timezone || 'UTC',
    cluster: input.cluster,
    replicas: input.replicas,
    source: input.source,
    workflowType: action.workflowType,
    workflowId: action.workflowId,
    taskQueue: action.taskQueue,
    catchupWindowMs: policies.catchupWindow,
    jitterMs: spec.jitter ?? 0,
    configDigest: actionMemo(description).configDigest,
  };
}

export function actionMemo(description: Pick<ScheduleDescription, 'action'>): Partial<ActionMemo> {
  return (description.action.memo ?? {}) as Partial<ActionMemo>;
}
