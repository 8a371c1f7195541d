// Reads and validates the config file. Every problem is reported with the path to the field,
// what was expected and what was found; a file with problems is never partly applied.
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config, type ConfigInput } from './schema.js';

export const CONFIG_ENV = 'ES_SCALER_CONFIG';
export const DEFAULT_CONFIG_PATH = 'es-scaler.yaml';

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function configPath(flag?: string): string {
  return flag ?? process.env[CONFIG_ENV] ?? DEFAULT_CONFIG_PATH;
}

export async function loadConfigFile(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  return parseConfigText(text, path);
}

export function parseConfigText(text: string, source = '<text>'): Config {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(source, doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`));
  }
  return parseConfig(doc.toJS() as unknown, source);
}

export function parseConfig(input: unknown, source = '<object>'): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(source, result.error.issues.map((issue) => describeIssue(issue, input)));
  return result.data;
}

/** For building configs in code (tests, demo) with the same validation as the file. */
export function defineConfig(input: ConfigInput): Config {
  return parseConfig(input);
}

/** Fields people reach for that deliberately do not exist, with where that setting lives instead. */
const FIELD_HINTS: Record<string, string> = {
  paused: 'pausing is operational state: use `es-scaler schedules pause`; `schedules apply` keeps it',
};

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const hints = issue.keys.flatMap((k) => (k in FIELD_HINTS ? [FIELD_HINTS[k]] : []));
    return `${path || '(top level)'}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}${hints.map((h) => ` (${h})`).join('')}`;
  }
  if (issue.code === 'invalid_key') {
    return `${path}: the name ${JSON.stringify(issue.path.at(-1))} is not allowed: ${issue.issues.map((i) => i.message).join('; ')}`;
  }
  if (issue.code === 'invalid_type' || issue.code === 'too_small' || issue.code === 'too_big' || issue.code === 'invalid_value') {
    const found = valueAt(input, issue.path);
    const what = issue.message.replace(/^Invalid (input|option): /, '').replace(/, received \w+$/, '');
    return `${path}: ${what}, found ${found === undefined ? 'nothing' : JSON.stringify(found)}`;
  }
  return `${path}: ${issue.message}`;
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
