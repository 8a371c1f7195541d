// startSandbox: a simulated Kubernetes API and Elasticsearch cluster on loopback, driven through the official clients.
// startSimulatedElasticsearch: the Elasticsearch half alone, for a world whose pods live elsewhere
// (the real-Kubernetes tier: a real StatefulSet's pods join it as nodes).
import { createApiToken } from './api-token.js';
import { startEsApi } from './es-api.js';
import { EsCluster, type ShardRow } from './es-cluster.js';
import { Faults, type RequestMatch } from './faults.js';
import type { RecordedRequest } from './http.js';
import { startK8sApi } from './k8s-api.js';
import { EventStore } from './k8s-events.js';
import { bytes, nodeDisk, otherNodesOf, parseScenario, podRoles, type Scenario } from './scenario.js';
import type { NodeDisk } from './model.js';
import { ClusterSettings, type FlatSettings } from './settings.js';
import { podInfo, StatefulSet, type NodeRuntime, type PodInfo, type PodPhase } from './statefulset.js';
import { Timers } from './timers.js';

export { dedicatedMasters, loadScenarioFile, parseScenario, scenarios, type OtherNode, type Scenario } from './scenario.js';
export type { ShardRow } from './es-cluster.js';
export type { RecordedRequest } from './http.js';
export type { RequestMatch } from './faults.js';
export type { NodeRuntime, PodInfo } from './statefulset.js';

export interface Sandbox {
  k8sUrl: string; // http://127.0.0.1:<port>
  k8sToken: string; // the bearer token the Kubernetes API requires (401 without it)
  k8sTokenFile: string; // the same token in a file, as a config's kubernetes.tokenFile names it
  esUrl: string;
  replicas(): number; // StatefulSet spec.replicas
  pods(): (PodInfo & { phase: PodPhase })[];
  esNodes(): { name: string; zone: string; ip: string; roles: string[] }[]; // every node, data or not, in join order
  settings(): { persistent: FlatSettings; transient: FlatSettings }; // flat keys
  exclusions(): Record<string, string>; // effective cluster.routing.allocation.exclude.* (transient overrides persistent)
  shards(): ShardRow[];
  health(): 'green' | 'yellow' | 'red';
  requests: RecordedRequest[]; // every HTTP request served (path includes the query string)
  events(): Record<string, unknown>[]; // events.k8s.io/v1 Events created through the API, oldest first
  faults: {
    latency(api: 'k8s' | 'es', ms: number, match?: RequestMatch): void; // added before every (matching) request of that API is handled; 0 clears
    failNext(api: 'k8s' | 'es', count: number, status?: number, match?: RequestMatch): void; // next N (matching) requests answer `status` (default 503) in that API's error format
    conflictNextScaleWrites(count: number): void; // next N PUT/PATCH on the scale subresource answer 409 Conflict
    stallRelocations(on: boolean): void; // relocations/recoveries stop progressing while on
  };
  restartPod(ordinal: number, zone?: string): Promise<void>;
  setDisk(node: string, disk: { totalBytes?: number; otherBytes?: number }): void; // resize a node's disk, or fill it with other data // new IP, optionally another zone; the ES node leaves and rejoins
  close(): Promise<void>; // stops servers and timers; idempotent
}

const DEFAULT_TIMINGS = { relocationMs: 300, recoveryMs: 200, podStartMs: 300, podStopMs: 200 };

/** The default NodeRuntime: a running pod is a simulated ES node named after it, with node.attr.zone = its zone. */
function simulatedNodes(cluster: EsCluster, roles: readonly string[], disk: NodeDisk): NodeRuntime {
  return {
    start: async (pod) => {
      cluster.addNode(pod.name, pod.ip, pod.zone, roles, disk);
    },
    stop: async (pod) => {
      cluster.removeNode(pod.name);
    },
  };
}

/** The node sets outside the StatefulSet. They were there first, so a dedicated master is the elected one. */
function addOtherNodes(cluster: EsCluster, s: Scenario): void {
  otherNodesOf(s).forEach((n, i) => cluster.addNode(n.name, `10.43.${Math.floor(i / 200)}.${10 + (i % 200)}`, n.zone, n.roles, nodeDisk(n.disk ?? s.disk)));
}

/** The scenario's indices, every copy started on the nodes present now. */
function createScenarioIndices(cluster: EsCluster, s: Scenario): void {
  for (const index of s.indices) {
    const settings = Object.fromEntries(Object.entries(index.settings ?? {}).map(([k, v]) => [k.replace(/^index\./, ''), v]));
    const shardBytes = index.shardSize === undefined ? undefined : bytes(index.shardSize);
    cluster.createIndex(index.name, index.primaries, index.replicas, { placeNow: true, settings, ...(shardBytes === undefined ? {} : { shardBytes }) });
  }
}

function initialSettings(s: Scenario): { persistent: FlatSettings; transient: FlatSettings } {
  const persistent: FlatSettings = {};
  if (s.awareness) {
    persistent['cluster.routing.allocation.awareness.attributes'] = s.awareness.attributes.join(',');
    for (const [attr, values] of Object.entries(s.awareness.force ?? {})) {
      persistent[`cluster.routing.allocation.awareness.force.${attr}.values`] = values.join(',');
    }
  }
  return { persistent: { ...persistent, ...s.settings?.persistent }, transient: { ...s.settings?.transient } };
}

type ClusterViews = Pick<Sandbox, 'esNodes' | 'settings' | 'exclusions' | 'shards' | 'health'>;

