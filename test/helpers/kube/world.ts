// A test world on a real Kubernetes control plane: deploy/kubernetes/base applied in a namespace of
// its own, a real Elasticsearch StatefulSet whose Running pods are nodes of a simulated
// Elasticsearch cluster, or real Elasticsearch processes (through the test kubelet), and the es-scaler worker as its own process
// with exactly the Deployment's ServiceAccount token, through the in-cluster configuration path.
// Every assertion helper reads the Kubernetes and Elasticsearch REST APIs.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { effectiveExclusions } from '../../../src/domain/exclusion-list.js';
import { readSettings } from '../../../src/activities/elasticsearch.js';
import { startSimulatedElasticsearch, type NodeRuntime, type SimulatedElasticsearch } from '../../../src/sandbox/index.js';
import type { Scenario } from '../../../src/sandbox/scenario.js';
import { eventually } from '../eventually.js';
import { Harness, harnessConfig, type ClusterInput } from '../harness.js';
import { WorkerProcess } from '../worker-process.js';
import type { ControlPlane } from './control-plane.js';
import { applyDeployBase, inClusterEnvironment, mountServiceAccount, type ApplyOptions } from './deploy.js';
import { elasticsearchStatefulSet, isRunning, labelSelectorOf, placePods, type PodManagementPolicy } from './elasticsearch-statefulset.js';
import { startTestKubelet, type TestKubelet } from './kubelet.js';
import { startSlowLink } from './slow-link.js';

export const KUBE_CLUSTER = 'production';

/** What the StatefulSet's pods run: nodes of the simulated Elasticsearch (the default), or real processes. */
export interface PodElasticsearch {
  /** Where the worker and the assertions reach Elasticsearch. */
  esUrl: string;
  /** Driven by the test kubelet: a Running pod starts a node, a terminating pod stops it. */
  nodes: NodeRuntime;
  /** The scenario's indices, once every pod's node runs. */
  createIndices(): void | Promise<void>;
  close(): Promise<void>;
}

export interface KubeWorldOptions {
  scenario: Scenario;
  /** How long every initial pod's node may take to start; default 15 s (simulated nodes start at once). */
  nodesStartMs?: number;
  cluster?: Partial<ClusterInput>;
  podManagementPolicy?: PodManagementPolicy;
  /** Network latency from the worker to the API server (each request arrives this much later). */
  apiLatencyMs?: number;
  /** Changes to the Role of deploy/kubernetes/base for this world (the RBAC tests). */
  rolePatch?: ApplyOptions['rolePatch'];
}

export interface PodState {
  name: string;
  phase?: string;
  terminating: boolean;
  nodeName?: string;
}

export class KubeWorld<E extends PodElasticsearch = SimulatedElasticsearch> extends Harness {
  private readonly cleanups: (() => Promise<unknown>)[] = [];
  readonly apps: AppsV1Api;
  readonly core: CoreV1Api;
  readonly esClient: ElasticsearchClient;
  namespace = '';
  statefulSet = '';
  es!: E;
  kubelet!: TestKubelet;
  private serviceAccountRoot = '';
  private workerEnvironment: NodeJS.ProcessEnv = {};
  private tempDir = '';

  private constructor(
    readonly controlPlane: ControlPlane,
    config: ConstructorParameters<typeof Harness>[1],
    temporal: ConstructorParameters<typeof Harness>[2],
  ) {
    super(KUBE_CLUSTER, config, temporal, 200);
    this.apps = controlPlane.admin.makeApiClient(AppsV1Api);
    this.core = controlPlane.admin.makeApiClient(CoreV1Api);
    this.esClient = new ElasticsearchClient({ node: config.clusters[KUBE_CLUSTER]!.elasticsearch.url });
  }

  static async start(cp: ControlPlane, options: KubeWorldOptions): Promise<KubeWorld>;
  /** With pods that run what `elasticsearch` starts (the world closes it). */
  static async start<E extends PodElasticsearch>(
    cp: ControlPlane,
    options: KubeWorldOptions & { elasticsearch: (scenario: Scenario) => Promise<E> },
  ): Promise<KubeWorld<E>>;
  static async start(
    cp: ControlPlane,
    options: KubeWorldOptions & { elasticsearch?: (scenario: Scenario) => Promise<PodElasticsearch> },
  ): Promise<KubeWorld<PodElasticsearch>> {
    const namespace = `t-${randomUUID().slice(0, 8)}`;
    const { scenario } = options;
    const es = await (options.elasticsearch ?? startSimulatedElasticsearch)(scenario);
    const { config, temporal } = await harnessConfig({
      cluster: KUBE_CLUSTER,
      taskQueue: `es-scaler-${namespace}`,
      // no apiServer and no context: the worker takes the in-cluster path
      kubernetes: { namespace, statefulSet: scenario.statefulSet },
      elasticsearchUrl: es.esUrl,
      policy: { pollInterval: '250ms', stallAfter: '30s', ...options.cluster },
    });
    const world = new KubeWorld<PodElasticsearch>(cp, config, temporal);
    world.namespace = namespace;
    world.statefulSet = scenario.statefulSet;
    world.es = es;
    world.cleanups.push(() => es.close(), () => world.esClient.close());
    try {
      await world.setUp(scenario, options);
      return world;
    } catch (err) {
      await world.close();
      throw err;
    }
  }

