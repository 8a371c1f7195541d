// Topology a sandbox starts from: the StatefulSet's pods and zones, the indices, allocation settings, timings.
import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import { z } from 'zod';
import { parseByteSize } from '../domain/capacity/byte-size.js';
import { DEFAULT_ROLES, ROLE_LETTERS, type NodeDisk } from './model.js';

export interface Scenario {
  namespace: string; // k8s namespace, e.g. 'search'
  statefulSet: string; // e.g. 'es-data'; pods are `${statefulSet}-${ordinal}`
  zones: string[]; // zone of pod ordinal i; length = initial replicas
  newPodZones?: string[]; // zones handed out cyclically to pods created later (scale-out); default: cycle over distinct values of `zones`
  roles?: string[]; // node.roles of the StatefulSet's pods; default: Elasticsearch's default roles without master (data, ingest, ...)
  otherNodes?: OtherNode[]; // Elasticsearch nodes outside the StatefulSet: dedicated masters, other tiers, coordinating-only; default: see otherNodesOf
  indices: ScenarioIndex[];
  disk?: DiskSpec; // every node's data path; default 100gb, nothing but shards on it
  awareness?: { attributes: string[]; force?: Record<string, string[]> }; // cluster.routing.allocation.awareness.attributes / .force.<attr>.values
  settings?: { persistent?: Record<string, string>; transient?: Record<string, string> }; // extra initial cluster settings, flat keys
  timings?: { relocationMs?: number; recoveryMs?: number; podStartMs?: number; podStopMs?: number };
}

/** Bytes, as a number or as Elasticsearch writes them ("500gb", "1.5tb"). */
export type ByteSize = number | string;

export interface DiskSpec {
  total: ByteSize;
  other?: ByteSize; // used by something other than shard copies
}

export interface ScenarioIndex {
  name: string;
  primaries: number;
  replicas: number;
  shardSize?: ByteSize; // store size of each copy; default: a few MB derived from a document count
  settings?: Record<string, string>; // other index settings, flat, e.g. "index.routing.allocation.total_shards_per_node": "1"
}

/** An Elasticsearch node that is not a pod of the scaled StatefulSet (its pod belongs to another node set). */
export interface OtherNode {
  name: string;
  zone: string; // node.attr.zone
  roles: string[]; // node.roles; [] is a coordinating-only node
  disk?: DiskSpec; // default: the scenario's
}

/** Dedicated master-only nodes `es-master-<i>`, one per zone given, as ECK's master node set runs them. */
export function dedicatedMasters(zones: readonly string[]): OtherNode[] {
  return zones.map((zone, i) => ({ name: `es-master-${i}`, zone, roles: ['master'] }));
}

const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label: lowercase letters, digits and "-"');
const zone = z.string().min(1);
const millis = z.number().int().min(0);
const flatSettings = z.record(z.string().min(1), z.string());
const byteSize = z.union([z.number().int().min(0), z.string()]).superRefine((v, ctx) => {
  if (typeof v === 'number') return;
  try {
    if (parseByteSize(v, 'size') < 0) ctx.addIssue({ code: 'custom', message: 'must not be negative' });
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a byte size (e.g. 500gb)` });
  }
});
const diskSpec = z.strictObject({ total: byteSize, other: byteSize.optional() });
const roles = z
  .array(z.enum(Object.keys(ROLE_LETTERS) as [string, ...string[]]))
  .refine((r) => new Set(r).size === r.length, 'must not repeat a role');

const scenarioSchema = z
  .strictObject({
    namespace: dnsLabel,
    statefulSet: dnsLabel,
    zones: z.array(zone).min(1),
    newPodZones: z.array(zone).min(1).optional(),
    roles: roles.refine((r) => r.some((role) => role === 'data' || role.startsWith('data_')), 'the StatefulSet runs data nodes: needs data or a data_* tier').optional(),
    otherNodes: z.array(z.strictObject({ name: dnsLabel, zone, roles, disk: diskSpec.optional() })).optional(),
    disk: diskSpec.optional(),
    indices: z.array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a lowercase index name'),
        primaries: z.number().int().min(1),
        replicas: z.number().int().min(0),
        shardSize: byteSize.optional(),
        settings: flatSettings.optional(),
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
    const podName = new RegExp(`^${s.statefulSet}-\\d+$`);
    s.otherNodes?.forEach((node, i) => {
      if (podName.test(node.name)) ctx.addIssue({ code: 'custom', path: ['otherNodes', i, 'name'], message: `"${node.name}" is a name of the StatefulSet's pods` });
      if (s.otherNodes!.findIndex((other) => other.name === node.name) !== i) {
        ctx.addIssue({ code: 'custom', path: ['otherNodes', i, 'name'], message: `duplicate node name "${node.name}"` });
      }
    });
    s.indices.forEach((index, i) => {
      if (s.indices.findIndex((other) => other.name === index.name) !== i) {
        ctx.addIssue({ code: 'custom', path: ['indices', i, 'name'], message: `duplicate index name "${index.name}"` });
      }
    });
  });

const DEFAULT_DISK: DiskSpec = { total: '100gb' };

export function bytes(size: ByteSize): number {
  return typeof size === 'number' ? size : parseByteSize(size, 'size');
}

/** A node's disk from its spec, or the scenario's, or the default. */
export function nodeDisk(spec: DiskSpec | undefined): NodeDisk {
  const d = spec ?? DEFAULT_DISK;
  return { totalBytes: bytes(d.total), otherBytes: d.other === undefined ? 0 : bytes(d.other) };
}

/**
 * node.roles of the StatefulSet's pods. By default data nodes that are not master-eligible: production clusters
 * (and ECK's examples) run masters as their own node set, and es-scaler refuses to remove master-eligible nodes
 * unless configured.
 */
export function podRoles(s: Scenario): string[] {
  return s.roles ?? DEFAULT_ROLES.filter((r) => r !== 'master');
}

/** The nodes outside the StatefulSet: as given, plus three dedicated masters over the pods' zones when no node would be master-eligible otherwise. */
export function otherNodesOf(s: Scenario): OtherNode[] {
  const given = s.otherNodes ?? [];
  if (podRoles(s).includes('master') || given.some((n) => n.roles.includes('master'))) return given;
  const zones = [...new Set(s.zones)];
  return [...given, ...dedicatedMasters([0, 1, 2].map((i) => zones[i % zones.length]!))];
}

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
  // The incident topology as ECK runs it: three dedicated masters (one per zone, holding no shards) beside the
  // data nodes. es-master-0 lives in eu-central-1a but takes no copies, so es-data-6 still cannot drain.
  'incident-with-masters': {
    namespace: 'search',
    statefulSet: 'es-data',
    zones: INCIDENT_ZONES,
    roles: ['data', 'ingest'],
    otherNodes: dedicatedMasters(['eu-central-1a', 'eu-central-1b', 'eu-central-1c']),
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
