// Plays a node's drain forward: every copy on it, largest first, goes to the node with the most room that every
// rule lets it go to (same shard, index filters and tier, shard limits, awareness), and must leave that node below
// the high watermark plus a margin. What cannot go anywhere is stuck, with the rule that holds it.
import { formatByteSize } from './byte-size.js';
import { awareness, awarenessRefusal } from './awareness.js';
import { excludedByCluster, indexRefusal, requiredTier } from './allocation-filters.js';
import { isDataNode, type ClusterFacts, type CopyFacts, type NodeFacts } from './facts.js';
import { limitRefusal, nodeLimits } from './shard-limits.js';
import { freeBytesRequired, threshold } from './watermarks.js';

/** Which rule keeps a copy on the draining node. */
export type StuckReason = 'disk' | 'awareness' | 'shardLimits' | 'allocationFilters' | 'sameShard';

export interface StuckCopy {
  index: string;
  shard: number;
  primary: boolean;
  bytes: number;
  reason: StuckReason;
  detail: string;
}

export interface NodeProjection {
  node: string;
  zone?: string;
  totalBytes: number;
  usedBytes: number; // after the drain
  usedPercent: number;
  highWatermarkFreeBytes: number; // free bytes the high watermark demands on this node
}

export interface DrainPrediction {
  node: string;
  bytesToMove: number;
  copiesToMove: number;
  /** Per zone (node.attr.zone, "-" without one): free bytes of the receiving nodes below the high watermark and margin, before the drain. */
  freeBelowWatermarkByZone: Record<string, number>;
  /** The receiving nodes after the drain, fullest first. */
  projected: NodeProjection[];
  stuck: StuckCopy[];
  /** Where each copy that can leave goes in this play (the balancer may choose otherwise; the rules hold either way). */
  moves: CopyFacts[];
}

export interface DrainOptions {
  /** Extra free space kept on receiving nodes beyond the high watermark, in percent of each disk. */
  marginPercent: number;
}

const ORDER: StuckReason[] = ['disk', 'awareness', 'shardLimits', 'allocationFilters', 'sameShard'];

interface Candidate {
  node: NodeFacts;
  refusals: [StuckReason, string][];
}

