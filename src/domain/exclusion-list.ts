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

export type SettingsScope = 'persistent' | 'transient';
export type SettingsBody = Partial<Record<SettingsScope, Record<string, string | null>>>;

/** Where a list takes effect: the transient value when there is one, else the persistent one. */
export function scopeInForce(settings: ClusterSettings, attribute: string): SettingsScope {
  return excludeSetting(attribute) in settings.transient ? 'transient' : 'persistent';
}

/**
 * The `PUT _cluster/settings` body that adds `entry` to the list in force, or undefined when it is
 * already there. The entry goes where it takes effect: the transient list when one overrides.
 */
export function addEntryBody(settings: ClusterSettings, attribute: string, entry: string): SettingsBody | undefined {
  const key = excludeSetting(attribute);
  const scope = scopeInForce(settings, attribute);
  const entries = parseList(settings[scope][key]);
  if (entries.includes(entry)) return undefined;
  return { [scope]: { [key]: [...entries, entry].join(',') } };
}

/**
 * The body that removes `entry` from one scope only: the one the operation added it to (or, when
 * that is not known, the one in force). The same value in the other scope is someone else's (a
 * persistent entry shadowed by a transient list, say) and stays (F6). Null clears an emptied list.
 */
export function removeEntryBody(settings: ClusterSettings, attribute: string, entry: string, scope = scopeInForce(settings, attribute)): SettingsBody | undefined {
  const key = excludeSetting(attribute);
  const entries = parseList(settings[scope][key]);
  if (!entries.includes(entry)) return undefined;
  const rest = entries.filter((e) => e !== entry);
  return { [scope]: { [key]: rest.length > 0 ? rest.join(',') : null } };
}

/** Whether `entry` is in `scope`'s list: after a write, the check that the write held. */
export function scopeHolds(settings: ClusterSettings, attribute: string, entry: string, scope: SettingsScope): boolean {
  return parseList(settings[scope][excludeSetting(attribute)]).includes(entry);
}

export interface ExclusionEntry {
  attribute: string;
  value: string;
}

/** An entry an operation added: where it went, and the pod it keeps shards off. */
export interface OwnedExclusion extends ExclusionEntry {
  pod: string;
  /** The settings scope the add wrote to; unknown until the add has answered. */
  scope?: SettingsScope;
}

export function formatEntry(entry: ExclusionEntry): string {
  return `${entry.attribute}:${entry.value}`;
}

export function listEntries(exclusions: Record<string, string[]>): ExclusionEntry[] {
  return Object.entries(exclusions).flatMap(([attribute, values]) => values.map((value) => ({ attribute, value })));
}

/** The pod of this StatefulSet an entry names by `_name`, or undefined. */
export function namedPod(statefulSet: string, entry: ExclusionEntry): string | undefined {
  return entry.attribute === '_name' && podOrdinal(statefulSet, entry.value) !== undefined ? entry.value : undefined;
}

/**
 * Whether sweepStaleExclusions may remove a stale entry: one an earlier operation of ours recorded
 * as left behind, or a `_name` entry for a pod of this StatefulSet that no longer exists (what an
 * interrupted scale-in leaves). An entry naming a live pod is someone's deliberate choice (an
 * operator draining es-data-2 by hand) and stays, as does anything by `_ip`/`_host` we did not record.
 */
export function isSweepable(entry: ExclusionEntry, facts: { recorded: string[]; podGone: boolean }): boolean {
  return facts.recorded.includes(formatEntry(entry)) || facts.podGone;
}
