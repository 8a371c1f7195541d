// Plain-text tables for the CLI: a header row, then one row per item, columns padded to fit.
// A cell with several lines continues on the following lines, the other columns left blank.

export type Cell = string | string[];

export function renderTable(headers: string[], rows: Cell[][]): string {
  const lines = rows.flatMap((row) => expand(headers.map((_, i) => row[i] ?? '')));
  const all = [headers, ...lines];
  const widths = headers.map((_, i) => Math.max(...all.map((line) => line[i]!.length)));
  return all.map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** One table row whose cells hold several lines → several text lines. */
function expand(row: Cell[]): string[][] {
  const cells = row.map((cell) => (Array.isArray(cell) ? (cell.length > 0 ? cell : ['']) : [cell]));
  const height = Math.max(...cells.map((c) => c.length));
  return Array.from({ length: height }, (_, line) => cells.map((c) => c[line] ?? ''));
}
