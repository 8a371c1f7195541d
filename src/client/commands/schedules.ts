// `es-scaler schedules apply|list|pause|unpause`: the config file's schedules as Temporal Schedules.
import { userInfo } from 'node:os';
import { InputError } from '../../domain/input-error.js';
import { requiredArgument } from '../arguments.js';
import type { CliContext } from '../context.js';
import { formatInTimezone } from '../format-time.js';
import { applySchedules, type ApplyResult } from '../schedules/apply.js';
import { listSchedules, type ScheduleListEntry } from '../schedules/list.js';
import { scheduleIdsOf, setPaused } from '../schedules/pause.js';
import { renderTable } from '../table.js';

export interface SchedulesFlags {
  json: boolean;
  dryRun: boolean;
  note?: string;
}

interface Subcommand {
  summary: string;
  help: string;
  run(ctx: CliContext, args: string[], flags: SchedulesFlags): Promise<void>;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  apply: {
    summary: 'make the Temporal Schedules match the config file (--dry-run: only show)',
    help: `es-scaler schedules apply [--dry-run] [--config FILE]

Makes the Temporal Schedules match the config file: creates the missing ones, updates the changed
ones, deletes the ones es-scaler created that the file no longer lists, and prints what it did as a
table. Schedule ids are <cluster>/<schedule>. Schedules es-scaler did not create are never touched.
A schedule's pause state is operational and kept as it is (see \`schedules pause\`).
With --dry-run, only prints what it would do.`,
    run: (ctx, _args, flags) => applyCommand(ctx, flags),
  },
  list: {
    summary: 'next runs, pause state and last run of each schedule',
    help: `es-scaler schedules list [cluster] [--json] [--config FILE]

Shows each schedule es-scaler manages: target replicas, cron, the next runs in the schedule's own
timezone, paused or active (with the note), its last run, and any change \`apply\` would make.`,
    run: (ctx, args, flags) => listCommand(ctx, args[0], flags.json),
  },
  pause: {
    summary: 'pause a schedule, or all of a cluster, with a note',
    help: `es-scaler schedules pause <cluster>[/<schedule>] [--note TEXT] [--config FILE]

Pauses one schedule, or all schedules of a cluster. The note (why, until when) shows in
\`schedules list\` and the Temporal UI. \`schedules apply\` does not undo a pause.`,
    run: (ctx, args, flags) => pauseCommand(ctx, args, true, flags.note),
  },
  unpause: {
    summary: 'resume a schedule, or all of a cluster',
    help: `es-scaler schedules unpause <cluster>[/<schedule>] [--note TEXT] [--config FILE]

Resumes one schedule, or all schedules of a cluster.`,
    run: (ctx, args, flags) => pauseCommand(ctx, args, false, flags.note),
  },
};

export const schedulesHelp = `es-scaler schedules <apply|list|pause|unpause> [arguments] [--config FILE]

Manages the config file's schedules as Temporal Schedules.

${Object.entries(SUBCOMMANDS)
  .map(([name, sub]) => `  ${name.padEnd(8)} ${sub.summary}`)
  .join('\n')}

Run \`es-scaler schedules <subcommand> --help\` for details.`;

export function schedulesHelpFor(args: string[]): string {
  return (args[0] && SUBCOMMANDS[args[0]]?.help) || schedulesHelp;
}

/** Fails on a missing or unknown subcommand before anything is loaded. */
export function checkSchedulesArguments(args: string[]): void {
  const name = args[0];
  if (!name) throw new InputError('schedules: missing subcommand (apply, list, pause, unpause; see --help)');
  if (!SUBCOMMANDS[name]) throw new InputError(`schedules: unknown subcommand "${name}" (apply, list, pause, unpause)`);
}

export async function schedulesCommand(ctx: CliContext, args: string[], flags: SchedulesFlags): Promise<void> {
  checkSchedulesArguments(args);
  await SUBCOMMANDS[args[0]!]!.run(ctx, args.slice(1), flags);
}

