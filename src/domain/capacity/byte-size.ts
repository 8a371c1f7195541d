// Elasticsearch's byte sizes ("10gb", "512mb") and disk watermarks ("90%", "0.9", "50gb"), parsed and printed
// the way Elasticsearch does, so that a prediction reads the cluster's settings as the cluster itself does.

const UNITS: [suffixes: string[], factor: number][] = [
  [['pb', 'p'], 1024 ** 5],
  [['tb', 't'], 1024 ** 4],
  [['gb', 'g'], 1024 ** 3],
  [['mb', 'm'], 1024 ** 2],
  [['kb', 'k'], 1024],
  [['b'], 1],
];

/** ByteSizeValue.parseBytesSizeValue: a number with a unit (case-insensitive), or the bare "0" / "-1". */
export function parseByteSize(value: string, setting: string): number {
  const v = value.trim().toLowerCase();
  if (v === '0' || v === '-1') return Number(v);
  for (const [suffixes, factor] of UNITS) {
    const suffix = suffixes.find((s) => v.endsWith(s));
    if (suffix === undefined) continue;
    const number = v.slice(0, -suffix.length).trim();
    if (!/^\d+(\.\d+)?$/.test(number)) break;
    return Math.floor(Number(number) * factor);
  }
  throw new Error(`failed to parse setting [${setting}] with value [${value}] as a size in bytes: unit is missing or unrecognized`);
}

/** A disk watermark: a share of the disk that may be used, or an amount that must stay free. */
export type Watermark = { kind: 'percent'; usedPercent: number; text: string } | { kind: 'bytes'; freeBytes: number; text: string };

/** RelativeByteSizeValue.parseRelativeByteSizeValue: "85%" or "0.85" is a share, "500mb" (ending in b) an amount. */
export function parseWatermark(value: string, setting: string): Watermark {
  const v = value.trim();
  if (!v.toLowerCase().endsWith('b')) {
    const percent = parseRatio(v);
    if (percent !== undefined) {
      if (percent !== 0 || v.endsWith('%')) return { kind: 'percent', usedPercent: percent, text: `${formatNumber(percent)}%` };
      return { kind: 'bytes', freeBytes: 0, text: '0b' };
    }
  }
  try {
    const bytes = parseByteSize(v, setting);
    return { kind: 'bytes', freeBytes: bytes, text: v.toLowerCase() };
  } catch {
    throw new Error(`unable to parse [${setting}=${value}] as either percentage or bytes`);
  }
}

/** RatioValue: "85%" (0–100) or "0.85" (0–1.0), as a percentage; undefined when it is neither. */
function parseRatio(v: string): number | undefined {
  const percent = v.endsWith('%');
  const text = percent ? v.slice(0, -1) : v;
  if (!/^-?\d*\.?\d+$/.test(text)) return undefined;
  const n = Number(text);
  if (percent ? n < 0 || n > 100 : n < 0 || n > 1) return undefined;
  return percent ? n : n * 100;
}

/**
 * Free bytes a node of `totalBytes` must keep under the watermark. A percentage is of used space, and a
 * max headroom (bytes, when the watermark is a percentage) caps the free space it demands on big disks.
 */
export function freeBytesThreshold(totalBytes: number, watermark: Watermark, maxHeadroomBytes = -1): number {
  if (watermark.kind === 'bytes') return watermark.freeBytes;
  let used = Math.ceil((totalBytes * watermark.usedPercent) / 100);
  if (maxHeadroomBytes >= 0) used = Math.max(used, totalBytes - maxHeadroomBytes);
  return totalBytes - used;
}

/** Strings.format1Decimals: one decimal, truncated, and none when it is 0 ("9.9gb", "10gb", "92.3%"). */
export function format1Decimals(value: number, suffix: string): string {
  const truncated = Math.trunc(value * 10) / 10;
  return `${Number.isInteger(truncated) ? truncated.toFixed(0) : truncated.toFixed(1)}${suffix}`;
}

/** ByteSizeValue#toString: the largest unit the value reaches, with one decimal ("1.5gb", "900mb", "12b"). */
export function formatByteSize(bytes: number): string {
  for (const [[suffix], factor] of UNITS) {
    if (Math.abs(bytes) >= factor && factor > 1) return format1Decimals(bytes / factor, suffix!);
  }
  return `${bytes}b`;
}

function formatNumber(n: number): string {
  return String(Number(n.toFixed(6)));
}