  private async setUp(scenario: Scenario, options: KubeWorldOptions): Promise<void> {
    const cp = this.controlPlane;
    await applyDeployBase(cp, this.namespace, { rolePatch: options.rolePatch });
    const set = elasticsearchStatefulSet(scenario.statefulSet, options.podManagementPolicy ?? 'OrderedReady');
    await this.apps.createNamespacedStatefulSet({ namespace: this.namespace, body: set });
    this.kubelet = await startTestKubelet(cp.admin, this.namespace, labelSelectorOf(set), this.es.nodes);
    this.cleanups.push(() => this.kubelet.stop());
    await placePods(cp, this.namespace, scenario.statefulSet, scenario.zones);
    await eventually('every pod an Elasticsearch node', () => this.kubelet.running().length === scenario.zones.length, options.nodesStartMs ?? 15_000);
    await this.es.createIndices();
    this.tempDir = await mkdtemp(join(tmpdir(), 'es-scaler-kube-world-'));
    this.cleanups.push(() => rm(this.tempDir, { recursive: true, force: true }));
    this.serviceAccountRoot = await mountServiceAccount(cp, this.namespace, join(this.tempDir, 'pod'));
    this.workerEnvironment = inClusterEnvironment(cp, this.serviceAccountRoot);
    if (options.apiLatencyMs) {
      const link = await startSlowLink(cp.host, cp.port, options.apiLatencyMs);
      this.cleanups.push(() => link.close());
      this.workerEnvironment.KUBERNETES_SERVICE_PORT = String(link.port);
    }
  }

  /** The worker as a container of the Deployment would run it: in-cluster config, its ServiceAccount's token. */
  async startWorkerProcess(): Promise<WorkerProcess> {
    return this.startWorkerProcessWith(await this.writeConfigFileIn(this.tempDir), this.workerEnvironment);
  }

  // --- the cluster, through the REST APIs

  async replicas(): Promise<number> {
    const set = await this.apps.readNamespacedStatefulSet({ name: this.statefulSet, namespace: this.namespace });
    return set.spec?.replicas ?? 0;
  }

  async pods(): Promise<PodState[]> {
    const list = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: `app=${this.statefulSet}` });
    return list.items
      .map((p) => ({ name: p.metadata!.name!, phase: p.status?.phase, terminating: !!p.metadata?.deletionTimestamp, nodeName: p.spec?.nodeName }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  }

  async runningPodNames(): Promise<string[]> {
    const list = await this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: `app=${this.statefulSet}` });
    return list.items.filter(isRunning).map((p) => p.metadata!.name!).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }

  async exclusions(): Promise<Record<string, string[]>> {
    return effectiveExclusions(await readSettings(this.esClient));
  }

  /** The Elasticsearch nodes of the StatefulSet's pods (not the dedicated masters beside them). */
  async esNodeNames(): Promise<string[]> {
    const nodes = await this.esClient.cat.nodes({ format: 'json', h: 'name' });
    const ofPods = new RegExp(`^${this.statefulSet}-\\d+$`);
    return nodes
      .map((n) => n.name!)
      .filter((name) => ofPods.test(name))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }

  async health(): Promise<string> {
    return (await this.esClient.cluster.health()).status.toLowerCase();
  }

  /** Waits until the StatefulSet's Running pods and the Elasticsearch nodes are exactly `names`. */
  async waitForPods(names: string[], timeoutMs = 30_000): Promise<void> {
    const want = JSON.stringify(names);
    await eventually(`pods and Elasticsearch nodes ${want}`, async () => JSON.stringify(await this.runningPodNames()) === want && JSON.stringify(await this.esNodeNames()) === want, timeoutMs, 200);
  }

  async close(): Promise<void> {
    try {
      await this.closeWorkflowsAndWorker().catch(() => undefined);
      await this.stopWorkerProcess();
    } finally {
      for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => undefined);
      await this.core.deleteNamespace({ name: this.namespace }).catch(() => undefined);
    }
  }
}

/** For a describe block: returns `start`, and closes each test's world after it, pass or fail. */
export function kubeWorldPerTest(controlPlane: () => ControlPlane): (options: KubeWorldOptions) => Promise<KubeWorld> {
  let current: KubeWorld | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options) => (current = await KubeWorld.start(controlPlane(), options));
}
