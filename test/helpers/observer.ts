// The cluster as an outside observer sees it: only through the Elasticsearch and Kubernetes REST
// APIs (the official clients), never the sandbox's internals. Invariant checks read from here.
import { Client } from '@elastic/elasticsearch';
import { AppsV1Api, CoreV1Api, EventsV1Api } from '@kubernetes/client-node';
import { effectiveExclusions } from '../../src/domain/exclusion-list.js';
import { kubeConfigForServer } from '../../src/util/kube-config.js';

export interface ObservedShard {
  index: string;
  shard: number;
  primary: boolean;
  state: string;
  node?: string;
}

export class Observer {
  readonly es: Client;
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  private readonly events: EventsV1Api;

  constructor(
    target: { esUrl: string; k8sUrl: string; k8sToken: string },
    private readonly namespace: string,
    private readonly statefulSet: string,
  ) {
    this.es = new Client({ node: target.esUrl, maxRetries: 5 });
    const kubeConfig = kubeConfigForServer(target.k8sUrl, { token: target.k8sToken }, { name: 'observer' });
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.events = kubeConfig.makeApiClient(EventsV1Api);
  }

  /** Kubernetes Events regarding the StatefulSet (`kubectl events --for statefulset/<name>`), oldest first. */
  async statefulSetEvents(): Promise<{ reason: string; type: string; note: string }[]> {
    const { items } = await this.events.listNamespacedEvent({ namespace: this.namespace });
    return items
      .filter((e) => e.regarding?.kind === 'StatefulSet' && e.regarding?.name === this.statefulSet)
      .map((e) => ({ reason: e.reason ?? '', type: e.type ?? '', note: e.note ?? '' }));
  }

  /** Exclusion entries in force, per attribute (transient over persistent). */
  async exclusions(): Promise<Record<string, string[]>> {
    const s = await this.es.cluster.getSettings({ flat_settings: true });
    const flat = (o: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
    return effectiveExclusions({ persistent: flat(s.persistent), transient: flat(s.transient) });
  }

  /** Names of the nodes excluded from the voting configuration (GET _cluster/state/metadata). */
  async votingExclusions(): Promise<string[]> {
    const state = await this.es.cluster.state({ metric: 'metadata', filter_path: 'metadata.cluster_coordination.voting_config_exclusions' });
    const coordination = (state as { metadata?: { cluster_coordination?: { voting_config_exclusions?: { node_name: string }[] } } }).metadata?.cluster_coordination;
    return (coordination?.voting_config_exclusions ?? []).map((e) => e.node_name);
  }

  async settings(): Promise<{ persistent: Record<string, unknown>; transient: Record<string, unknown> }> {
    const s = await this.es.cluster.getSettings({ flat_settings: true });
    return { persistent: s.persistent ?? {}, transient: s.transient ?? {} };
  }

  async replicas(): Promise<number> {
    const scale = await this.apps.readNamespacedStatefulSetScale({ name: this.statefulSet, namespace: this.namespace });
    return scale.spec?.replicas ?? 0;
  }

  async pods(): Promise<{ name: string; terminating: boolean }[]> {
    const list = await this.core.listNamespacedPod({ namespace: this.namespace });
    return list.items.map((p) => ({ name: p.metadata?.name ?? '', terminating: !!p.metadata?.deletionTimestamp }));
  }

  async nodes(): Promise<string[]> {
    const rows = (await this.es.cat.nodes({ format: 'json', h: 'name' })) as { name: string }[];
    return rows.map((r) => r.name).sort();
  }

  async shards(): Promise<ObservedShard[]> {
    const rows = (await this.es.cat.shards({ format: 'json', h: 'index,shard,prirep,state,node' })) as Record<string, string | null>[];
    return rows.map((r) => ({
      index: r.index!,
      shard: Number(r.shard),
      primary: r.prirep === 'p',
      state: r.state!,
      ...(r.node && { node: r.node.split(' ')[0] }),
    }));
  }

  /** `GET _nodes/shutdown`: every node-shutdown record, with the name of its node when it is in the cluster. */
  async shutdownRecords(): Promise<{ nodeId: string; node?: string; type: string; reason: string; status: string }[]> {
    const [{ nodes: records }, info] = await Promise.all([this.es.shutdown.getNode(), this.es.nodes.info({ filter_path: 'nodes.*.name' })]);
    const names = new Map(Object.entries(info.nodes ?? {}).map(([id, n]) => [id, n.name]));
    return records.map((r) => ({ nodeId: r.node_id, ...(names.has(r.node_id) && { node: names.get(r.node_id) }), type: r.type, reason: r.reason, status: r.status }));
  }

  async health(): Promise<string> {
    return (await this.es.cluster.health()).status.toLowerCase();
  }

  close(): Promise<void> {
    return this.es.close();
  }
}
