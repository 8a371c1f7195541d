// `npm run campaign -- [--runs N] [--seed S]`: the long campaign, outside mocha. Starts its own
// Temporal dev server (through the test harness), prints each run and the table, writes the
// summary as JSON to bench/results/campaign-<seed>-<runs>.json, exits 1 if any run failed.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { stopSharedTemporal } from '../helpers/temporal.js';
import { replayCommand, runCampaign, summaryTable } from './campaign.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name}: expected a whole number, found ${JSON.stringify(process.argv[i + 1])}`);
    process.exit(2);
  }
  return value;
}

const seed = option('seed', 1);
const runs = option('runs', 50);
const started = Date.now();
try {
  const summary = await runCampaign({ seed, runs, log: (line) => console.log(line) });
  console.log(`\ncampaign: ${runs} runs from seed ${seed} in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  console.log(summaryTable(summary));
  for (const report of summary.failing) console.log(`replay seed ${report.seed}: ${replayCommand(report.seed)}`);
  const dir = join(packageRoot, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const { failing, ...counts } = summary;
  await writeFile(join(dir, `campaign-${seed}-${runs}.json`), `${JSON.stringify({ seed, ...counts, minutes: (Date.now() - started) / 60_000, failingSeeds: failing.map((r) => r.seed) }, null, 2)}\n`);
  process.exitCode = failing.length > 0 ? 1 : 0;
} finally {
  await stopSharedTemporal();
}
