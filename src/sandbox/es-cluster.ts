// State of the simulated Elasticsearch cluster (nodes, indices, shard copies) and its shard allocator.
import { randomBytes } from 'node:crypto';
import { canAllocate, canRebalance, canRemain, overall, type AllocationView } from './deciders.js';
import { isActive, isDataNode, isMasterEligible, routingTableOrder, storeBytes, type EsNode, type IndexMeta, type NodeDisk, type Routing, type ShardCopy, type UnassignedReason } from './model.js';
import { RoutingIndex } from './routing-index.js';
import type { ClusterSettings } from './settings.js';
import type { Timers } from './timers.js';

export interface ShardRow {
  index: string;
  shard: number;
  prirep: 'p' | 'r';
  state: 'STARTED' | 'RELOCATING' | 'INITIALIZING' | 'UNASSIGNED';
  node?: string;
  relocatingNode?: string;
}

export type HealthStatus = 'green' | 'yellow' | 'red';

export interface HealthCounts {
  status: HealthStatus;
  active_primary_shards: number;
  active_shards: number;
  relocating_shards: number;
  initializing_shards: number;
  unassigned_shards: number;
  unassigned_primary_shards: number;
}

export interface EsTimings {
  relocationMs: number;
  recoveryMs: number;
}

export type TargetChoice = { node: EsNode; status: 'yes' } | { node?: undefined; status: 'throttled' | 'no' };

const TICK_MS = 50;
// BalancedShardsAllocator's default cluster.routing.allocation.balance.shard / .index factors
const SHARD_BALANCE = 0.45;
const INDEX_BALANCE = 0.55;

