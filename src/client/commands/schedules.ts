// `es-scaler schedules apply|list|pause|unpause`: the config file's schedules as Temporal Schedules.
import { userInfo } from 'node:os';
import type { CliContext } from '../context.js';
import { formatInTimezone } from '../format-time.js';
import { applySchedules, type ApplyResult } from '../../schedules/apply.js';
import { listSchedules, type ScheduleListEntry } from '../schedules/list.js';
import { scheduleIdsOf, setPaused } from '../schedules/pause.js';
import { structuredOutput, type OutputFormat } from '../output.js';
import { clusterConfigOf } from '../../temporal/submit-target.js';
import { renderTable } from '../table.js';

export const schedulesHelp = {
  apply: `Makes the Temporal Schedules match the config file: creates the missing ones, updates the changed
ones, deletes the ones es-scaler created that the file no longer lists, and prints what it did as a
table. Schedule ids are <cluster>/<schedule>. Schedules es-scaler did not create are never touched.
A schedule's pause state is operational and kept as it is (see \`schedules pause\`).
With --dry-run, only prints what it would do.

In a deployment, the worker reconciles the schedules itself from the config file it mounts, at
start and whenever that file changes. \`apply\` is for running without such a worker: it refuses
(exit 2) when the worker applied the schedules from a config other than this file, since the
worker's file wins; --force applies this file anyway, until the worker next reconciles.`,
  list: `Shows each schedule es-scaler manages: target replicas, cron, the next runs in the schedule's own
timezone, paused or active (with the note), its last run, and any change \`apply\` would make.
-o wide adds the last run's workflow id and the pending change of each schedule.`,
  pause: `Pauses one schedule, or all schedules of a cluster. The note (why, until when) shows in
\`schedules list\` and the Temporal UI; the note of the latest pause or unpause replaces the earlier
one, also on a schedule that was already paused. An empty note is refused. \`schedules apply\` does
not undo a pause.`,
  unpause: `Resumes one schedule, or all schedules of a cluster; the note replaces the pause note.`,
};

export async function applyCommand(ctx: CliContext, options: { dryRun: boolean; json: boolean; force: boolean }): Promise<void> {
  const result = await applySchedules(await ctx.client(), ctx.config, { dryRun: options.dryRun, force: options.force, appliedBy: 'cli' });
  if (options.json) {
    ctx.out(JSON.stringify({ ...result, changes: result.changes.map(({ action, scheduleId, changes }) => ({ action, scheduleId, changes })) }, null, 2));
  } else {
    ctx.out(renderApply(result, options.dryRun));
  }
  const conflicts = result.changes.filter((c) => c.action === 'conflict');
  if (conflicts.length > 0) {
    throw new Error(`${conflicts.map((c) => c.scheduleId).join(', ')}: id taken by a schedule es-scaler does not manage; nothing was applied`);
  }
}

export function renderApply(result: ApplyResult, dryRun: boolean): string {
  const drift = result.clusterConfig;
  const warning = drift
    ? `WARNING: the worker in the cluster applied these schedules from another config (digest ${drift.clusterDigest}, this file: ${drift.fileDigest})\n`
    : '';
  return warning + renderChanges(result, dryRun);
}

function renderChanges(result: ApplyResult, dryRun: boolean): string {
  if (result.changes.length === 0) return `no changes (${result.unchanged.length} schedule${result.unchanged.length === 1 ? '' : 's'} up to date)`;
  const verb = (action: string) => (dryRun || !result.applied ? `would ${action}` : { create: 'created', update: 'updated', delete: 'deleted' }[action] ?? action);
  const rows = result.changes.map((c) => [c.action === 'conflict' ? 'CONFLICT' : verb(c.action), c.scheduleId, c.changes]);
  const table = renderTable(['ACTION', 'SCHEDULE', 'CHANGES'], rows);
  const tail = result.unchanged.length > 0 ? `\n${result.unchanged.length} unchanged` : '';
  return `${table}${tail}${dryRun ? '\n(dry run: nothing changed)' : ''}`;
}

export async function listCommand(ctx: CliContext, cluster: string | undefined, format: OutputFormat): Promise<void> {
  if (cluster !== undefined) clusterConfigOf(ctx.config, cluster);
  const entries = await listSchedules(await ctx.client(), ctx.config, cluster);
  ctx.out(structuredOutput(format, entries) ?? renderList(entries, format === 'wide'));
}

export function renderList(entries: ScheduleListEntry[], wide = false): string {
  if (entries.length === 0) return 'no schedules (the config file lists none; `schedules apply` creates them)';
  const rows = entries.map((e) => [
    e.scheduleId,
    e.replicas === undefined ? '?' : String(e.replicas),
    e.cron ?? '?',
    e.timezone,
    e.nextRuns.map((at) => formatInTimezone(at, e.timezone)),
    e.note ? [e.state, `note: ${e.note}`] : e.state,
    e.lastRun ? [`${formatInTimezone(e.lastRun.at, e.timezone)} ${e.lastRun.status}`, ...(e.lastRun.detail ? [e.lastRun.detail] : [])] : 'never',
    ...(wide ? [e.lastRun?.workflowId ?? '-', e.pending.length > 0 ? e.pending : '-'] : []),
  ]);
  const headers = ['SCHEDULE', 'REPLICAS', 'CRON', 'TIMEZONE', 'NEXT RUNS', 'STATE', 'LAST RUN', ...(wide ? ['LAST WORKFLOW', 'PENDING'] : [])];
  const table = renderTable(headers, rows);
  const pending = entries.filter((e) => e.pending.length > 0);
  if (pending.length === 0) return table;
  return `${table}\n\nthe config file differs (run \`es-scaler schedules apply\`):\n${pending.map((e) => `  ${e.scheduleId}: ${e.pending.join('; ')}`).join('\n')}`;
}

export async function pauseCommand(ctx: CliContext, target: string, paused: boolean, note: string | undefined): Promise<void> {
  const ids = scheduleIdsOf(ctx.config, target);
  const text = note === undefined ? `${paused ? 'paused' : 'unpaused'} by ${userInfo().username} with es-scaler` : note;
  const outcomes = await setPaused(await ctx.client(), ctx.config, ids, paused, text);
  for (const { scheduleId, already } of outcomes) {
    ctx.out(`${scheduleId}: ${paused ? 'paused' : 'active'}${already ? ' (it already was)' : ''}; note: ${text}`);
  }
}
