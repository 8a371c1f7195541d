// Topology a sandbox starts from: the StatefulSet's pods and zones, the indices, allocation settings, timings.
import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import { z } from 'zod';

export interface Scenario {
  namespace: string; // k8s namespace, e.g. 'search'
  statefulSet: string; // e.g. 'es-data'; pods are `${statefulSet}-${ordinal}`
  zones: string[]; // zone of pod ordinal i; length = initial replicas
  newPodZones?: string[]; // zones handed out cyclically to pods created later (scale-out); default: cycle over distinct values of `zones`
  indices: { name: string; primaries: number; replicas: number }[];
  awareness?: { attributes: string[]; force?: Record<string, string[]> }; // cluster.routing.allocation.awareness.attributes / .force.<attr>.values
  settings?: { persistent?: Record<string, string>; transient?: Record<string, string> }; // extra initial cluster settings, flat keys
  timings?: { relocationMs?: number; recoveryMs?: number; podStartMs?: number; podStopMs?: number };
}

const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label: lowercase letters, digits and "-"');
const zone = z.string().min(1);
const millis = z.number().int().min(0);
const flatSettings = z.record(z.string().min(1), z.string());

const scenarioSchema = z
  .strictObject({
    namespace: dnsLabel,
    statefulSet: dnsLabel,
    zones: z.array(zone).min(1),
    newPodZones: z.array(zone).min(1).optional(),
    indices: z.array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a lowercase index name'),
        primaries: z.number().int().min(1),
        replicas: z.number().int().min(0),
      }),
    ),
    awareness: z
      .strictObject({
        attributes: z.array(z.string().min(1)).min(1),
        force: z.record(z.string().min(1), z.array(zone).min(1)).optional(),
      })
      .optional(),
    settings: z.strictObject({ persistent: flatSettings.optional(), transient: flatSettings.optional() }).optional(),
    timings: z
      .strictObject({ relocationMs: millis.optional(), recoveryMs: millis.optional(), podStartMs: millis.optional(), podStopMs: millis.optional() })
      .optional(),
  })
  .superRefine((s, ctx) => {
    s.indices.forEach((index, i) => {
      if (s.indices.findIndex((other) => other.name === index.name) !== i) {
        ctx.addIssue({ code: 'custom', path: ['indices', i, 'name'], message: `duplicate index name "${index.name}"` });
      }
    });
  });

/** Validates topology data (e.g. from a YAML/JSON file); the error names every offending field. */
export function parseScenario(input: unknown): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  throw new Error(`invalid scenario: ${problems.join('; ')}`);
}

export async function loadScenarioFile(path: string): Promise<Scenario> {
  let data: unknown;
  try {
    data = YAML.parse(await readFile(path, 'utf8')); // YAML is a superset of JSON
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
  try {
    return parseScenario(data);
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}

const INCIDENT_ZONES = ['eu-central-1b', 'eu-central-1c', 'eu-central-1b', 'eu-central-1c', 'eu-central-1c', 'eu-central-1c', 'eu-central-1a'];

export const scenarios: Record<string, Scenario> = {
  // The night of the post-mortem: es-data-6 is the only node in eu-central-1a and every shard has 3 copies,
  // so awareness allows one copy per zone and es-data-6's copies cannot go anywhere else.
  incident: {
    namespace: 'search',
    statefulSet: 'es-data',
    zones: INCIDENT_ZONES,
    indices: [
      { name: 'articles', primaries: 5, replicas: 2 },
      { name: 'catalog', primaries: 3, replicas: 2 },
    ],
    awareness: { attributes: ['zone'] },
  },
  // Eight pods over three zones with one replica: any single node drains.
  'even-8': {
    namespace: 'search',
    statefulSet: 'es-data',
    zones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c', 'eu-central-1a', 'eu-central-1b', 'eu-central-1c', 'eu-central-1a', 'eu-central-1b'],
    indices: [
      { name: 'articles', primaries: 6, replicas: 1 },
      { name: 'catalog', primaries: 2, replicas: 1 },
    ],
    awareness: { attributes: ['zone'] },
  },
};
