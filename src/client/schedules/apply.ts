// The Temporal side of `schedules apply|list|pause|unpause`: reads schedules from the server and
// makes the changes reconcile() decided. Descriptions are read per id (strongly consistent); the
// server's schedule list (eventually consistent) is only used to find managed schedules that the
// file no longer names, so a schedule deleted from the file is found once the list shows it,
// normally within a second of its creation.
import { ScheduleNotFoundError, type Client, type ScheduleDescription } from '@temporalio/client';
import type { Config } from '../../config/schema.js';
import { desiredSchedules, isManagedBy, observedSpec, ownerOf, scheduleOptions, scheduleUpdate } from './desired.js';
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
}

/**
 * Reconciles the file into Temporal Schedules: creates, updates and deletes. Pause state is never
 * changed (an update keeps it). With a conflict (an id held by a schedule we do not manage),
 * nothing at all is changed.
 */
export async function applySchedules(client: Client, config: Config, options: { dryRun: boolean }): Promise<ApplyResult> {
  const desired = desiredSchedules(config);
  const server = await readSchedules(client, config.temporal.taskQueue, desired.map((d) => d.scheduleId));
  const changes = reconcile(desired, server.map((s) => s.observed));
  const touched = new Set(changes.map((c) => c.scheduleId));
  const unchanged = desired.map((d) => d.scheduleId).filter((id) => !touched.has(id));
  const blocked = changes.some((c) => c.action === 'conflict');
  if (options.dryRun || blocked) return { changes, unchanged, applied: false };
  for (const change of changes) await applyChange(client, change);
  return { changes, unchanged, applied: true };
}

async function applyChange(client: Client, change: ScheduleChange): Promise<void> {
  switch (change.action) {
    case 'create':
      await client.schedule.create(scheduleOptions(change.desired));
      return;
    case 'update':
      await client.schedule.getHandle(change.scheduleId).update((previous) => scheduleUpdate(change.desired, previous.state));
      return;
    case 'delete':
      await client.schedule.getHandle(change.scheduleId).delete();
      return;
    case 'conflict':
      return;
  }
}
