// Kubernetes side of the sandbox: one StatefulSet (OrderedReady), its pods, and the nodes they are scheduled on.
import { randomUUID } from 'node:crypto';
import type { Timers } from './timers.js';

export interface PodInfo {
  name: string;
  ordinal: number;
  zone: string;
  nodeName: string;
  ip: string;
}

/** What "a pod running an ES node" means: by default a simulated ES node joining the simulated cluster. */
export interface NodeRuntime {
  start(pod: PodInfo): Promise<void>;
  stop(pod: PodInfo): Promise<void>;
}

export type PodPhase = 'Pending' | 'Running' | 'Terminating';

export interface Pod extends PodInfo {
  phase: PodPhase;
  uid: string;
  hostIP: string;
  createdAt: Date;
  startedAt?: Date;
  deletedAt?: Date;
  resourceVersion: number;
}

export interface K8sNode {
  name: string;
  zone: string;
  ip: string;
  uid: string;
  createdAt: Date;
  resourceVersion: number;
}

export interface PodTimings {
  podStartMs: number;
  podStopMs: number;
}

export interface StatefulSetOptions {
  namespace: string;
  name: string;
  zones: string[]; // zone of each initial pod
  newPodZones: string[]; // handed out cyclically to pods created by scale-out
  runtime: NodeRuntime;
  timers: Timers;
  timings: PodTimings;
}

export class StatefulSet {
  readonly namespace: string;
  readonly name: string;
  readonly uid = randomUUID();
  readonly createdAt = new Date();
  replicas: number;
  generation = 1;
  resourceVersion: number;
  private rvSeq = 1000;
  private readonly podMap = new Map<number, Pod>();
  private readonly nodeList: K8sNode[] = [];
  private readonly restartZones = new Map<number, string>(); // ordinal → zone its next incarnation is scheduled in
  private scaledOutPods = 0;
  private podIpSeq = 0;
  private readonly releasedIps: { ip: string; by: string }[] = [];
  private closed = false;

  constructor(private readonly opts: StatefulSetOptions) {
    this.namespace = opts.namespace;
    this.name = opts.name;
    this.replicas = opts.zones.length;
    this.resourceVersion = this.nextRv();
  }

  /** Brings up the initial pods at once (the cluster as found when the sandbox starts). */
  async startInitialPods(): Promise<void> {
    for (const [ordinal, zone] of this.opts.zones.entries()) {
      const pod = this.schedule(ordinal, zone);
      await this.opts.runtime.start(podInfo(pod));
      this.markRunning(pod);
    }
  }

  pods(): Pod[] {
    return [...this.podMap.values()].sort((a, b) => a.ordinal - b.ordinal);
  }

  nodes(): K8sNode[] {
    return [...this.nodeList];
  }

  readyReplicas(): number {
    return this.pods().filter((p) => p.phase === 'Running').length;
  }

  /** Scale subresource write. */
  setReplicas(replicas: number): void {
    if (replicas === this.replicas) return;
    this.replicas = replicas;
    this.generation++;
    this.touch();
    this.reconcile();
  }

  /** The pod is deleted (ephemeral storage: its data goes too) and recreated, in `zone` if given. Resolves once it runs again. */
  restartPod(ordinal: number, zone?: string): Promise<void> {
    const pod = this.podMap.get(ordinal);
    if (!pod || pod.phase !== 'Running') throw new Error(`pod ${this.name}-${ordinal} is not running`);
    this.restartZones.set(ordinal, zone ?? pod.zone);
    this.run(this.deletePod(pod), `restart of ${pod.name}`);
    const back = (): boolean => {
      const now = this.podMap.get(ordinal);
      return now ? now !== pod && now.phase === 'Running' : ordinal >= this.replicas;
    };
    return this.opts.timers.waitUntil(back, Number.POSITIVE_INFINITY).then(() => undefined);
  }

  close(): void {
    this.closed = true;
  }

  /** The resourceVersion of the most recent change to any object, as a list reports it. */
  latestResourceVersion(): number {
    return this.rvSeq;
  }

  private nextRv(): number {
    return ++this.rvSeq;
  }

