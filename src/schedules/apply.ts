// The Temporal side of `schedules apply|list|pause|unpause`: reads schedules from the server and
// makes the changes reconcile() decided. Descriptions are read per id (strongly consistent); the
// server's schedule list (eventually consistent) is only used to find managed schedules that the
// file no longer names, so a schedule deleted from the file is found once the list shows it,
// normally within a second of its creation.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleDescription } from '@temporalio/client';
import type { Config } from '../config/schema.js';
import { InputError } from '../domain/input-error.js';
import { configDigest } from './config-digest.js';
import { actionMemo, desiredSchedules, isManagedBy, observedSpec, ownerOf, scheduleOptions, scheduleUpdate, type AppliedBy } from './desired.js';
import { reconcile, type ObservedSchedule, type ScheduleChange } from './reconcile.js';

export interface ServerSchedule {
  observed: ObservedSchedule;
  description: ScheduleDescription;
}

/** The schedules with the given ids, plus every schedule this deployment manages. */
export async function readSchedules(client: Client, taskQueue: string, ids: string[]): Promise<ServerSchedule[]> {
  const candidates = new Set(ids);
  for await (const summary of client.schedule.list()) {
    if (isManagedBy(summary.scheduleId, summary.memo, taskQueue)) candidates.add(summary.scheduleId);
  }
  const read = await Promise.all([...candidates].map((id) => describeIfExists(client, id)));
  return read
    .filter((description): description is ScheduleDescription => description !== undefined)
    .map((description) => {
      const managed = isManagedBy(description.scheduleId, description.memo, taskQueue);
      return {
        description,
        observed: {
          scheduleId: description.scheduleId,
          managed,
          ...(!managed && { owner: ownerOf(description.memo) }),
          spec: observedSpec(description),
        },
      };
    })
    .sort((a, b) => a.observed.scheduleId.localeCompare(b.observed.scheduleId));
}

export async function describeIfExists(client: Client, scheduleId: string): Promise<ScheduleDescription | undefined> {
  try {
    return await client.schedule.getHandle(scheduleId).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

export interface ApplyResult {
  changes: ScheduleChange[];
  /** Schedules of the file already as the file says. */
  unchanged: string[];
  applied: boolean;
  /** The worker in the cluster reconciled these schedules from another config file. */
  clusterConfig?: ClusterConfigDrift;
}

export interface ClusterConfigDrift {
  scheduleId: string;
  clusterDigest: string;
  fileDigest: string;
}

export interface ApplyOptions {
  dryRun: boolean;
  /** Recorded on each schedule; `cli` refuses to overwrite what a worker applied from another file. */
  appliedBy?: AppliedBy;
  force?: boolean;
}

/**
 * Reconciles the file into Temporal Schedules: creates, updates and deletes. Pause state is never
 * changed (an update keeps it). With a conflict (an id held by a schedule we do not manage),
 * nothing at all is changed. Out of the cluster (`cli`), it refuses without `force` when the
 * worker in the cluster applied its schedules from a config other than this one: the file the
 * worker mounts is the source of truth (F5).
 */
export async function applySchedules(client: Client, config: Config, options: ApplyOptions): Promise<ApplyResult> {
  const appliedBy = options.appliedBy ?? 'cli';
  const desired = desiredSchedules(config);
  const server = await readSchedules(client, config.temporal.taskQueue, desired.map((d) => d.scheduleId));
  const changes = reconcile(desired, server.map((s) => s.observed));
  const touched = new Set(changes.map((c) => c.scheduleId));
  const unchanged = desired.map((d) => d.scheduleId).filter((id) => !touched.has(id));
  const drift = appliedBy === 'cli' ? workerConfigDrift(server, configDigest(config)) : undefined;
  const result = { changes, unchanged, ...(drift && { clusterConfig: drift }) };
  if (drift && !options.force && !options.dryRun) {
    throw new InputError(
      `config file: the worker in the cluster applied ${drift.scheduleId} from another config (digest ${drift.clusterDigest}; this file's is ` +
        `${drift.fileDigest}): change the file the worker mounts instead, or pass --force to apply this one until the worker next reconciles`,
    );
  }
  const blocked = changes.some((c) => c.action === 'conflict');
  if (options.dryRun || blocked) return { ...result, applied: false };
  for (const change of changes) await applyChange(client, change, appliedBy);
  return { ...result, applied: true };
}

/** A schedule the worker reconciled last, from a config whose digest is not `fileDigest`. */
function workerConfigDrift(server: ServerSchedule[], fileDigest: string): ClusterConfigDrift | undefined {
  for (const { observed, description } of server) {
    const memo = actionMemo(description);
    if (observed.managed && memo.appliedBy === 'worker' && memo.configDigest !== fileDigest) {
      return { scheduleId: observed.scheduleId, clusterDigest: memo.configDigest ?? '(none)', fileDigest };
    }
  }
  return undefined;
}

/**
 * One change. Two workers may reconcile at once (two replicas): a schedule the other just
 * created or deleted is not an error; the next reconciliation settles any difference left.
 */
async function applyChange(client: Client, change: ScheduleChange, appliedBy: AppliedBy): Promise<void> {
  switch (change.action) {
    case 'create':
      await client.schedule.create(scheduleOptions(change.desired, appliedBy)).catch((err: unknown) => {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      });
      return;
    case 'update':
      await client.schedule.getHandle(change.scheduleId).update((previous) => scheduleUpdate(change.desired, previous.state, appliedBy));
      return;
    case 'delete':
      await client.schedule
        .getHandle(change.scheduleId)
        .delete()
        .catch((err: unknown) => {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
        });
      return;
    case 'conflict':
      return;
  }
}
