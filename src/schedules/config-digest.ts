// A short fingerprint of what a deployment's config file asks for (its clusters and task queue,
// as validated, so formatting and comments do not count), written on every schedule it reconciles.
// `schedules apply` compares it with its own file's to tell that the cluster runs another config.
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';

export function configDigest(config: Config): string {
  const meaning = { taskQueue: config.temporal.taskQueue, clusters: config.clusters };
  return createHash('sha256').update(canonicalJson(meaning)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted, so equal configs give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
