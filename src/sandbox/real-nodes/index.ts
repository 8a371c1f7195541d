// Real-nodes mode of the sandbox: the simulated Kubernetes API and StatefulSet, whose pods are REAL
// Elasticsearch or OpenSearch node processes on loopback. es-scaler drives it exactly like the simulated mode (the
// kubeconfig server is `k8sUrl`, the Elasticsearch URL is `esUrl`), but allocation, deciders and
// allocation/explain are Elasticsearch's own.
import type { Client } from '@elastic/elasticsearch';
import { searchClient } from '../../activities/search-client.js';
import { createApiToken } from '../api-token.js';
import type { ShardRow } from '../es-cluster.js';
import { Faults } from '../faults.js';
import type { RecordedRequest } from '../http.js';
import { startK8sApi } from '../k8s-api.js';
import { EventStore } from '../k8s-events.js';
import { parseScenario, type Scenario } from '../scenario.js';
import type { FlatSettings } from '../settings.js';
import { podInfo, StatefulSet, type PodInfo, type PodPhase } from '../statefulset.js';
import { Timers } from '../timers.js';
import { fetchDistribution, type Distribution } from './distribution.js';
import { ENGINE_MATRIX, type EngineSpec } from './engines.js';
import { startRealNodes } from './runtime.js';

export { availability, fetchDistribution, insideCheckout, type Availability, type Distribution } from './distribution.js';
export { ENGINE_MATRIX, engineLabel, selectedEngines, type EngineSpec } from './engines.js';
export { startRealNodes, type RealNodes, type RealNodesOptions } from './runtime.js';

export interface RealClusterOptions {
  /** Which engine and version; default the first of the matrix (Elasticsearch 8). */
  engine?: EngineSpec;
  /** -Xms/-Xmx of every node; default $ES_HEAP or 128m. */
  heap?: string;
  /** Extra elasticsearch.yml settings for every node. */
  nodeSettings?: Record<string, string | number | boolean>;
  /** Progress lines (node started/stopped); default: none. */
  log?: (line: string) => void;
  /** Already fetched distribution (skips running fetch.sh again). */
  distribution?: Distribution;
  /** Aborting stops the start-up: the nodes started so far are stopped and startRealCluster rejects. */
  signal?: AbortSignal;
}

export interface RealNodeInfo {
  name: string;
  pid?: number;
  httpPort: number;
  transportPort: number;
  rssBytes: number;
}

export interface RealCluster {
  k8sUrl: string;
  /** The simulated Kubernetes API's bearer token, in a file (a config's kubernetes.tokenFile). */
  k8sTokenFile: string;
  /** HTTP of es-data-0: the only master-eligible node, which scale-in never removes. */
  esUrl: string;
  namespace: string;
  statefulSet: string;
  distribution: Distribution;
  /** The client es-scaler uses for this engine, on esUrl, for test setup (indexing, settings). */
  es: Client;
  /** Every request the Kubernetes API served. */
  requests: RecordedRequest[];
  /** events.k8s.io/v1 Events created through the Kubernetes API, oldest first. */
  events(): Record<string, unknown>[];
  replicas(): number;
  pods(): (PodInfo & { phase: PodPhase })[];
  /** The version every node reports (`_cat/nodes?h=version`), e.g. ["8.19.21"]. */
  versions(): Promise<string[]>;
  esNodes(): Promise<{ name: string; zone: string; ip: string }[]>;
  settings(): Promise<{ persistent: FlatSettings; transient: FlatSettings }>;
  exclusions(): Promise<Record<string, string>>; // effective cluster.routing.allocation.exclude.* (transient overrides persistent)
  shards(): Promise<ShardRow[]>;
  health(): Promise<'green' | 'yellow' | 'red'>;
  /** Scales the StatefulSet directly (test setup, not es-scaler) and waits until pods and nodes match. */
  scaleTo(replicas: number, timeoutMs?: number): Promise<void>;
  /** The running node processes; rssBytes covers the launcher and server JVMs of each. */
  nodes(): RealNodeInfo[];
  rssBytes(): number;
  /** Stops every node process and the Kubernetes API, removes the run dir; idempotent. */
  close(): Promise<void>;
}

