// The bench's results: the machine they were measured on, the table, and the files under bench/results/.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/util/paths.js';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  node: string;
  commit: string;
  /** Uncommitted changes in the checkout when the bench ran. */
  dirty: boolean;
  startedAt: string;
}

export function machine(): Machine {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: packageRoot, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    commit: git('rev-parse', 'HEAD') || 'unknown',
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    startedAt: new Date().toISOString(),
  };
}

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

export function markdownTable(table: Table): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [`### ${table.title}`, '', line(table.columns), line(table.columns.map(() => '---')), ...table.rows.map(line), '', ...(table.notes ?? []).map((n) => `${n}\n`)].join('\n');
}

export function textTable(table: Table): string {
  const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [table.title, line(table.columns), ...table.rows.map(line)].join('\n');
}

export async function writeResults(dir: string, name: string, results: { machine: Machine; options: unknown; scenarios: unknown; tables: Table[] }): Promise<{ json: string; markdown: string }> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, `${name}.json`);
  const markdown = join(dir, `${name}.md`);
  await writeFile(json, `${JSON.stringify(results, null, 2)}\n`);
  const m = results.machine;
  const header = [
    `# es-scaler bench: ${name}`,
    '',
    `Commit ${m.commit}${m.dirty ? ' (with uncommitted changes)' : ''}, ${m.startedAt}. ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, load average ${m.loadAverageAtStart.join(' / ')} at the start and ${m.loadAverageAtEnd?.join(' / ') ?? '?'} at the end.`,
    '',
    `Options: \`${JSON.stringify(results.options)}\``,
    '',
  ];
  await writeFile(markdown, `${[...header, ...results.tables.map(markdownTable)].join('\n')}\n`);
  return { json, markdown };
}
