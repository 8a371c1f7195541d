// `npm run record-histories [scenario…]`: runs the recorded scenarios on the sandbox with the real
// Temporal dev server and writes every workflow's history to test/replay/histories/<version>/,
// the version being package.json's. Record afresh when that version's workflow code changes.
import { readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { packageRoot } from '../../src/util/paths.js';
import { stopSharedTemporal } from '../helpers/temporal.js';
import { World } from '../helpers/world.js';
import { HISTORIES_DIR, saveHistories } from './histories.js';
import { RECORDED_SCENARIOS } from './scenarios.js';

Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { forward: {}, filter: { core: 'ERROR', other: 'ERROR' } } } });

const { version } = JSON.parse(await readFile(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
const dir = join(HISTORIES_DIR, version);
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !RECORDED_SCENARIOS.some((s) => s.name === name));
if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${RECORDED_SCENARIOS.map((s) => s.name).join(', ')}`);

try {
  if (!wanted.length) await rm(dir, { recursive: true, force: true });
  for (const scenario of RECORDED_SCENARIOS.filter((s) => !wanted.length || wanted.includes(s.name))) {
    const world = await World.start(scenario.world);
    try {
      await scenario.drive(world);
    } finally {
      await world.close();
    }
    const files = await saveHistories(world.client, world.config.temporal.taskQueue, scenario.name, dir);
    console.log(`${scenario.name}: ${files.map((f) => relative(packageRoot, f)).join(', ')}`);
  }
} finally {
  await stopSharedTemporal();
}
