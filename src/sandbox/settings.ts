// Cluster settings as Elasticsearch keeps them: flat dotted keys, persistent and transient, transient winning.
import { parseByteSize, parseWatermark } from '../domain/capacity/byte-size.js';
import { illegalArgument } from './es-errors.js';
import { simpleMatch, tokens } from './patterns.js';

export type FlatSettings = Record<string, string>;
export type Scope = 'persistent' | 'transient';

export class ClusterSettings {
  readonly persistent: FlatSettings;
  readonly transient: FlatSettings;
  /** Bumped by every update, so that the allocator knows when to look again. */
  version = 0;

  constructor(initial: { persistent?: FlatSettings; transient?: FlatSettings } = {}) {
    this.persistent = { ...initial.persistent };
    this.transient = { ...initial.transient };
  }

  effective(key: string): string | undefined {
    return this.transient[key] ?? this.persistent[key];
  }

  /** Effective `<prefix>.<suffix>` settings keyed by suffix, e.g. group('cluster.routing.allocation.exclude'). */
  group(prefix: string): FlatSettings {
    const out: FlatSettings = {};
    for (const scope of [this.persistent, this.transient]) {
      for (const [k, v] of Object.entries(scope)) if (k.startsWith(prefix + '.')) out[k.slice(prefix.length + 1)] = v;
    }
    return out;
  }

  /**
   * Applies a PUT _cluster/settings body ({persistent, transient}, nested or flat). `null` removes a key
   * (wildcards allowed, e.g. "cluster.routing.allocation.exclude.*": null). Returns the keys that were set.
   */
  update(body: unknown): Record<Scope, FlatSettings> {
    const req = asObject(body, 'request body');
    const changes: Partial<Record<Scope, Record<string, string | null>>> = {};
    for (const scope of ['persistent', 'transient'] as const) {
      if (req[scope] === undefined || req[scope] === null) continue;
      const flat = flattenSettings(asObject(req[scope], scope));
      for (const [k, v] of Object.entries(flat)) if (v !== null) validateSetting(k, v);
      changes[scope] = flat;
    }
    if (Object.keys({ ...changes.persistent, ...changes.transient }).length === 0) {
      throw illegalArgument('Validation Failed: 1: no settings to update;');
    }
    const applied: Record<Scope, FlatSettings> = { persistent: {}, transient: {} };
    for (const scope of ['persistent', 'transient'] as const) {
      const target = this[scope];
      for (const [k, v] of Object.entries(changes[scope] ?? {})) {
        if (v === null) {
          for (const existing of Object.keys(target)) if (simpleMatch(k, existing)) delete target[existing];
        } else {
          target[k] = v;
          applied[scope][k] = v;
        }
      }
    }
    this.version++;
    return applied;
  }
}

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw illegalArgument(`[${what}] must be an object`);
  return v as Record<string, unknown>;
}

/** Nested or flat JSON to flat dotted keys; lists become comma-separated values. */
export function flattenSettings(obj: Record<string, unknown>, prefix = ''): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix + k;
    if (v === null) out[key] = null;
    else if (Array.isArray(v)) out[key] = v.map(String).join(',');
    else if (typeof v === 'object') Object.assign(out, flattenSettings(v as Record<string, unknown>, key + '.'));
    else out[key] = String(v);
  }
  return out;
}

/** Flat dotted keys to the nested objects ES prints without ?flat_settings. */
export function nestSettings(flat: FlatSettings): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const key of Object.keys(flat).sort()) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = flat[key];
  }
  return root;
}

const FILTER_IP_KEY = /^cluster\.routing\.allocation\.(include|exclude|require)\.(_ip|_host_ip|_publish_ip)$/;
const INT_SETTINGS: Record<string, number> = {
  'cluster.routing.allocation.node_concurrent_recoveries': 0,
  'cluster.routing.allocation.node_concurrent_incoming_recoveries': 0,
  'cluster.routing.allocation.node_concurrent_outgoing_recoveries': 0,
  'cluster.routing.allocation.node_initial_primaries_recoveries': 0,
  'cluster.routing.allocation.cluster_concurrent_rebalance': -1,
  'cluster.routing.allocation.total_shards_per_node': -1,
  'cluster.max_shards_per_node': 1,
};
const WATERMARK_KEY = /^cluster\.routing\.allocation\.disk\.watermark\.(low|high|flood_stage)$/;
const HEADROOM_KEY = /^cluster\.routing\.allocation\.disk\.watermark\.(low|high|flood_stage)\.max_headroom$/;
const FORCE_PREFIX = 'cluster.routing.allocation.awareness.force.';
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

// The validations ES applies to the settings this sandbox interprets; other keys are stored as given.
function validateSetting(key: string, value: string): void {
  if (FILTER_IP_KEY.test(key)) {
    for (const ip of tokens(value)) {
      const isIp = IPV4.test(ip) ? ip.split('.').every((o) => Number(o) <= 255) : ip.includes(':');
      if (!ip.includes('*') && !isIp) throw illegalArgument(`invalid IP address [${ip}] for [${key}]`);
    }
  }
  try {
    if (WATERMARK_KEY.test(key)) parseWatermark(value, key);
    if (HEADROOM_KEY.test(key)) parseByteSize(value, key);
  } catch (err) {
    throw illegalArgument((err as Error).message);
  }
  const min = INT_SETTINGS[key];
  if (min !== undefined) {
    if (!/^-?\d+$/.test(value)) throw illegalArgument(`Failed to parse value [${value}] for setting [${key}]`);
    if (Number(value) < min) throw illegalArgument(`Failed to parse value [${value}] for setting [${key}] must be >= ${min}`);
  }
  if (key.startsWith(FORCE_PREFIX) && !/^[^.]+\.values$/.test(key.slice(FORCE_PREFIX.length))) {
    throw illegalArgument(`invalid forced awareness setting [${key}]`);
  }
}
