// What `schedules list` shows per schedule: its target and cron, the next runs as the server
// computed them, whether it is paused (and why), how its last run went, and whether the file
// asks for something else (an `apply` is pending).
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { Config } from '../../config/schema.js';
import { desiredSchedules } from '../../schedules/desired.js';
import { readSchedules } from '../../schedules/apply.js';
import { reconcile } from '../../schedules/reconcile.js';

export interface LastRun {
  at: Date;
  workflowId: string;
  /** The requestScale run's state: completed, failed, running, ... */
  status: string;
  detail?: string;
}

export interface ScheduleListEntry {
  scheduleId: string;
  cron?: string;
  timezone: string;
  replicas?: number;
  state: 'active' | 'paused' | 'not applied' | 'conflict';
  note?: string;
  nextRuns: Date[];
  lastRun?: LastRun;
  /** What `schedules apply` would change on this schedule. */
  pending: string[];
}

export async function listSchedules(client: Client, config: Config, cluster?: string): Promise<ScheduleListEntry[]> {
  const desired = desiredSchedules(config);
  const server = await readSchedules(client, config.temporal.taskQueue, desired.map((d) => d.scheduleId));
  const changes = reconcile(desired, server.map((s) => s.observed));
  const changeOf = (id: string) => changes.find((c) => c.scheduleId === id);

  const entries: ScheduleListEntry[] = [];
  for (const { observed, description } of server) {
    const change = changeOf(observed.scheduleId);
    if (!observed.managed && change?.action !== 'conflict') continue;
    const recent = description.info.recentActions.at(-1);
    entries.push({
      scheduleId: observed.scheduleId,
      cron: observed.spec.cron,
      timezone: observed.spec.timezone ?? 'UTC',
      replicas: observed.spec.replicas,
      state: change?.action === 'conflict' ? 'conflict' : description.state.paused ? 'paused' : 'active',
      ...(description.state.note && { note: description.state.note }),
      nextRuns: description.info.nextActionTimes.slice(0, 3),
      ...(recent && { lastRun: await lastRun(client, recent.takenAt, recent.action.workflow) }),
      pending: change ? [`${change.action}: ${change.changes.join('; ')}`] : [],
    });
  }
  for (const d of desired) {
    if (server.some((s) => s.observed.scheduleId === d.scheduleId)) continue;
    entries.push({ ...d.spec, scheduleId: d.scheduleId, state: 'not applied', nextRuns: [], pending: ['create'] });
  }
  return entries
    .filter((e) => cluster === undefined || e.scheduleId.startsWith(`${cluster}/`))
    .sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

async function lastRun(client: Client, at: Date, run: { workflowId: string; firstExecutionRunId: string }): Promise<LastRun> {
  const handle = client.workflow.getHandle(run.workflowId, run.firstExecutionRunId);
  try {
    const status = (await handle.describe()).status.name.toLowerCase();
    if (status !== 'failed') return { at, workflowId: run.workflowId, status };
    const detail = await handle.result().then(
      () => undefined,
      (err: unknown) => (err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : (err as Error).message),
    );
    return { at, workflowId: run.workflowId, status, ...(detail && { detail }) };
  } catch (err) {
    return { at, workflowId: run.workflowId, status: 'unknown', detail: (err as Error).message.split('\n')[0] };
  }
}