  /** OrderedReady: nothing happens while a pod is starting or stopping; missing ordinals first, then the highest surplus one. */
  private reconcile(): void {
    if (this.closed) return;
    const pods = this.pods();
    if (pods.some((p) => p.phase !== 'Running')) return;
    for (let ordinal = 0; ordinal < this.replicas; ordinal++) {
      if (!this.podMap.has(ordinal)) {
        this.run(this.createPod(ordinal), `creation of ${this.name}-${ordinal}`);
        return;
      }
    }
    const condemned = pods.filter((p) => p.ordinal >= this.replicas).pop();
    if (condemned) this.run(this.deletePod(condemned), `deletion of ${condemned.name}`);
  }

  private run(task: Promise<void>, what: string): void {
    task.catch((err: unknown) => console.error(`sandbox: ${what} failed:`, err));
  }

  private async createPod(ordinal: number): Promise<void> {
    const zones = this.opts.newPodZones;
    const zone = this.restartZones.get(ordinal) ?? zones[this.scaledOutPods++ % zones.length]!;
    this.restartZones.delete(ordinal);
    const pod = this.schedule(ordinal, zone);
    this.touch();
    await this.opts.timers.sleep(this.opts.timings.podStartMs);
    await this.opts.runtime.start(podInfo(pod));
    this.markRunning(pod);
    this.reconcile();
  }

  private async deletePod(pod: Pod): Promise<void> {
    pod.phase = 'Terminating';
    pod.deletedAt = new Date();
    pod.resourceVersion = this.nextRv();
    this.touch();
    await this.opts.timers.sleep(this.opts.timings.podStopMs);
    await this.opts.runtime.stop(podInfo(pod));
    this.podMap.delete(pod.ordinal);
    this.releasedIps.push({ ip: pod.ip, by: pod.name });
    this.touch();
    this.reconcile();
  }

  private markRunning(pod: Pod): void {
    pod.phase = 'Running';
    pod.startedAt = new Date();
    pod.resourceVersion = this.nextRv();
    this.touch();
  }

  /** A new Pending pod on a node of `zone` that hosts no other pod of this set (anti-affinity). */
  private schedule(ordinal: number, zone: string): Pod {
    const name = `${this.name}-${ordinal}`;
    const node = this.freeNode(zone);
    const pod: Pod = {
      name,
      ordinal,
      zone,
      nodeName: node.name,
      hostIP: node.ip,
      ip: this.podIp(name),
      phase: 'Pending',
      uid: randomUUID(),
      createdAt: new Date(),
      resourceVersion: this.nextRv(),
    };
    this.podMap.set(ordinal, pod);
    return pod;
  }

  private freeNode(zone: string): K8sNode {
    const used = new Set(this.pods().map((p) => p.nodeName));
    const free = this.nodeList.find((n) => n.zone === zone && !used.has(n.name));
    if (free) return free;
    const inZone = this.nodeList.filter((n) => n.zone === zone).length;
    const knownZones = [...new Set(this.nodeList.map((n) => n.zone))];
    const octet = knownZones.includes(zone) ? knownZones.indexOf(zone) : knownZones.length;
    const node: K8sNode = {
      name: `node-${zone}-${inZone}`,
      zone,
      ip: `10.0.${octet}.${10 + inZone}`,
      uid: randomUUID(),
      createdAt: new Date(),
      resourceVersion: this.nextRv(),
    };
    this.nodeList.push(node);
    return node;
  }

  /**
   * A pod gets a new IP on every start. Addresses given back by other pods are reused first, so an old
   * IP can later belong to a different pod, as on a real cluster.
   */
  private podIp(podName: string): string {
    const reusable = this.releasedIps.findIndex((r) => r.by !== podName);
    if (reusable >= 0) return this.releasedIps.splice(reusable, 1)[0]!.ip;
    const n = this.podIpSeq++;
    return `10.42.${Math.floor(n / 200)}.${10 + (n % 200)}`;
  }

  /** Pods or replicas changed: the StatefulSet's status, hence its resourceVersion, changes. */
  private touch(): void {
    this.resourceVersion = this.nextRv();
  }
}

export function podInfo(p: Pod): PodInfo {
  return { name: p.name, ordinal: p.ordinal, zone: p.zone, nodeName: p.nodeName, ip: p.ip };
}
