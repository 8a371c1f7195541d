// Offline validation of Kubernetes manifests, for the deploy tests (dev dependencies only; the
// worker never imports this module).
//
// Two checks per object, both driven by the Kubernetes OpenAPI definitions, none hand-written:
// - schema: the kubernetes-models class for the object's apiVersion and kind validates types,
//   required fields, enums and formats;
// - unknown fields: the OpenAPI definitions allow extra properties, so a misspelt field such as
//   `readOnlyRootFilesytem` would pass the schema and be dropped by the API server. The official
//   client's generated models (@kubernetes/client-node) keep only the fields the API defines, so
//   a field lost in a round trip through them is unknown to Kubernetes.
// Prometheus Operator objects (ServiceMonitor, PrometheusRule) get the schema check only, from
// @kubernetes-models/prometheus-operator: the client has no models for custom resources.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
// Not re-exported by the package index; the package has no "exports" map, so the path is public.
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface LoadedDocument {
  file: string;
  /** 0-based position of the document in its file. */
  index: number;
  object: KubernetesObject;
}

/** Parses every YAML document of a file (Kubernetes reads YAML 1.1), skipping empty ones. */
export async function loadYamlDocuments(file: string): Promise<LoadedDocument[]> {
  const text = await readFile(file, 'utf8');
  const docs = parseAllDocuments(text, { version: '1.1', prettyErrors: true });
  if (!Array.isArray(docs)) throw new Error(`${file}: not a YAML stream`);
  const out: LoadedDocument[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${file} document ${index}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const object = doc.toJS() as unknown;
    if (object === null || object === undefined) return;
    if (typeof object !== 'object' || Array.isArray(object)) throw new Error(`${file} document ${index}: expected a mapping`);
    const candidate = object as Partial<KubernetesObject>;
    if (typeof candidate.apiVersion !== 'string' || typeof candidate.kind !== 'string') {
      throw new Error(`${file} document ${index}: missing apiVersion or kind`);
    }
    out.push({ file, index, object: candidate as KubernetesObject });
  });
  return out;
}

/**
 * Problems with one object, empty when it is valid. Throws when no model exists for its
 * apiVersion and kind (a typo there is a problem too, but it is better reported loudly).
 */
export async function validateKubernetesObject(object: KubernetesObject): Promise<string[]> {
  const problems: string[] = [];
  const Model = await modelClass(object.apiVersion, object.kind);
  try {
    new Model(object).validate();
  } catch (err) {
    problems.push(`schema: ${(err as Error).message}`);
  }
  if (!isPrometheusOperatorKind(object.apiVersion)) for (const path of unknownFields(object)) problems.push(`unknown field: ${path}`);
  return problems;
}

/** Paths of the fields that the Kubernetes API does not define for this object's kind. */
export function unknownFields(object: KubernetesObject): string[] {
  const type = clientModelName(object.apiVersion, object.kind);
  const typed: unknown = ObjectSerializer.deserialize(object, type, '');
  if (typed === object || typed === undefined) throw new Error(`no @kubernetes/client-node model ${type}`);
  const roundTripped: unknown = ObjectSerializer.serialize(typed, type, '');
  const out: string[] = [];
  collectDropped(object, roundTripped, '', out);
  return out;
}

type ModelConstructor = new (data: unknown) => { validate(): void };

async function modelClass(apiVersion: string, kind: string): Promise<ModelConstructor> {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    throw new Error(`not a Kubernetes apiVersion/kind: ${apiVersion} ${kind}`);
  }
  const specifier = isPrometheusOperatorKind(apiVersion)
    ? `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`
    : `kubernetes-models/${apiVersion}/${kind}`;
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`no kubernetes-models model for ${apiVersion} ${kind}: ${(err as Error).message}`);
  }
  const Model = module[kind];
  if (typeof Model !== 'function') throw new Error(`kubernetes-models/${apiVersion} has no ${kind}`);
  return Model as ModelConstructor;
}

function isPrometheusOperatorKind(apiVersion: string): boolean {
  return apiVersion.startsWith('monitoring.coreos.com/');
}

/** `apps/v1` + `Deployment` -> `V1Deployment`, the client's generated model name. */
function clientModelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop() ?? apiVersion;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

function collectDropped(original: unknown, kept: unknown, path: string, out: string[]): void {
  if (Array.isArray(original)) {
    const keptArray = Array.isArray(kept) ? kept : [];
    original.forEach((item, i) => collectDropped(item, keptArray[i], `${path}[${i}]`, out));
    return;
  }
  if (original === null || typeof original !== 'object') return;
  const keptObject = kept !== null && typeof kept === 'object' ? (kept as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(original as Record<string, unknown>)) {
    const childPath = path ? `${path}.${key}` : key;
    if (!(key in keptObject)) {
      out.push(childPath);
      continue;
    }
    collectDropped(value, keptObject[key], childPath, out);
  }
}

export interface Kustomization {
  namespace?: string;
  resources?: string[];
}

export async function loadKustomization(dir: string): Promise<Kustomization> {
  return parse(await readFile(join(dir, 'kustomization.yaml'), 'utf8'), { version: '1.1' }) as Kustomization;
}

/** The objects of a kustomize base's `resources` files, as written (without the kustomization's namespace). */
export async function loadKustomizeResources(dir: string): Promise<LoadedDocument[]> {
  const docs: LoadedDocument[] = [];
  for (const file of (await loadKustomization(dir)).resources ?? []) docs.push(...(await loadYamlDocuments(join(dir, file))));
  return docs;
}
