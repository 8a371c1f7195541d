// The disk watermarks as Elasticsearch 8 reads them: low, high and flood stage, each a percentage of used space or
// an amount of free bytes, with a max headroom that caps the free space a percentage demands (only while the
// watermark itself is left at its default).
import { freeBytesThreshold, parseByteSize, parseWatermark, type Watermark } from './byte-size.js';

export const WATERMARK_PREFIX = 'cluster.routing.allocation.disk.watermark';

export const WATERMARK_DEFAULTS = {
  low: { value: '85%', maxHeadroom: '200gb' },
  high: { value: '90%', maxHeadroom: '150gb' },
  flood_stage: { value: '95%', maxHeadroom: '100gb' },
} as const;

export type Stage = keyof typeof WATERMARK_DEFAULTS;

export interface Threshold {
  key: string; // the setting, e.g. cluster.routing.allocation.disk.watermark.high
  watermark: Watermark;
  maxHeadroomBytes: number; // -1: none
}

/** The effective threshold of one stage; `setting` reads the cluster's effective (transient over persistent) value. */
export function threshold(setting: (key: string) => string | undefined, stage: Stage): Threshold {
  const key = `${WATERMARK_PREFIX}.${stage}`;
  const set = setting(key);
  const headroomKey = `${key}.max_headroom`;
  const headroom = setting(headroomKey) ?? (set === undefined ? WATERMARK_DEFAULTS[stage].maxHeadroom : '-1');
  return { key, watermark: parseWatermark(set ?? WATERMARK_DEFAULTS[stage].value, key), maxHeadroomBytes: parseByteSize(headroom, headroomKey) };
}

/** Free bytes a disk of `totalBytes` must keep to stay below this threshold. */
export function freeBytesRequired(t: Threshold, totalBytes: number): number {
  return freeBytesThreshold(totalBytes, t.watermark, t.maxHeadroomBytes);
}

/** Whether the max headroom, not the watermark itself, decides on a disk of this size. */
export function headroomDecides(t: Threshold, totalBytes: number): boolean {
  return t.watermark.kind === 'percent' && freeBytesRequired(t, totalBytes) !== freeBytesThreshold(totalBytes, t.watermark);
}