/** Topologies small enough for real nodes on a laptop or CI runner. */
export const realScenarios: Record<string, Scenario> = {
  // The incident, smaller: es-data-3 is the only node of zone a and every shard has 3 copies, so under
  // awareness its copies cannot go anywhere else. A pod re-created by scale-out comes back in zone a.
  'incident-small': {
    namespace: 'search',
    statefulSet: 'es-data',
    zones: ['b', 'c', 'b', 'a'],
    newPodZones: ['a'],
    indices: [{ name: 'incident', primaries: 2, replicas: 2 }],
    awareness: { attributes: ['zone'] },
  },
};

function flatStrings(settings: Record<string, unknown> | undefined): FlatSettings {
  const out: FlatSettings = {};
  for (const [k, v] of Object.entries(settings ?? {})) out[k] = Array.isArray(v) ? v.join(',') : String(v);
  return out;
}

function initialSettings(s: Scenario): FlatSettings {
  const persistent: FlatSettings = {};
  if (s.awareness) {
    persistent['cluster.routing.allocation.awareness.attributes'] = s.awareness.attributes.join(',');
    for (const [attr, values] of Object.entries(s.awareness.force ?? {})) {
      persistent[`cluster.routing.allocation.awareness.force.${attr}.values`] = values.join(',');
    }
  }
  return { ...persistent, ...s.settings?.persistent };
}

/** `_cat/shards` prints a relocating copy's node as "source -> ip id target". */
function shardRow(row: Record<string, string | null | undefined>): ShardRow {
  const [node, moving] = (row.node ?? '').split(' -> ');
  return {
    index: row.index!,
    shard: Number(row.shard),
    prirep: row.prirep === 'p' ? 'p' : 'r',
    state: row.state as ShardRow['state'],
    ...(node ? { node } : {}),
    ...(moving ? { relocatingNode: moving.trim().split(' ').pop()! } : {}),
  };
}