function clusterViews(cluster: EsCluster): ClusterViews {
  return {
    esNodes: () => cluster.nodes().map((n) => ({ name: n.name, zone: n.attributes.zone ?? '', ip: n.ip, roles: [...n.roles] })),
    settings: () => ({ persistent: { ...cluster.settings.persistent }, transient: { ...cluster.settings.transient } }),
    exclusions: () => Object.fromEntries(Object.entries(cluster.settings.group('cluster.routing.allocation.exclude')).filter(([, v]) => v !== '')),
    shards: () => cluster.shardRows(),
    health: () => cluster.health().status,
  };
}

export interface SandboxOptions {
  host?: string;
  /** Fixed ports (e.g. in docker-compose); free ones by default. */
  ports?: { k8s?: number; es?: number };
  nodeRuntime?: NodeRuntime;
  /** The Kubernetes API's bearer token (docker-compose shares one through a file); random by default. */
  k8sToken?: string;
}

export async function startSandbox(scenario: Scenario, opts: SandboxOptions = {}): Promise<Sandbox> {
  const s = parseScenario(scenario);
  const timings = { ...DEFAULT_TIMINGS, ...s.timings };
  const host = opts.host ?? '127.0.0.1';
  const timers = new Timers();
  const cluster = new EsCluster(new ClusterSettings(initialSettings(s)), timings);
  const sts = new StatefulSet({
    namespace: s.namespace,
    name: s.statefulSet,
    zones: s.zones,
    newPodZones: s.newPodZones ?? [...new Set(s.zones)],
    runtime: opts.nodeRuntime ?? simulatedNodes(cluster, podRoles(s), nodeDisk(s.disk)),
    timers,
    timings,
  });
  const faults = new Faults(timers, (on) => cluster.setStalled(on));
  const requests: RecordedRequest[] = [];
  const servers: { close(): Promise<void> }[] = [];
  const k8sToken = await createApiToken(opts.k8sToken);
  const shutdown = async (): Promise<void> => {
    sts.close();
    timers.close();
    await Promise.all(servers.map((srv) => srv.close()));
    await k8sToken.remove();
  };
  try {
    addOtherNodes(cluster, s);
    await sts.startInitialPods();
    createScenarioIndices(cluster, s);
    cluster.start(timers);
    const events = new EventStore();
    const k8s = await startK8sApi({ host, port: opts.ports?.k8s, sts, events, faults, requests, token: k8sToken.token });
    servers.push(k8s);
    const es = await startEsApi({ host, port: opts.ports?.es, cluster, faults, requests, timers });
    servers.push(es);
    let closing: Promise<void> | undefined;
    return {
      k8sUrl: k8s.url,
      k8sToken: k8sToken.token,
      k8sTokenFile: k8sToken.file,
      esUrl: es.url,
      replicas: () => sts.replicas,
      pods: () => sts.pods().map((p) => ({ ...podInfo(p), phase: p.phase })),
      ...clusterViews(cluster),
      requests,
      events: () => events.list(),
      faults: {
        latency: (api, ms, match) => faults.latency(api, ms, match),
        failNext: (api, count, status, match) => faults.failNext(api, count, status, match),
        conflictNextScaleWrites: (count) => faults.conflictNextScaleWrites(count),
        stallRelocations: (on) => faults.stallRelocations(on),
      },
      restartPod: (ordinal, zone) => sts.restartPod(ordinal, zone),
      setDisk: (node, disk) => cluster.setDisk(node, disk),
      close: () => (closing ??= shutdown()),
    };
  } catch (err) {
    await shutdown();
    throw err;
  }
}

/** The simulated Elasticsearch cluster alone; its nodes come and go through `nodes`. */
export interface SimulatedElasticsearch extends ClusterViews {
  esUrl: string;
  /** A pod that runs joins the cluster as a node named after it, in its zone; a stopped one leaves. */
  nodes: NodeRuntime;
  /** Creates the scenario's indices with every copy started, on the nodes present now. */
  createIndices(): void;
  requests: RecordedRequest[];
  stallRelocations(on: boolean): void;
  close(): Promise<void>;
}

/** Uses the scenario's indices, awareness, settings and timings; its pods are someone else's. */
export async function startSimulatedElasticsearch(
  scenario: Scenario,
  opts: Pick<SandboxOptions, 'host'> & { port?: number } = {},
): Promise<SimulatedElasticsearch> {
  const s = parseScenario(scenario);
  const timers = new Timers();
  const cluster = new EsCluster(new ClusterSettings(initialSettings(s)), { ...DEFAULT_TIMINGS, ...s.timings });
  const faults = new Faults(timers, (on) => cluster.setStalled(on));
  const requests: RecordedRequest[] = [];
  addOtherNodes(cluster, s);
  cluster.start(timers);
  let es: Awaited<ReturnType<typeof startEsApi>>;
  try {
    es = await startEsApi({ host: opts.host ?? '127.0.0.1', port: opts.port, cluster, faults, requests, timers });
  } catch (err) {
    timers.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    esUrl: es.url,
    nodes: simulatedNodes(cluster, podRoles(s), nodeDisk(s.disk)),
    createIndices: () => createScenarioIndices(cluster, s),
    ...clusterViews(cluster),
    requests,
    stallRelocations: (on) => faults.stallRelocations(on),
    close: () =>
      (closing ??= (async () => {
        timers.close();
        await es.close();
      })()),
  };
}
