// _cat table output as ES renders it: text columns or ?format=json, with ?h (columns), ?s (sort) and ?v (header).
import { flag, type ApiResponse } from './http.js';
import { simpleMatch, tokens } from './patterns.js';

export type Cell = string | null;

export interface CatColumn {
  name: string;
  aliases?: string[];
  hidden?: boolean; // only shown when asked for with ?h
}

interface Shown {
  column: CatColumn;
  display: string; // the name as requested: an alias asked for is printed as such
}

export function renderCat(columns: CatColumn[], rows: Record<string, Cell>[], query: URLSearchParams): ApiResponse {
  const byName = (n: string): CatColumn | undefined => columns.find((c) => c.name === n || c.aliases?.includes(n));
  const h = query.get('h');
  const shown: Shown[] = h
    ? tokens(h).flatMap((n) => {
        const exact = byName(n);
        if (exact) return [{ column: exact, display: n }];
        return columns.filter((c) => simpleMatch(n, c.name)).map((column) => ({ column, display: column.name }));
      })
    : columns.filter((c) => !c.hidden).map((column) => ({ column, display: column.name }));

  const sortKeys = tokens(query.get('s') ?? '').flatMap((k) => {
    const [n = '', dir] = k.split(':');
    const column = byName(n);
    return column ? [{ name: column.name, desc: dir === 'desc' }] : [];
  });
  const sorted = [...rows].sort((a, b) => {
    for (const k of sortKeys) {
      const cmp = compareCells(a[k.name] ?? null, b[k.name] ?? null);
      if (cmp !== 0) return k.desc ? -cmp : cmp;
    }
    return 0;
  });

  if (query.get('format') === 'json') {
    return { status: 200, body: sorted.map((r) => Object.fromEntries(shown.map((s) => [s.display, r[s.column.name] ?? null]))) };
  }
  const lines = sorted.map((r) => shown.map((s) => r[s.column.name] ?? ''));
  if (flag(query, 'v')) lines.unshift(shown.map((s) => s.display));
  const widths = shown.map((_, i) => Math.max(0, ...lines.map((l) => l[i]!.length)));
  const text = lines.map((l) => l.map((cell, i) => cell.padEnd(widths[i]!)).join(' ').trimEnd() + '\n').join('');
  return { status: 200, text };
}

function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const na = Number(a);
  const nb = Number(b);
  return a.trim() !== '' && b.trim() !== '' && !Number.isNaN(na) && !Number.isNaN(nb) ? na - nb : a.localeCompare(b);
}

/** ByteSizeValue as ES prints it ("225b", "4.5kb", "1.2mb"), or raw in the unit asked for with ?bytes. */
export function formatBytes(bytes: number, unit: string | null): string {
  const units = ['b', 'kb', 'mb', 'gb', 'tb', 'pb'];
  if (unit !== null && units.includes(unit)) return String(Math.floor(bytes / 1024 ** units.indexOf(unit)));
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : Number(v.toFixed(1))}${units[i]}`;
}