async function waitFor(what: string, probe: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve().then(probe).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The scenario's cluster settings and indices, on the nodes running now; resolves once the cluster is green. */
export async function applyScenario(client: Client, scenario: Scenario): Promise<void> {
  const s = parseScenario(scenario);
  const persistent = initialSettings(s);
  if (Object.keys(persistent).length > 0) await client.cluster.putSettings({ persistent });
  if (s.settings?.transient && Object.keys(s.settings.transient).length > 0) await client.cluster.putSettings({ transient: s.settings.transient });
  for (const index of s.indices) {
    await client.indices.create({ index: index.name, settings: { number_of_shards: index.primaries, number_of_replicas: index.replicas } });
  }
  await client.cluster.health({ wait_for_status: 'green', wait_for_no_relocating_shards: true, timeout: '120s' });
}

/**
 * Starts the StatefulSet of `scenario` with one real Elasticsearch process per pod (es-data-0 is the only
 * master-eligible node), applies the scenario's cluster settings, creates its indices and waits for green.
 */
export async function startRealCluster(scenario: Scenario, opts: RealClusterOptions = {}): Promise<RealCluster> {
  const s = parseScenario(scenario);
  const fetched = opts.distribution ?? (await fetchDistribution(opts.engine ?? ENGINE_MATRIX[0]!));
  const nodes = startRealNodes({
    distribution: fetched,
    clusterName: `${s.namespace}-${s.statefulSet}`,
    ...(opts.heap ? { heap: opts.heap } : {}),
    ...(opts.nodeSettings ? { nodeSettings: opts.nodeSettings } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const { distribution, runtime } = nodes;

  const timers = new Timers();
  const sts = new StatefulSet({
    namespace: s.namespace,
    name: s.statefulSet,
    zones: s.zones,
    newPodZones: s.newPodZones ?? [...new Set(s.zones)],
    runtime,
    timers,
    timings: { podStartMs: s.timings?.podStartMs ?? 0, podStopMs: s.timings?.podStopMs ?? 0 },
  });
  const requests: RecordedRequest[] = [];
  let k8s: { url: string; close(): Promise<void> } | undefined;
  const k8sToken = await createApiToken();
  let es: Client | undefined;
  const shutdown = async (): Promise<void> => {
    sts.close();
    timers.close();
    await es?.close().catch(() => undefined);
    await k8s?.close();
    await k8sToken.remove();
    await nodes.close();
  };

  const abort = (): void => {
    for (const node of nodes.processes()) void node.stop();
  };
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    await sts.startInitialPods();
    opts.signal?.throwIfAborted();
    const esUrl = nodes.master()!.url;
    es = searchClient(distribution.engine, { node: esUrl, requestTimeout: 60_000 });
    const client = es;
    await applyScenario(client, s);
    const events = new EventStore();
    k8s = await startK8sApi({ host: '127.0.0.1', sts, events, faults: new Faults(timers, () => undefined), requests, token: k8sToken.token });

    const settings = async () => {
      const r = await client.cluster.getSettings({ flat_settings: true });
      return { persistent: flatStrings(r.persistent), transient: flatStrings(r.transient) };
    };
    const esNodes = async () => {
      const info = await client.nodes.info({ filter_path: 'nodes.*.name,nodes.*.ip,nodes.*.attributes' });
      return Object.values(info.nodes).map((n) => ({ name: n.name, zone: String((n.attributes ?? {}).zone ?? ''), ip: n.ip ?? '' }));
    };
    let closing: Promise<void> | undefined;
    const cluster: RealCluster = {
      k8sUrl: k8s.url,
      k8sTokenFile: k8sToken.file,
      esUrl,
      namespace: s.namespace,
      statefulSet: s.statefulSet,
      distribution,
      es: client,
      requests,
      events: () => events.list(),
      replicas: () => sts.replicas,
      pods: () => sts.pods().map((p) => ({ ...podInfo(p), phase: p.phase })),
      versions: async () => {
        const rows = (await client.cat.nodes({ h: 'version', format: 'json' })) as { version?: string }[];
        return [...new Set(rows.map((r) => r.version ?? '?'))].sort();
      },
      esNodes,
      settings,
      exclusions: async () => {
        const { persistent, transient } = await settings();
        const prefix = 'cluster.routing.allocation.exclude.';
        const out: Record<string, string> = {};
        for (const scope of [persistent, transient]) {
          for (const [k, v] of Object.entries(scope)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
        }
        return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== ''));
      },
      shards: async () => {
        const rows = (await client.cat.shards({ format: 'json', h: 'index,shard,prirep,state,node' })) as Record<string, string | null>[];
        return rows.map(shardRow);
      },
      health: async () => (await client.cluster.health()).status.toLowerCase() as 'green' | 'yellow' | 'red',
      scaleTo: async (replicas, timeoutMs = 180_000) => {
        sts.setReplicas(replicas);
        await waitFor(
          `${replicas} running pods and Elasticsearch nodes`,
          async () =>
            sts.pods().length === replicas &&
            sts.pods().every((p) => p.phase === 'Running') &&
            (await esNodes()).length === replicas,
          timeoutMs,
        );
      },
      nodes: () =>
        nodes.processes().map((n) => ({ name: n.spec.name, pid: n.pid, httpPort: n.httpPort, transportPort: n.transportPort, rssBytes: n.rssBytes() })),
      rssBytes: () => nodes.processes().reduce((sum, n) => sum + n.rssBytes(), 0),
      close: () => (closing ??= shutdown()),
    };
    return cluster;
  } catch (err) {
    await shutdown();
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', abort);
  }
}
