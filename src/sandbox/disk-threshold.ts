// The disk_threshold decider: Elasticsearch's low, high and flood-stage watermarks with its explanation texts.
// Disk usage is the node's data path as the allocator sees it: copies held (a relocation's source included) plus
// copies still arriving at their full expected size; canRemain subtracts copies already leaving.
import { format1Decimals, formatByteSize } from '../domain/capacity/byte-size.js';
import { freeBytesRequired, headroomDecides, threshold as watermarkThreshold, type Stage, type Threshold } from '../domain/capacity/watermarks.js';
import type { EsNode, ShardCopy } from './model.js';
import type { ClusterSettings } from './settings.js';

const DISK = 'cluster.routing.allocation.disk';

export interface DiskView {
  readonly settings: ClusterSettings;
  diskUsedBytes(nodeId: string): number;
  relocatingInBytes(nodeId: string, subtractLeaving: boolean): number;
  shardBytes(copy: ShardCopy): number;
}

export interface DiskDecision {
  decision: 'YES' | 'NO';
  explanation: string;
}

function threshold(settings: ClusterSettings, stage: Stage): Threshold {
  return watermarkThreshold((key) => settings.effective(key), stage);
}

/** DiskThresholdSettings#describeThreshold: the setting that decides, e.g. `…watermark.high=90%` or its max_headroom. */
function describe(t: Threshold, totalBytes: number): string {
  return headroomDecides(t, totalBytes) ? `${t.key}.max_headroom=${formatByteSize(t.maxHeadroomBytes)}` : `${t.key}=${t.watermark.text}`;
}

function enabled(settings: ClusterSettings): boolean {
  return settings.effective(`${DISK}.threshold_enabled`) !== 'false';
}

interface Usage {
  total: number;
  free: number; // with the relocations counted
  relocatingIn: number;
}

function usage(view: DiskView, node: EsNode, subtractLeaving: boolean): Usage {
  const relocatingIn = view.relocatingInBytes(node.id, subtractLeaving);
  const used = view.diskUsedBytes(node.id);
  return { total: node.disk.totalBytes, free: node.disk.totalBytes - used - relocatingIn, relocatingIn };
}

const usedPercent = (u: Usage): string => format1Decimals(u.total === 0 ? 100 : (100 * (u.total - u.free)) / u.total, '%');

export function diskCanAllocate(view: DiskView, copy: ShardCopy, node: EsNode): DiskDecision {
  if (!enabled(view.settings)) return { decision: 'YES', explanation: 'the disk threshold decider is disabled' };
  const u = usage(view, node, false);
  if (u.free < 0) {
    return {
      decision: 'NO',
      explanation: `the node has fewer free bytes remaining than the total size of all incoming shards: free space [${u.free + u.relocatingIn}B], relocating shards [${u.relocatingIn}B]`,
    };
  }
  const low = threshold(view.settings, 'low');
  const high = threshold(view.settings, 'high');
  const lowFree = freeBytesRequired(low, u.total);
  const highFree = freeBytesRequired(high, u.total);
  const neverAllocated = copy.primary && copy.state === 'UNASSIGNED' && copy.unassigned?.reason === 'INDEX_CREATED';
  if (u.free < lowFree) {
    if (!neverAllocated) {
      return {
        decision: 'NO',
        explanation: `the node is above the low watermark cluster setting [${describe(low, u.total)}], having less than the minimum required [${formatByteSize(lowFree)}] free space, actual free: [${formatByteSize(u.free)}], actual used: [${usedPercent(u)}]`,
      };
    }
    if (u.free <= highFree) {
      return {
        decision: 'NO',
        explanation: `the node is above the high watermark cluster setting [${describe(high, u.total)}], having less than the minimum required [${formatByteSize(highFree)}] free space, actual free: [${formatByteSize(u.free)}], actual used: [${usedPercent(u)}]`,
      };
    }
    return { decision: 'YES', explanation: 'the node is above the low watermark, but less than the high watermark, and this primary shard has never been allocated before' };
  }
  // a primary never allocated starts empty
  const shardSize = neverAllocated ? 0 : view.shardBytes(copy);
  const freeAfter = u.free - shardSize;
  if (freeAfter < highFree) {
    return {
      decision: 'NO',
      explanation: `allocating the shard to this node will bring the node above the high watermark cluster setting [${describe(high, u.total)}] and cause it to have less than the minimum required [${formatByteSize(highFree)}] of free space (free: [${formatByteSize(u.free)}], used: [${usedPercent(u)}], estimated shard size: [${formatByteSize(shardSize)}])`,
    };
  }
  return {
    decision: 'YES',
    explanation: `enough disk for shard on node, free: [${formatByteSize(u.free)}], used: [${usedPercent(u)}], shard size: [${formatByteSize(shardSize)}], free after allocating shard: [${formatByteSize(freeAfter)}]`,
  };
}

export function diskCanRemain(view: DiskView, node: EsNode): DiskDecision {
  if (!enabled(view.settings)) return { decision: 'YES', explanation: 'the disk threshold decider is disabled' };
  const u = usage(view, node, true);
  if (u.free < 0) {
    return {
      decision: 'NO',
      explanation: `the shard cannot remain on this node because the node has fewer free bytes remaining than the total size of all incoming shards: free space [${u.free + u.relocatingIn}], relocating shards [${u.relocatingIn}]`,
    };
  }
  const high = threshold(view.settings, 'high');
  const highFree = freeBytesRequired(high, u.total);
  if (u.free < highFree) {
    return {
      decision: 'NO',
      explanation: `the shard cannot remain on this node because it is above the high watermark cluster setting [${describe(high, u.total)}] and there is less than the required [${formatByteSize(highFree)}] free space on node, actual free: [${formatByteSize(u.free)}], actual used: [${usedPercent(u)}]`,
    };
  }
  return { decision: 'YES', explanation: `there is enough disk on this node for the shard to remain, free: [${formatByteSize(u.free)}]` };
}