async function applyCommand(ctx: CliContext, flags: SchedulesFlags): Promise<void> {
  const result = await applySchedules(await ctx.client(), ctx.config, { dryRun: flags.dryRun });
  if (flags.json) {
    ctx.out(JSON.stringify({ ...result, changes: result.changes.map(({ action, scheduleId, changes }) => ({ action, scheduleId, changes })) }, null, 2));
  } else {
    ctx.out(renderApply(result, flags.dryRun));
  }
  const conflicts = result.changes.filter((c) => c.action === 'conflict');
  if (conflicts.length > 0) {
    throw new Error(`${conflicts.map((c) => c.scheduleId).join(', ')}: id taken by a schedule es-scaler does not manage; nothing was applied`);
  }
}

export function renderApply(result: ApplyResult, dryRun: boolean): string {
  if (result.changes.length === 0) return `no changes (${result.unchanged.length} schedule${result.unchanged.length === 1 ? '' : 's'} up to date)`;
  const verb = (action: string) => (dryRun || !result.applied ? `would ${action}` : { create: 'created', update: 'updated', delete: 'deleted' }[action] ?? action);
  const rows = result.changes.map((c) => [c.action === 'conflict' ? 'CONFLICT' : verb(c.action), c.scheduleId, c.changes]);
  const table = renderTable(['ACTION', 'SCHEDULE', 'CHANGES'], rows);
  const tail = result.unchanged.length > 0 ? `\n${result.unchanged.length} unchanged` : '';
  return `${table}${tail}${dryRun ? '\n(dry run: nothing changed)' : ''}`;
}

async function listCommand(ctx: CliContext, cluster: string | undefined, json: boolean): Promise<void> {
  if (cluster !== undefined && !ctx.config.clusters[cluster]) {
    throw new InputError(`cluster: unknown cluster "${cluster}" (configured: ${Object.keys(ctx.config.clusters).join(', ')})`);
  }
  const entries = await listSchedules(await ctx.client(), ctx.config, cluster);
  ctx.out(json ? JSON.stringify(entries, null, 2) : renderList(entries));
}

export function renderList(entries: ScheduleListEntry[]): string {
  if (entries.length === 0) return 'no schedules (the config file lists none; `schedules apply` creates them)';
  const rows = entries.map((e) => [
    e.scheduleId,
    e.replicas === undefined ? '?' : String(e.replicas),
    e.cron ?? '?',
    e.timezone,
    e.nextRuns.map((at) => formatInTimezone(at, e.timezone)),
    e.note ? [e.state, `note: ${e.note}`] : e.state,
    e.lastRun ? [`${formatInTimezone(e.lastRun.at, e.timezone)} ${e.lastRun.status}`, ...(e.lastRun.detail ? [e.lastRun.detail] : [])] : 'never',
  ]);
  const table = renderTable(['SCHEDULE', 'REPLICAS', 'CRON', 'TIMEZONE', 'NEXT RUNS', 'STATE', 'LAST RUN'], rows);
  const pending = entries.filter((e) => e.pending.length > 0);
  if (pending.length === 0) return table;
  return `${table}\n\nthe config file differs (run \`es-scaler schedules apply\`):\n${pending.map((e) => `  ${e.scheduleId}: ${e.pending.join('; ')}`).join('\n')}`;
}

async function pauseCommand(ctx: CliContext, args: string[], paused: boolean, note: string | undefined): Promise<void> {
  const ids = scheduleIdsOf(ctx.config, requiredArgument('schedule', args[0]));
  const text = note ?? `${paused ? 'paused' : 'unpaused'} by ${userInfo().username} with es-scaler`;
  const outcomes = await setPaused(await ctx.client(), ctx.config, ids, paused, text);
  for (const { scheduleId, already } of outcomes) {
    ctx.out(`${scheduleId}: ${paused ? 'paused' : 'active'}${already ? ' (it already was)' : ''}; note: ${text}`);
  }
}
