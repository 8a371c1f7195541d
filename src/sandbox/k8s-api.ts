// The Kubernetes API subset es-scaler uses: StatefulSet (+ scale subresource), pods, nodes and Events, with Status errors.
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import type { Faults } from './faults.js';
import type { EventStore } from './k8s-events.js';
import { HttpError, Router, startApiServer, type ApiRequest, type ApiResponse, type ApiServer, type RecordedRequest } from './http.js';
import type { K8sNode, Pod, StatefulSet } from './statefulset.js';

export interface K8sApiOptions {
  host: string;
  port?: number;
  sts: StatefulSet;
  events: EventStore;
  faults: Faults;
  requests: RecordedRequest[];
  /** The bearer token every request must carry, as a real API server with authentication does. */
  token: string;
}

type Json = Record<string, unknown>;

/** A metav1.Status error. */
function statusResponse(code: number, reason: string, message: string, details: Json = {}): ApiResponse {
  return { status: code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code } };
}

class StatusError extends HttpError {
  constructor(code: number, reason: string, message: string, details: Json = {}) {
    super(statusResponse(code, reason, message, details));
  }
}

const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout' };

export function startK8sApi(opts: K8sApiOptions): Promise<ApiServer> {
  const api = new K8sApi(opts.sts, opts.events, opts.faults);
  const sts = '/apis/apps/v1/namespaces/:ns/statefulsets';
  const events = '/apis/events.k8s.io/v1/namespaces/:ns/events';
  const router = new Router()
    .on('GET', '/version', () => api.version())
    .on('GET', '/api/v1/nodes', (r) => api.listNodes(r))
    .on('GET', '/api/v1/nodes/:name', (r) => api.getNode(r))
    .on('GET', '/api/v1/pods', (r) => api.listPods(r))
    .on('GET', '/api/v1/namespaces/:ns/pods', (r) => api.listPods(r))
    .on('GET', '/api/v1/namespaces/:ns/pods/:name', (r) => api.getPod(r))
    .on('GET', sts, (r) => api.listStatefulSets(r))
    .on('GET', `${sts}/:name`, (r) => api.getStatefulSet(r))
    .on('GET', `${sts}/:name/scale`, (r) => api.getScale(r))
    .on('PUT', `${sts}/:name/scale`, (r) => api.putScale(r))
    .on('PATCH', `${sts}/:name/scale`, (r) => api.patchScale(r))
    .on('GET', '/apis/events.k8s.io/v1/events', () => api.listEvents())
    .on('GET', events, (r) => api.listEvents(r.params.ns))
    .on('POST', events, (r) => api.createEvent(r));
  return startApiServer({
    api: 'k8s',
    host: opts.host,
    port: opts.port,
    router,
    requests: opts.requests,
    headers: {},
    before: async (req) =>
      unauthenticated(req, opts.token) ??
      opts.faults.before('k8s', req, (code) => statusResponse(code, REASONS[code] ?? 'InternalError', `injected fault (HTTP ${code})`)),
    notFound: () => statusResponse(404, 'NotFound', 'the server could not find the requested resource'),
    methodNotAllowed: () => statusResponse(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
    internalError: (err) => statusResponse(500, 'InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`),
  });
}

function unauthenticated(req: ApiRequest, token: string): ApiResponse | undefined {
  if (req.headers.authorization === `Bearer ${token}`) return undefined;
  return statusResponse(401, 'Unauthorized', 'Unauthorized');
}

class K8sApi {
  constructor(
    private readonly sts: StatefulSet,
    private readonly events: EventStore,
    private readonly faults: Faults,
  ) {}

  listEvents(namespace?: string): ApiResponse {
    return list('EventList', 'events.k8s.io/v1', this.sts.latestResourceVersion(), this.events.list(namespace));
  }

  createEvent(req: ApiRequest): ApiResponse {
    const namespace = req.params.ns!;
    const body = asJson(parseJson(req.body));
    const name = String(asJson(body.metadata ?? {}).name ?? '');
    if (this.events.exists(namespace, name)) {
      throw new StatusError(409, 'AlreadyExists', `events.events.k8s.io "${name}" already exists`, { name, group: 'events.k8s.io', kind: 'events' });
    }
    const created = this.events.create(namespace, body, String(this.sts.latestResourceVersion()));
    if ('causes' in created) {
      const summary = created.causes.map((c) => `${c.field}: ${c.message}`).join(', ');
      throw new StatusError(422, 'Invalid', `Event.events.k8s.io "${name}" is invalid: ${summary}`, { name, group: 'events.k8s.io', kind: 'Event', causes: created.causes });
    }
    return { status: 201, body: created.event };
  }

  version(): ApiResponse {
    return { status: 200, body: { major: '1', minor: '28', gitVersion: 'v1.28.15', goVersion: 'go1.22.8', compiler: 'gc', platform: 'linux/amd64' } };
  }

  listNodes(req: ApiRequest): ApiResponse {
    const items = this.sts.nodes().filter(selectorFilter(req, nodeLabels, { 'metadata.name': (n) => n.name }));
    return list('NodeList', 'v1', this.sts.latestResourceVersion(), items.map((n) => nodeJson(n)));
  }

  getNode(req: ApiRequest): ApiResponse {
    const node = this.sts.nodes().find((n) => n.name === req.params.name);
    if (!node) throw new StatusError(404, 'NotFound', `nodes "${req.params.name}" not found`, { name: req.params.name, kind: 'nodes' });
    return { status: 200, body: { kind: 'Node', apiVersion: 'v1', ...nodeJson(node) } };
  }

  listPods(req: ApiRequest): ApiResponse {
    const inNamespace = req.params.ns === undefined || req.params.ns === this.sts.namespace;
    const fields: FieldGetters<Pod> = {
      'metadata.name': (p) => p.name,
      'metadata.namespace': () => this.sts.namespace,
      'spec.nodeName': (p) => p.nodeName,
      'status.phase': (p) => (p.phase === 'Terminating' ? 'Running' : p.phase),
    };
    const items = inNamespace ? this.sts.pods().filter(selectorFilter(req, (p) => this.podLabels(p), fields)) : [];
    return list('PodList', 'v1', this.sts.latestResourceVersion(), items.map((p) => this.podJson(p)));
  }

  getPod(req: ApiRequest): ApiResponse {
    const pod = req.params.ns === this.sts.namespace ? this.sts.pods().find((p) => p.name === req.params.name) : undefined;
    if (!pod) throw new StatusError(404, 'NotFound', `pods "${req.params.name}" not found`, { name: req.params.name, kind: 'pods' });
    return { status: 200, body: { kind: 'Pod', apiVersion: 'v1', ...this.podJson(pod) } };
  }

  listStatefulSets(req: ApiRequest): ApiResponse {
    const items = req.params.ns === this.sts.namespace ? [this.statefulSetJson()] : [];
    return list('StatefulSetList', 'apps/v1', this.sts.latestResourceVersion(), items);
  }

  getStatefulSet(req: ApiRequest): ApiResponse {
    this.requireStatefulSet(req);
    return { status: 200, body: { kind: 'StatefulSet', apiVersion: 'apps/v1', ...this.statefulSetJson() } };
  }

  getScale(req: ApiRequest): ApiResponse {
    this.requireStatefulSet(req);
    return { status: 200, body: this.scaleJson() };
  }

  putScale(req: ApiRequest): ApiResponse {
    this.requireStatefulSet(req);
    return this.writeScale(req, parseJson(req.body));
  }

  /** The patch is applied to the current Scale object, which is then written like a PUT. */
  patchScale(req: ApiRequest): ApiResponse {
    this.requireStatefulSet(req);
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const current = this.scaleJson();
    switch (type) {
      case 'application/json-patch+json':
        return this.writeScale(req, applyJsonPatch(current, parseJson(req.body)));
      case 'application/merge-patch+json':
      case 'application/strategic-merge-patch+json': // a Scale has no lists, so strategic merge is a plain merge
        return this.writeScale(req, mergePatch(current, parseJson(req.body)));
      case 'application/apply-patch+yaml':
        if (!req.query.get('fieldManager')) throw new StatusError(400, 'BadRequest', 'PATCH /apply requires fieldManager to be set');
        return this.writeScale(req, mergePatch(current, parseYaml(req.body)));
      default:
        throw new StatusError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        );
    }
  }

  private writeScale(req: ApiRequest, desired: unknown): ApiResponse {
    const name = this.sts.name;
    const conflict = (): StatusError =>
      new StatusError(409, 'Conflict', `Operation cannot be fulfilled on statefulsets.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`, {
        name,
        group: 'apps',
        kind: 'statefulsets',
      });
    if (this.faults.takeScaleConflict()) throw conflict();
    const obj = asJson(desired);
    const meta = asJson(obj.metadata ?? {});
    if (meta.name !== undefined && meta.name !== name) {
      throw new StatusError(400, 'BadRequest', `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
    }
    const rv = meta.resourceVersion;
    if (rv !== undefined && rv !== '' && String(rv) !== String(this.sts.resourceVersion)) throw conflict();
    const replicas = asJson(obj.spec ?? {}).replicas ?? 0; // an omitted spec.replicas is 0, as on a real API server
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0 || replicas > 2 ** 31 - 1) {
      const why = typeof replicas === 'number' && Number.isInteger(replicas) ? 'must be greater than or equal to 0' : 'must be an integer';
      const cause = `Invalid value: ${JSON.stringify(replicas)}: ${why}`;
      throw new StatusError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: ${cause}`, {
        name,
        group: 'autoscaling',
        kind: 'Scale',
        causes: [{ reason: 'FieldValueInvalid', message: cause, field: 'spec.replicas' }],
      });
    }
    if (req.query.get('dryRun') === 'All') return { status: 200, body: this.scaleJson(replicas) };
    this.sts.setReplicas(replicas);
    return { status: 200, body: this.scaleJson() };
  }

  private requireStatefulSet(req: ApiRequest): void {
    if (req.params.ns !== this.sts.namespace || req.params.name !== this.sts.name) {
      throw new StatusError(404, 'NotFound', `statefulsets.apps "${req.params.name}" not found`, { name: req.params.name, group: 'apps', kind: 'statefulsets' });
    }
  }

  private objectMeta(): Json {
    return {
      name: this.sts.name,
      namespace: this.sts.namespace,
      uid: this.sts.uid,
      resourceVersion: String(this.sts.resourceVersion),
      creationTimestamp: timestamp(this.sts.createdAt),
    };
  }

  private scaleJson(replicas = this.sts.replicas): Json {
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: this.objectMeta(),
      spec: { replicas },
      status: { replicas: this.sts.pods().length, selector: `app=${this.sts.name}` },
    };
  }

  private statefulSetJson(): Json {
    const s = this.sts;
    const labels = { app: s.name };
    const podCount = s.pods().length;
    const ready = s.readyReplicas();
    return {
      metadata: { ...this.objectMeta(), generation: s.generation, labels },
      spec: {
        replicas: s.replicas,
        selector: { matchLabels: labels },
        serviceName: s.name,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        template: { metadata: { labels }, spec: { containers: [containerSpec()] } },
      },
      status: {
        observedGeneration: s.generation,
        replicas: podCount,
        readyReplicas: ready,
        availableReplicas: ready,
        currentReplicas: podCount,
        updatedReplicas: podCount,
        currentRevision: revision(s.name),
        updateRevision: revision(s.name),
        collisionCount: 0,
      },
    };
  }

  private podLabels(p: Pod): Record<string, string> {
    return {
      app: this.sts.name,
      'apps.kubernetes.io/pod-index': String(p.ordinal),
      'controller-revision-hash': revision(this.sts.name),
      'statefulset.kubernetes.io/pod-name': p.name,
    };
  }

  private podJson(p: Pod): Json {
    const running = p.phase !== 'Pending';
    const ready = p.phase === 'Running';
    const condition = (type: string, ok: boolean): Json => ({ type, status: ok ? 'True' : 'False', lastTransitionTime: timestamp(p.startedAt ?? p.createdAt) });
    return {
      metadata: {
        name: p.name,
        generateName: `${this.sts.name}-`,
        namespace: this.sts.namespace,
        uid: p.uid,
        resourceVersion: String(p.resourceVersion),
        creationTimestamp: timestamp(p.createdAt),
        ...(p.deletedAt ? { deletionTimestamp: timestamp(p.deletedAt), deletionGracePeriodSeconds: 120 } : {}),
        labels: this.podLabels(p),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: this.sts.name, uid: this.sts.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        nodeName: p.nodeName,
        hostname: p.name,
        subdomain: this.sts.name,
        containers: [containerSpec()],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 120,
      },
      status: {
        phase: running ? 'Running' : 'Pending', // a terminating pod stays Running until it is gone
        hostIP: p.hostIP,
        ...(running ? { podIP: p.ip, podIPs: [{ ip: p.ip }], startTime: timestamp(p.startedAt ?? p.createdAt) } : {}),
        conditions: [condition('PodScheduled', true), condition('Initialized', true), condition('ContainersReady', ready), condition('Ready', ready)],
        containerStatuses: [
          {
            name: 'elasticsearch',
            image: IMAGE,
            imageID: '',
            ready,
            started: running,
            restartCount: 0,
            state: running ? { running: { startedAt: timestamp(p.startedAt ?? p.createdAt) } } : { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      },
    };
  }
}

const IMAGE = 'docker.elastic.co/elasticsearch/elasticsearch:8.19.0';

function containerSpec(): Json {
  return {
    name: 'elasticsearch',
    image: IMAGE,
    ports: [
      { name: 'http', containerPort: 9200, protocol: 'TCP' },
      { name: 'transport', containerPort: 9300, protocol: 'TCP' },
    ],
  };
}

function revision(name: string): string {
  return `${name}-7d9f5c6b8`;
}

function nodeLabels(n: K8sNode): Record<string, string> {
  return {
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'topology.kubernetes.io/zone': n.zone,
    'topology.kubernetes.io/region': n.zone.replace(/(\d)[a-z]$/, '$1'), // eu-central-1b → eu-central-1
  };
}

function nodeJson(n: K8sNode): Json {
  return {
    metadata: { name: n.name, uid: n.uid, resourceVersion: String(n.resourceVersion), creationTimestamp: timestamp(n.createdAt), labels: nodeLabels(n) },
    spec: { providerID: `aws:///${n.zone}/i-${n.uid.replace(/-/g, '').slice(0, 17)}` },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastTransitionTime: timestamp(n.createdAt) }],
      addresses: [
        { type: 'InternalIP', address: n.ip },
        { type: 'Hostname', address: n.name },
      ],
      nodeInfo: { kubeletVersion: 'v1.28.15', containerRuntimeVersion: 'containerd://1.7.22', osImage: 'Amazon Linux 2', operatingSystem: 'linux', architecture: 'amd64' },
    },
  };
}