/** A random id shaped like ES's node and allocation ids (22 url-safe base64 characters). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

export class EsCluster implements AllocationView {
  readonly name = 'es-sandbox';
  readonly uuid = newId();
  private readonly nodeList: EsNode[] = [];
  private readonly indexMap = new Map<string, IndexMeta>();
  private shardCopies: ShardCopy[] = [];
  private joinSeq = 0;
  private stalled = false;
  private lastTick = Date.now();
  private mutations = 0; // bumped by every change of nodes, indices or shard copies
  private settledAt = ''; // the state() after which an allocation pass changed nothing
  private routingIndex?: RoutingIndex; // built on first use, kept current by update(), dropped when copies are removed

  constructor(
    readonly settings: ClusterSettings,
    private readonly timings: EsTimings,
  ) {}

  /** Starts the allocator loop. */
  start(timers: Timers): void {
    this.lastTick = Date.now();
    timers.every(TICK_MS, () => this.tick());
  }

  /** While stalled, running recoveries and relocations make no progress. */
  setStalled(on: boolean): void {
    this.stalled = on;
  }

  // --- AllocationView

  /** The nodes that hold shards and count as awareness values: masters, coordinating and other non-data nodes do not. */
  dataNodes(): readonly EsNode[] {
    return this.nodeList.filter(isDataNode);
  }

  node(id: string): EsNode | undefined {
    return this.nodeList.find((n) => n.id === id);
  }

  replicasOf(index: string): number {
    return this.indexMap.get(index)?.replicas ?? 0;
  }

  indexSettings(index: string): Record<string, string> {
    return this.indexMap.get(index)?.settings ?? {};
  }

  shardBytes(copy: ShardCopy): number {
    return storeBytes(this.indexMap.get(copy.index), copy.index, copy.shard);
  }

  /** Bytes in use on the node's disk: what else is there, and the copies it holds (a relocation's source until it is done). */
  diskUsedBytes(nodeId: string): number {
    const node = this.node(nodeId);
    if (!node) return 0;
    return node.disk.otherBytes + this.routings().heldBytes(nodeId);
  }

  /** Bytes of copies arriving at the node, less (with `subtractLeaving`) those leaving it. */
  relocatingInBytes(nodeId: string, subtractLeaving: boolean): number {
    const index = this.routings();
    return index.arrivingBytes(nodeId) - (subtractLeaving ? index.leavingBytes(nodeId) : 0);
  }

  routingsOnNode(nodeId: string): readonly Routing[] {
    return this.routings().onNode(nodeId);
  }

  shardRoutings(index: string, shard: number): readonly Routing[] {
    return this.routings().ofShard(index, shard);
  }

  initializingRoutings(): Iterable<Routing> {
    return this.routings().initializingRoutings();
  }

  private routings(): RoutingIndex {
    return (this.routingIndex ??= new RoutingIndex(this.shardCopies, (c) => this.shardBytes(c)));
  }

  copies(): readonly ShardCopy[] {
    return this.shardCopies;
  }

  // --- nodes

  /** Every node in the cluster, whatever its roles, in join order. */
  nodes(): readonly EsNode[] {
    return this.nodeList;
  }

  nodeByName(name: string): EsNode | undefined {
    return this.nodeList.find((n) => n.name === name);
  }

  /** The elected master: the longest-standing master-eligible node. */
  master(): EsNode | undefined {
    return this.nodeList.find(isMasterEligible);
  }

  addNode(name: string, ip: string, zone: string, roles: readonly string[], disk: NodeDisk): EsNode {
    if (this.nodeByName(name)) throw new Error(`node ${name} is already in the cluster`);
    // a pod on ephemeral storage starts with an empty data path, hence a fresh node id
    const node: EsNode = { id: newId(), name, ip, roles: [...roles].sort(), attributes: { zone, 'xpack.installed': 'true' }, disk: { ...disk }, joinSeq: ++this.joinSeq };
    this.nodeList.push(node);
    this.mutations++;
    return node;
  }

  removeNode(name: string): void {
    const node = this.nodeByName(name);
    if (!node) return;
    this.nodeList.splice(this.nodeList.indexOf(node), 1);
    this.mutations++;
    for (const c of this.shardCopies) {
      if (c.state === 'RELOCATING' && c.target?.nodeId === node.id) this.cancelRelocation(c);
    }
    for (const c of this.shardCopies.filter((c) => c.nodeId === node.id)) {
      this.failCopy(c, 'NODE_LEFT', `node_left [${node.id}]`);
    }
  }

  // --- indices

  indices(): IndexMeta[] {
    return [...this.indexMap.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  index(name: string): IndexMeta | undefined {
    return this.indexMap.get(name);
  }

  /**
   * `placeNow` puts every copy STARTED at once (the cluster as found at sandbox start); a copy that no node
   * accepts under the current filters or disk stays where they aside would put it, as if they changed later.
   */
  createIndex(
    name: string,
    primaries: number,
    replicas: number,
    opts: { placeNow?: boolean; shardBytes?: number; settings?: Record<string, string> } = {},
  ): IndexMeta {
    const meta: IndexMeta = { name, uuid: newId(), primaries, replicas, createdAt: Date.now(), settings: { ...opts.settings } };
    if (opts.shardBytes !== undefined) meta.shardBytes = opts.shardBytes;
    const placeNow = opts.placeNow ?? false;
    this.indexMap.set(name, meta);
    const created: ShardCopy[] = [];
    for (let copyNo = 0; copyNo <= replicas; copyNo++) {
      for (let shard = 0; shard < primaries; shard++) created.push(this.unassignedCopy(name, shard, copyNo === 0, 'INDEX_CREATED'));
    }
    this.shardCopies.push(...created);
    this.mutations++;
    if (placeNow) {
      for (const c of created) {
        const node = this.bestTarget(c, { skip: ['throttling'] }).node ?? this.bestTarget(c, { skip: ['throttling', 'filter', 'disk_threshold'] }).node;
        if (node) this.update(c, { state: 'STARTED', nodeId: node.id, unassigned: undefined });
      }
    }
    return meta;
  }

  /** Index settings other than the replica count; a null value removes the setting. */
  updateIndexSettings(name: string, settings: Record<string, string | null>): void {
    const meta = this.indexMap.get(name);
    if (!meta) return;
    for (const [k, v] of Object.entries(settings)) {
      if (v === null) delete meta.settings[k];
      else meta.settings[k] = v;
    }
    this.mutations++;
  }

  /** A node's disk changed (grown, or filled by something else than shards). */
  setDisk(name: string, disk: Partial<NodeDisk>): void {
    const node = this.nodeByName(name);
    if (!node) throw new Error(`no node ${name} in the cluster`);
    Object.assign(node.disk, disk);
    this.mutations++;
  }

  deleteIndex(name: string): void {
    this.indexMap.delete(name);
    this.shardCopies = this.shardCopies.filter((c) => c.index !== name);
    this.routingIndex = undefined;
    this.mutations++;
  }

  /** index.number_of_replicas update: adds unassigned replicas, or drops the least advanced ones. */
  setReplicas(name: string, replicas: number): void {
    const meta = this.indexMap.get(name);
    if (!meta) return;
    meta.replicas = replicas;
    this.mutations++;
    const rank: Record<ShardCopy['state'], number> = { UNASSIGNED: 0, INITIALIZING: 1, RELOCATING: 2, STARTED: 3 };
    for (let shard = 0; shard < meta.primaries; shard++) {
      const current = this.shardCopies.filter((c) => c.index === name && c.shard === shard && !c.primary);
      for (let i = current.length; i < replicas; i++) this.shardCopies.push(this.unassignedCopy(name, shard, false, 'REPLICA_ADDED'));
      const drop = new Set([...current].sort((a, b) => rank[a.state] - rank[b.state]).slice(0, Math.max(0, current.length - replicas)));
      this.shardCopies = this.shardCopies.filter((c) => !drop.has(c));
    }
    this.routingIndex = undefined;
  }

  private unassignedCopy(index: string, shard: number, primary: boolean, reason: UnassignedReason): ShardCopy {
    return {
      index,
      shard,
      primary,
      allocationId: newId(),
      state: 'UNASSIGNED',
      progressMs: 0,
      unassigned: { reason, at: Date.now(), lastAllocationStatus: 'no_attempt' },
    };
  }

  // --- reporting

  shardRows(): ShardRow[] {
    const nameOf = (id: string | undefined): string | undefined => (id === undefined ? undefined : this.node(id)?.name);
    return routingTableOrder(this.shardCopies).map((c) => {
      const row: ShardRow = { index: c.index, shard: c.shard, prirep: c.primary ? 'p' : 'r', state: c.state };
      const node = nameOf(c.nodeId);
      const relocatingNode = nameOf(c.target?.nodeId);
      if (node !== undefined) row.node = node;
      if (relocatingNode !== undefined) row.relocatingNode = relocatingNode;
      return row;
    });
  }

  /** Cluster (or index) health as ES computes it. */
  health(indices?: readonly string[]): HealthCounts {
    const copies = indices ? this.shardCopies.filter((c) => indices.includes(c.index)) : this.shardCopies;
    const h: HealthCounts = {
      status: 'green',
      active_primary_shards: 0,
      active_shards: 0,
      relocating_shards: 0,
      initializing_shards: 0,
      unassigned_shards: 0,
      unassigned_primary_shards: 0,
    };
    const worsen = (s: HealthStatus): void => {
      if (s === 'red' || (s === 'yellow' && h.status === 'green')) h.status = s;
    };
    for (const c of copies) {
      if (isActive(c)) {
        h.active_shards++;
        if (c.primary) h.active_primary_shards++;
        if (c.state === 'RELOCATING') h.relocating_shards++;
        continue;
      }
      if (c.state === 'INITIALIZING') h.initializing_shards++;
      else {
        h.unassigned_shards++;
        if (c.primary) h.unassigned_primary_shards++;
      }
      // a primary of a new index is only yellow until its first allocation attempt is refused
      const newPrimary = c.unassigned?.reason === 'INDEX_CREATED' && c.unassigned.lastAllocationStatus !== 'no';
      worsen(c.primary && !newPrimary ? 'red' : 'yellow');
    }
    return h;
  }

  // --- allocation

  /** Shards on the node, counting relocation targets where they are going and not where they leave. */
  shardCount(nodeId: string, index?: string): number {
    return this.routings().shardCount(nodeId, index);
  }

  /** Lower is a better home for another shard of `index` (the balancer's weight function, sans averages). */
  weight(nodeId: string, index: string): number {
    return SHARD_BALANCE * this.shardCount(nodeId) + INDEX_BALANCE * this.shardCount(nodeId, index);
  }

  /** The lightest node every decider says YES to (deciders named in `skip` ignored), or why there is none. */
  bestTarget(copy: ShardCopy, opts: { exclude?: string; skip?: readonly string[] } = {}): TargetChoice {
    let best: EsNode | undefined;
    let bestWeight = Infinity;
    let throttled = false;
    for (const node of this.dataNodes()) {
      if (node.id === opts.exclude) continue;
      const type = overall(canAllocate(this, copy, node).filter((d) => !opts.skip?.includes(d.decider)));
      if (type === 'THROTTLE') throttled = true;
      if (type !== 'YES') continue;
      const w = this.weight(node.id, copy.index);
      if (w < bestWeight) {
        best = node;
        bestWeight = w;
      }
    }
    return best ? { node: best, status: 'yes' } : { status: throttled ? 'throttled' : 'no' };
  }

  /** Would the balancer move `copy` from `from` to `to`? (the count gap must exceed one shard) */
  improvesBalance(from: EsNode, to: EsNode): boolean {
    return this.shardCount(from.id) - this.shardCount(to.id) >= 2;
  }

  private tick(): void {
    const now = Date.now();
    const elapsed = now - this.lastTick;
    this.lastTick = now;
    if (!this.stalled) this.progress(elapsed);
    // decisions depend on state and settings only: a pass that changed nothing needs no repeating until they change
    const before = this.state();
    if (before === this.settledAt) return;
    this.allocateUnassigned();
    this.moveShardsThatCannotRemain();
    this.rebalance();
    if (this.state() === before) this.settledAt = before;
  }

  private state(): string {
    return `${this.mutations}/${this.settings.version}`;
  }

  private progress(elapsed: number): void {
    for (const c of this.shardCopies) {
      if (c.state === 'INITIALIZING') {
        c.progressMs += elapsed;
        if (c.progressMs >= this.timings.recoveryMs) this.update(c, { state: 'STARTED', unassigned: undefined, recoverySource: undefined });
      } else if (c.state === 'RELOCATING' && c.target) {
        c.progressMs += elapsed;
        if (c.progressMs >= this.timings.relocationMs) {
          this.update(c, { state: 'STARTED', nodeId: c.target.nodeId, allocationId: c.target.allocationId, target: undefined });
        }
      }
    }
  }

  private allocateUnassigned(): void {
    const unassigned = routingTableOrder(this.shardCopies.filter((c) => c.state === 'UNASSIGNED'));
    for (const c of [...unassigned.filter((c) => c.primary), ...unassigned.filter((c) => !c.primary)]) {
      if (!c.unassigned) continue;
      if (c.dataLost) {
        c.unassigned.lastAllocationStatus = 'no_valid_shard_copy';
        continue;
      }
      const choice = this.bestTarget(c);
      if (choice.status !== 'yes') {
        c.unassigned.lastAllocationStatus = choice.status;
        continue;
      }
      this.update(c, { state: 'INITIALIZING', nodeId: choice.node.id, allocationId: newId(), progressMs: 0, recoverySource: c.primary ? 'new' : 'peer' });
    }
  }

  private moveShardsThatCannotRemain(): void {
    for (const c of this.shardCopies) {
      const node = c.state === 'STARTED' && c.nodeId !== undefined ? this.node(c.nodeId) : undefined;
      if (!node || overall(canRemain(this, c, node)) !== 'NO') continue;
      const target = this.bestTarget(c, { exclude: node.id }).node;
      if (target) this.startRelocation(c, target);
    }
  }

  /** One relocation per tick from a heavier to a lighter node, while rebalancing is allowed. */
  private rebalance(): void {
    if (overall(canRebalance(this)) !== 'YES') return;
    const byLoad = [...this.dataNodes()].sort((a, b) => this.shardCount(b.id) - this.shardCount(a.id));
    for (const from of byLoad) {
      for (const c of this.shardCopies.filter((c) => c.state === 'STARTED' && c.nodeId === from.id)) {
        if (overall(canRemain(this, c, from)) === 'NO') continue;
        for (const to of [...byLoad].reverse()) {
          if (!this.improvesBalance(from, to)) break;
          if (overall(canAllocate(this, c, to)) === 'YES') {
            this.startRelocation(c, to);
            return;
          }
        }
      }
    }
  }

  private update(c: ShardCopy, changes: Partial<ShardCopy>): void {
    this.routingIndex?.remove(c);
    Object.assign(c, changes);
    this.routingIndex?.add(c);
    this.mutations++;
  }

  private startRelocation(c: ShardCopy, to: EsNode): void {
    this.update(c, { state: 'RELOCATING', target: { nodeId: to.id, allocationId: newId() }, progressMs: 0 });
  }

  private cancelRelocation(c: ShardCopy): void {
    this.update(c, { state: 'STARTED', target: undefined, progressMs: 0 });
  }

  /** The copy is gone from its node. A lost primary hands over to an active replica if there is one. */
  private failCopy(c: ShardCopy, reason: UnassignedReason, details: string): void {
    const lostData = c.primary && isActive(c);
    this.update(c, {
      state: 'UNASSIGNED',
      nodeId: undefined,
      target: undefined,
      progressMs: 0,
      recoverySource: undefined,
      unassigned: { reason, at: Date.now(), details, lastAllocationStatus: 'no_attempt' },
    });
    if (!c.primary) return;
    const siblings = this.shardCopies.filter((o) => o !== c && o.index === c.index && o.shard === c.shard);
    const successor = siblings.find(isActive);
    // replica recoveries and replica relocations copy from the primary: they fail with it
    for (const o of siblings) {
      if (o.state === 'INITIALIZING') this.failCopy(o, 'PRIMARY_FAILED', 'primary failed while replica initializing');
      else if (o.state === 'RELOCATING' && o !== successor) this.cancelRelocation(o);
    }
    if (successor) {
      successor.primary = true;
      c.primary = false;
    } else if (lostData) {
      c.dataLost = true; // no copy of the data is left anywhere (pods use ephemeral storage)
    }
  }
}
