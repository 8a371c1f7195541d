// Pausing is operational state, not configuration: `schedules pause` sets it on the server with a
// note saying why, and `schedules apply` keeps it. A whole cluster means all its schedules.
// The note of the latest pause or unpause wins, also when the state was already the one asked for.
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/schema.js';
import { InputError } from '../../domain/input-error.js';
import { clusterConfigOf } from '../../temporal/submit-target.js';
import { describeIfExists } from '../../schedules/apply.js';
import { isManagedBy, ownerOf, scheduleIdOf } from '../../schedules/desired.js';

/** `<cluster>` or `<cluster>/<schedule>` → the schedule ids the file lists for it. */
export function scheduleIdsOf(config: Config, target: string): string[] {
  const [cluster, schedule, ...rest] = target.split('/');
  if (!cluster || rest.length > 0 || schedule === '') {
    throw new InputError(`schedule: expected <cluster> or <cluster>/<schedule>, found "${target}"`);
  }
  const { schedules } = clusterConfigOf(config, cluster);
  if (schedule === undefined) {
    if (schedules.length === 0) throw new InputError(`schedule: cluster "${cluster}" has no schedules in the config file`);
    return schedules.map((s) => scheduleIdOf(cluster, s.name));
  }
  if (!schedules.some((s) => s.name === schedule)) {
    throw new InputError(
      `schedule: unknown schedule "${schedule}" of cluster "${cluster}" (configured: ${schedules.map((s) => s.name).join(', ') || 'none'})`,
    );
  }
  return [scheduleIdOf(cluster, schedule)];
}

export interface PauseOutcome {
  scheduleId: string;
  /** Whether it was already in the requested state (the note is updated anyway). */
  already: boolean;
}

/** The server takes an empty note as "no change" and would not pause at all: refuse it. */
export function checkNote(note: string): string {
  if (note.trim() === '') throw new InputError('note: empty; say why (or leave --note out for a note naming who did it)');
  return note;
}

/** Pauses (or unpauses) each schedule, after checking all of them exist and are ours. */
export async function setPaused(client: Client, config: Config, ids: string[], paused: boolean, note: string): Promise<PauseOutcome[]> {
  checkNote(note);
  const descriptions = await Promise.all(ids.map((id) => describeIfExists(client, id)));
  descriptions.forEach((description, i) => {
    if (!description) throw new Error(`${ids[i]}: no such schedule on the server; run \`es-scaler schedules apply\` first`);
    if (!isManagedBy(description.scheduleId, description.memo, config.temporal.taskQueue)) {
      throw new Error(`${ids[i]}: this schedule belongs to ${ownerOf(description.memo)}; not touching it`);
    }
  });
  const outcomes: PauseOutcome[] = [];
  for (const [i, id] of ids.entries()) {
    const handle = client.schedule.getHandle(id);
    const already = descriptions[i]!.state.paused === paused;
    // A pause patch on a paused schedule leaves its note as it was: replace the note instead.
    if (already) await handle.update((previous) => ({ ...previous, state: { ...previous.state, note } }));
    else if (paused) await handle.pause(note);
    else await handle.unpause(note);
    outcomes.push({ scheduleId: id, already });
  }
  return outcomes;
}
