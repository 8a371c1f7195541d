// Edits of Elasticsearch's `cluster.routing.allocation.exclude.<attr>` lists. The rule (F6): an
// operation only ever removes an entry it added itself; everything else is left as found.
import { podOrdinal } from './scale-plan.js';

export type ExclusionAttribute = '_name' | '_ip';

export const EXCLUDE_PREFIX = 'cluster.routing.allocation.exclude.';

export function excludeSetting(attribute: string): string {
  return `${EXCLUDE_PREFIX}${attribute}`;
}

/** Flat cluster settings as `GET _cluster/settings?flat_settings=true` returns them. */
export interface ClusterSettings {
  persistent: Record<string, string>;
  transient: Record<string, string>;
}

/** A value of exclusion list entries, "a, b,c" → ['a', 'b', 'c']. */
export function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** The exclusion entries in force, per attribute: a transient value overrides the persistent one. */
export function effectiveExclusions(settings: ClusterSettings): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const scope of [settings.persistent, settings.transient]) {
    for (const [key, value] of Object.entries(scope)) {
      if (key.startsWith(EXCLUDE_PREFIX)) result[key.slice(EXCLUDE_PREFIX.length)] = parseList(value);
    }
  }
  for (const [attribute, entries] of Object.entries(result)) if (entries.length === 0) delete result[attribute];
  return result;
}

export type SettingsBody = Partial<Record<'persistent' | 'transient', Record<string, string | null>>>;

/**
 * The `PUT _cluster/settings` body that adds `entry` to the list in force, or undefined when it is
 * already there. The entry goes where it takes effect: the transient list when one overrides.
 */
export function addEntryBody(settings: ClusterSettings, attribute: string, entry: string): SettingsBody | undefined {
  const key = excludeSetting(attribute);
  const scope = key in settings.transient ? 'transient' : 'persistent';
  const entries = parseList(settings[scope][key]);
  if (entries.includes(entry)) return undefined;
  return { [scope]: { [key]: [...entries, entry].join(',') } };
}

/** The body that removes `entry` from both scopes (null clears an emptied list), or undefined. */
export function removeEntryBody(settings: ClusterSettings, attribute: string, entry: string): SettingsBody | undefined {
  const key = excludeSetting(attribute);
  const body: SettingsBody = {};
  for (const scope of ['persistent', 'transient'] as const) {
    const entries = parseList(settings[scope][key]);
    if (!entries.includes(entry)) continue;
    const rest = entries.filter((e) => e !== entry);
    body[scope] = { [key]: rest.length > 0 ? rest.join(',') : null };
  }
  return Object.keys(body).length > 0 ? body : undefined;
}

export interface ExclusionEntry {
  attribute: string;
  value: string;
}

export function formatEntry(entry: ExclusionEntry): string {
  return `${entry.attribute}:${entry.value}`;
}

export function listEntries(exclusions: Record<string, string[]>): ExclusionEntry[] {
  return Object.entries(exclusions).flatMap(([attribute, values]) => values.map((value) => ({ attribute, value })));
}

/**
 * Whether a stale entry is what an interrupted scale-in of this StatefulSet leaves behind (an
 * exclusion by `_name` of one of its pods): the only kind sweepStaleExclusions removes. Entries
 * naming anything else, or by `_ip`/`_host`, cannot be told apart from someone else's.
 */
export function isLeftoverOf(statefulSet: string, entry: ExclusionEntry): boolean {
  return entry.attribute === '_name' && podOrdinal(statefulSet, entry.value) !== undefined;
}