export function predictDrain(facts: ClusterFacts, drained: string, opts: DrainOptions): DrainPrediction {
  const byName = new Map(facts.nodes.map((n) => [n.name, n]));
  const data = facts.nodes.filter(isDataNode);
  const receivers = data.filter((n) => n.name !== drained && !excludedByCluster(facts.settings, n));
  const aware = awareness(facts.settings, facts.nodes);
  const limits = nodeLimits(facts.settings);
  const high = threshold((k) => facts.settings[k], 'high');
  const reserve = new Map(receivers.map((n) => [n.name, freeBytesRequired(high, n.totalBytes) + Math.ceil((n.totalBytes * opts.marginPercent) / 100)]));
  const free = new Map(receivers.map((n) => [n.name, n.availableBytes]));
  const onNode = new Map<string, number>();
  const ofIndex = new Map<string, number>();
  const holders = new Map<string, string[]>();
  const shardKey = (c: { index: string; shard: number }): string => `${c.index}/${c.shard}`;
  for (const c of facts.copies) {
    onNode.set(c.node, (onNode.get(c.node) ?? 0) + 1);
    ofIndex.set(`${c.node}/${c.index}`, (ofIndex.get(`${c.node}/${c.index}`) ?? 0) + 1);
    holders.set(shardKey(c), [...(holders.get(shardKey(c)) ?? []), c.node]);
  }
  const freeBelowWatermarkByZone: Record<string, number> = {};
  for (const n of receivers) {
    const zone = n.attributes.zone ?? '-';
    freeBelowWatermarkByZone[zone] = (freeBelowWatermarkByZone[zone] ?? 0) + Math.max(0, n.availableBytes - reserve.get(n.name)!);
  }

  const leaving = facts.copies.filter((c) => c.node === drained).sort((a, b) => b.bytes - a.bytes || a.index.localeCompare(b.index) || a.shard - b.shard);
  const tiers = new Map<string, string | null | undefined>();
  const stuck: StuckCopy[] = [];
  const moves: CopyFacts[] = [];
  for (const copy of leaving) {
    const index = facts.indices[copy.index] ?? { name: copy.index, shards: copy.shard + 1, copies: (holders.get(shardKey(copy)) ?? []).length, settings: {} };
    if (!tiers.has(index.name)) tiers.set(index.name, requiredTier(index, data));
    const others = (holders.get(shardKey(copy)) ?? []).filter((h) => h !== drained);
    const otherNodes = others.flatMap((h) => (byName.get(h) ? [byName.get(h)!] : []));
    const candidates: Candidate[] = receivers.map((node) => {
      const refusals: [StuckReason, string][] = [];
      if (others.includes(node.name)) refusals.push(['sameShard', `${node.name} already holds a copy`]);
      const filtered = indexRefusal(index, tiers.get(index.name), node);
      if (filtered) refusals.push(['allocationFilters', filtered]);
      const limited = limitRefusal(limits, index, node.name, onNode.get(node.name) ?? 0, ofIndex.get(`${node.name}/${index.name}`) ?? 0);
      if (limited) refusals.push(['shardLimits', limited]);
      const aware_ = awarenessRefusal(aware, index.copies, otherNodes, node);
      if (aware_) refusals.push(['awareness', aware_]);
      const after = free.get(node.name)! - copy.bytes;
      if (after < reserve.get(node.name)!) {
        refusals.push(['disk', `${node.name} would have ${formatByteSize(after)} free, below the ${formatByteSize(reserve.get(node.name)!)} the high watermark and margin keep`]);
      }
      return { node, refusals };
    });
    const fits = candidates.filter((c) => c.refusals.length === 0).sort((a, b) => free.get(b.node.name)! - free.get(a.node.name)!);
    const target = fits[0]?.node;
    if (!target) {
      stuck.push({ index: copy.index, shard: copy.shard, primary: copy.primary, bytes: copy.bytes, ...closest(candidates, copy) });
      continue;
    }
    moves.push({ ...copy, node: target.name });
    free.set(target.name, free.get(target.name)! - copy.bytes);
    onNode.set(target.name, (onNode.get(target.name) ?? 0) + 1);
    ofIndex.set(`${target.name}/${index.name}`, (ofIndex.get(`${target.name}/${index.name}`) ?? 0) + 1);
    holders.set(shardKey(copy), [...others, target.name]);
  }

  const projected = receivers
    .map((n): NodeProjection => {
      const usedBytes = n.totalBytes - free.get(n.name)!;
      const p: NodeProjection = {
        node: n.name,
        totalBytes: n.totalBytes,
        usedBytes,
        usedPercent: n.totalBytes === 0 ? 100 : Math.round((1000 * usedBytes) / n.totalBytes) / 10,
        highWatermarkFreeBytes: freeBytesRequired(high, n.totalBytes),
      };
      if (n.attributes.zone !== undefined) p.zone = n.attributes.zone;
      return p;
    })
    .sort((a, b) => b.usedPercent - a.usedPercent || a.node.localeCompare(b.node));
  return {
    node: drained,
    bytesToMove: leaving.reduce((sum, c) => sum + c.bytes, 0),
    copiesToMove: leaving.length,
    freeBelowWatermarkByZone,
    projected,
    stuck,
    moves,
  };
}

/** The cluster as the prediction leaves it: the node gone, its copies where the play put them (stuck ones lost). */
export function factsAfterDrain(facts: ClusterFacts, drain: DrainPrediction): ClusterFacts {
  const nodes = facts.nodes.filter((n) => n.name !== drain.node).map((n) => {
    const moved = drain.moves.filter((m) => m.node === n.name).reduce((sum, m) => sum + m.bytes, 0);
    return moved === 0 ? n : { ...n, availableBytes: n.availableBytes - moved };
  });
  return { ...facts, nodes, copies: [...facts.copies.filter((c) => c.node !== drain.node), ...drain.moves] };
}

/** The rule that holds a copy: the one refusal of the node closest to taking it, or "no other data node". */
function closest(candidates: Candidate[], copy: CopyFacts): { reason: StuckReason; detail: string } {
  if (candidates.length === 0) return { reason: 'sameShard', detail: `no other data node can take [${copy.index}][${copy.shard}]` };
  const rank = (c: Candidate): number => c.refusals.length * 10 + Math.min(...c.refusals.map(([r]) => ORDER.indexOf(r)));
  const best = [...candidates].sort((a, b) => rank(a) - rank(b))[0]!;
  const [reason, detail] = [...best.refusals].sort((a, b) => ORDER.indexOf(b[0]) - ORDER.indexOf(a[0]))[0]!;
  return { reason, detail };
}
