// ─────────────────────────────────────────────────────────────────────────────────────────────────
// DEMO MATERIAL ONLY: NOT PART OF ES-SCALER. Nothing outside src/demo/ may import this.
//
// A deliberately naive scaler that behaves the way the incident write-up describes the cronjobs +
// operator of that night, so the demo can show the failure next to es-scaler on the same
// simulated cluster. Its flaws are the point and must stay:
//   - the drain retry loop ignores a newer desired state (and any cancellation) until its retries
//     run out (the demo cuts it short; the real one went on all night);
//   - the node is excluded by _ip;
//   - the exclusion is only removed after a successful drain: a scale-in that is given up leaves
//     it in cluster.routing.allocation.exclude (the "zombie").
// It talks to the cluster through the official clients, like es-scaler.
// ─────────────────────────────────────────────────────────────────────────────────────────────────
import { setTimeout as sleep } from 'node:timers/promises';
import { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import { AppsV1Api } from '@kubernetes/client-node';
import { kubeConfigForServer } from '../../util/kube-config.js';

/** Stands in for the ElasticsearchDataSet resource the cronjobs edited: the desired node count. */
export interface DesiredState {
  replicas: number;
}

export type NaiveEvent =
  | { kind: 'scale-in'; from: number; to: number; pod: string }
  | { kind: 'excluded'; pod: string; ip: string }
  | { kind: 'retry'; pod: string; attempt: number; shardsLeft: number }
  | { kind: 'gave-up'; pod: string; attempts: number; cutShort: boolean }
  | { kind: 'scale-out'; from: number; to: number }
  | { kind: 'joined'; pods: string[] }
  | { kind: 'settled'; replicas: number };

export interface NaiveOptions {
  maxRetries: number;
  /** Where the demo stops the loop (it counts on towards maxRetries in the messages). */
  retryCap: number;
  retryDelayMs: number;
  /** The demo's own Ctrl-C, not the newer target: the loop never looks at that. */
  signal: AbortSignal;
}

export interface NaiveTarget {
  esUrl: string;
  k8sUrl: string;
  k8sToken: string;
  namespace: string;
  statefulSet: string;
}

export class NaiveOperator {
  readonly es: ElasticsearchClient;
  readonly apps: AppsV1Api;

  constructor(
    private readonly target: NaiveTarget,
    private readonly desired: DesiredState,
    private readonly options: NaiveOptions,
    private readonly report: (event: NaiveEvent) => void,
  ) {
    this.es = new ElasticsearchClient({ node: target.esUrl });
    const kubeConfig = kubeConfigForServer(target.k8sUrl, { token: target.k8sToken }, { name: 'naive' });
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
  }

  /** Reconciles until the StatefulSet has the desired replicas, one change at a time. */
  async run(): Promise<void> {
    for (;;) {
      this.options.signal.throwIfAborted();
      const current = await this.replicas();
      const wanted = this.desired.replicas;
      if (wanted === current) {
        this.report({ kind: 'settled', replicas: current });
        return;
      }
      if (wanted < current) await this.scaleInOne(current);
      else await this.scaleOut(current, wanted);
    }
  }

  /** Removes the highest ordinal: 1. exclude by IP, 2. retry until drained, 3. shrink, 4. clean up. */
  private async scaleInOne(current: number): Promise<void> {
    const pod = `${this.target.statefulSet}-${current - 1}`;
    this.report({ kind: 'scale-in', from: current, to: current - 1, pod });
    const ip = await this.nodeIp(pod);
    for (let attempt = 1; ; attempt++) {
      await this.setIpExclusion(ip);
      if (attempt === 1) this.report({ kind: 'excluded', pod, ip });
      const shardsLeft = await this.shardsOn(pod);
      if (shardsLeft === 0) break;
      this.report({ kind: 'retry', pod, attempt, shardsLeft });
      if (attempt >= this.options.maxRetries || attempt >= this.options.retryCap) {
        // Giving up abandons the scale-in here: step 4 below never runs, the exclusion stays.
        this.report({ kind: 'gave-up', pod, attempts: attempt, cutShort: attempt < this.options.maxRetries });
        return;
      }
      // The flaw of the night: this loop never checks this.desired, so a newer target waits.
      await sleep(this.options.retryDelayMs, undefined, { signal: this.options.signal });
    }
    await this.setReplicas(current - 1);
    await this.setIpExclusion('');
  }

  private async scaleOut(current: number, wanted: number): Promise<void> {
    this.report({ kind: 'scale-out', from: current, to: wanted });
    await this.setReplicas(wanted);
    const added = Array.from({ length: wanted - current }, (_, i) => `${this.target.statefulSet}-${current + i}`);
    for (;;) {
      const names = new Set(((await this.es.cat.nodes({ format: 'json', h: 'name' })) as { name?: string }[]).map((n) => n.name));
      if (added.every((pod) => names.has(pod))) break;
      await sleep(100, undefined, { signal: this.options.signal });
    }
    this.report({ kind: 'joined', pods: added });
  }

  private async replicas(): Promise<number> {
    const { namespace, statefulSet } = this.target;
    return (await this.apps.readNamespacedStatefulSetScale({ name: statefulSet, namespace })).spec?.replicas ?? 0;
  }

  private async setReplicas(replicas: number): Promise<void> {
    const { namespace, statefulSet } = this.target;
    const scale = await this.apps.readNamespacedStatefulSetScale({ name: statefulSet, namespace });
    await this.apps.replaceNamespacedStatefulSetScale({ name: statefulSet, namespace, body: { ...scale, spec: { replicas } } });
  }

  private async nodeIp(pod: string): Promise<string> {
    const nodes = (await this.es.cat.nodes({ format: 'json', h: 'name,ip' })) as { name?: string; ip?: string }[];
    const ip = nodes.find((n) => n.name === pod)?.ip;
    if (!ip) throw new Error(`naive operator: no Elasticsearch node named ${pod}`);
    return ip;
  }

  private async setIpExclusion(ip: string): Promise<void> {
    await this.es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._ip': ip === '' ? null : ip } });
  }

  private async shardsOn(pod: string): Promise<number> {
    const rows = (await this.es.cat.shards({ format: 'json', h: 'node' })) as { node?: string | null }[];
    return rows.filter((r) => r.node?.split(' ')[0] === pod).length;
  }

  async close(): Promise<void> {
    await this.es.close();
  }
}