function list(kind: string, apiVersion: string, resourceVersion: number, items: Json[]): ApiResponse {
  return { status: 200, body: { kind, apiVersion, metadata: { resourceVersion: String(resourceVersion) }, items } };
}

/** RFC 3339 with seconds, as the API server writes metav1.Time. */
function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw new StatusError(400, 'BadRequest', `error decoding request body: ${(err as Error).message}`);
  }
}

function parseYaml(body: string): unknown {
  try {
    return YAML.parse(body) as unknown;
  } catch (err) {
    throw new StatusError(400, 'BadRequest', `error decoding YAML: ${(err as Error).message}`);
  }
}

function asJson(v: unknown): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new StatusError(400, 'BadRequest', 'the request body must be a JSON object');
  return v as Json;
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Json = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** RFC 6902 JSON patch: add, replace, remove and test. */
function applyJsonPatch(doc: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw new StatusError(400, 'BadRequest', 'a JSON patch must be an array of operations');
  const result = structuredClone(doc);
  const invalid = (message: string): StatusError => new StatusError(422, 'Invalid', message);
  for (const raw of ops) {
    const op = asJson(raw);
    if (typeof op.path !== 'string' || !op.path.startsWith('/')) throw invalid(`invalid JSON patch path: ${JSON.stringify(op.path)}`);
    const keys = op.path.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent: unknown = result;
    for (const k of keys) parent = typeof parent === 'object' && parent !== null ? (parent as Json)[k] : undefined;
    if (typeof parent !== 'object' || parent === null) throw invalid(`${String(op.op)} operation does not apply: doc is missing path: ${op.path}`);
    const container = parent as Json;
    switch (op.op) {
      case 'add':
        container[last] = op.value;
        break;
      case 'replace':
        if (!(last in container)) throw invalid(`replace operation does not apply: doc is missing key: ${op.path}`);
        container[last] = op.value;
        break;
      case 'remove':
        if (!(last in container)) throw invalid(`remove operation does not apply: doc is missing key: ${op.path}`);
        delete container[last];
        break;
      case 'test':
        if (!isDeepStrictEqual(container[last], op.value)) throw invalid(`testing value ${op.path} failed`);
        break;
      default:
        throw invalid(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return result;
}

type FieldGetters<T> = Record<string, (item: T) => string>;

interface Requirement {
  key: string;
  op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!exists';
  values: string[];
}

/** labelSelector (equality, set-based and existence terms) and fieldSelector (equality on the given fields). */
function selectorFilter<T>(req: ApiRequest, labels: (item: T) => Record<string, string>, fields: FieldGetters<T>): (item: T) => boolean {
  const labelReqs = parseSelector(req.query.get('labelSelector') ?? '');
  const fieldReqs = parseSelector(req.query.get('fieldSelector') ?? '');
  for (const r of fieldReqs) {
    if (!fields[r.key] || (r.op !== '=' && r.op !== '!=')) throw new StatusError(400, 'BadRequest', `field label not supported: ${r.key}`);
  }
  return (item) => {
    const fieldValues: Record<string, string> = {};
    for (const r of fieldReqs) fieldValues[r.key] = fields[r.key]!(item);
    return labelReqs.every((r) => satisfies(r, labels(item))) && fieldReqs.every((r) => satisfies(r, fieldValues));
  };
}

function satisfies(r: Requirement, values: Record<string, string>): boolean {
  const v = values[r.key];
  switch (r.op) {
    case 'exists':
      return v !== undefined;
    case '!exists':
      return v === undefined;
    case '=':
    case 'in':
      return v !== undefined && r.values.includes(v);
    case '!=':
    case 'notin':
      return v === undefined || !r.values.includes(v);
  }
}

function parseSelector(selector: string): Requirement[] {
  const terms = selector.split(/,(?![^(]*\))/).map((t) => t.trim()).filter((t) => t !== '');
  return terms.map((term): Requirement => {
    let m: RegExpExecArray | null;
    if ((m = /^!\s*([\w./-]+)$/.exec(term))) return { key: m[1]!, op: '!exists', values: [] };
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term))) {
      return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()) };
    }
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term))) return { key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] };
    if ((m = /^([\w./-]+)$/.exec(term))) return { key: m[1]!, op: 'exists', values: [] };
    throw new StatusError(400, 'BadRequest', `unable to parse requirement: ${term}`);
  });
}
