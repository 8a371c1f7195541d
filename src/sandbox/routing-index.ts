// The shard routings of a cluster looked up by node and by shard, with each node's counts and disk
// bytes kept as running sums. The deciders ask these questions for every (copy, node) pair; answering
// them from a scan of every copy made building a 10k-copy cluster quadratic in the copies times the
// nodes (2,000 copies took 46 s). The index follows every change of a copy (remove, change, add).
import { routingsOf, type Routing, type ShardCopy } from './model.js';

interface NodeLoad {
  routings: Routing[];
  /** Copies on the node, counting relocation targets where they go and not where they leave. */
  shards: number;
  shardsByIndex: Map<string, number>;
  /** Bytes of the copies the node holds (a relocation's source until it is done). */
  heldBytes: number;
  /** Bytes of copies arriving (INITIALIZING), and of copies leaving (RELOCATING sources). */
  arrivingBytes: number;
  leavingBytes: number;
}

export class RoutingIndex {
  private readonly nodes = new Map<string, NodeLoad>();
  private readonly shards = new Map<string, Routing[]>();
  private readonly initializing = new Set<Routing>();
  private readonly byCopy = new Map<ShardCopy, Routing[]>();

  constructor(
    copies: readonly ShardCopy[],
    private readonly bytesOf: (copy: ShardCopy) => number,
  ) {
    for (const copy of copies) this.add(copy);
  }

  add(copy: ShardCopy): void {
    const routings = routingsOf(copy);
    if (routings.length === 0) return;
    this.byCopy.set(copy, routings);
    for (const r of routings) this.account(r, 1);
  }

  remove(copy: ShardCopy): void {
    const routings = this.byCopy.get(copy);
    if (!routings) return;
    this.byCopy.delete(copy);
    for (const r of routings) this.account(r, -1);
  }

  onNode(nodeId: string): readonly Routing[] {
    return this.nodes.get(nodeId)?.routings ?? [];
  }

  ofShard(index: string, shard: number): readonly Routing[] {
    return this.shards.get(shardKey(index, shard)) ?? [];
  }

  initializingRoutings(): Iterable<Routing> {
    return this.initializing;
  }

  shardCount(nodeId: string, index?: string): number {
    const load = this.nodes.get(nodeId);
    if (!load) return 0;
    return index === undefined ? load.shards : (load.shardsByIndex.get(index) ?? 0);
  }

  heldBytes(nodeId: string): number {
    return this.nodes.get(nodeId)?.heldBytes ?? 0;
  }

  arrivingBytes(nodeId: string): number {
    return this.nodes.get(nodeId)?.arrivingBytes ?? 0;
  }

  leavingBytes(nodeId: string): number {
    return this.nodes.get(nodeId)?.leavingBytes ?? 0;
  }

  private account(r: Routing, sign: 1 | -1): void {
    const load = this.loadOf(r.nodeId);
    const key = shardKey(r.copy.index, r.copy.shard);
    if (sign === 1) {
      load.routings.push(r);
      this.shards.set(key, [...(this.shards.get(key) ?? []), r]);
      if (r.state === 'INITIALIZING') this.initializing.add(r);
    } else {
      load.routings.splice(load.routings.indexOf(r), 1);
      this.shards.set(key, this.shards.get(key)!.filter((other) => other !== r));
      this.initializing.delete(r);
    }
    const bytes = this.bytesOf(r.copy);
    if (r.state !== 'RELOCATING') {
      load.shards += sign;
      load.shardsByIndex.set(r.copy.index, (load.shardsByIndex.get(r.copy.index) ?? 0) + sign);
    }
    if (r.state === 'INITIALIZING') load.arrivingBytes += sign * bytes;
    else load.heldBytes += sign * bytes;
    if (r.state === 'RELOCATING') load.leavingBytes += sign * bytes;
  }

  private loadOf(nodeId: string): NodeLoad {
    let load = this.nodes.get(nodeId);
    if (!load) {
      load = { routings: [], shards: 0, shardsByIndex: new Map(), heldBytes: 0, arrivingBytes: 0, leavingBytes: 0 };
      this.nodes.set(nodeId, load);
    }
    return load;
  }
}

function shardKey(index: string, shard: number): string {
  return `${index}/${shard}`;
}
