// The bench runs end to end with tiny parameters and writes its files. Its figures are not checked
// here: they depend on the machine (the full run's are committed under bench/results/).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { track, waitForExit } from '../../src/util/child-processes.js';
import { packageRoot } from '../../src/util/paths.js';

describe('npm run bench (smoke)', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'es-scaler-bench-smoke-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('runs every scenario with tiny parameters and writes the table as JSON and Markdown', async () => {
    const args = [
      ...['--runs', '1', '--polls', '200ms', '--fleet', '0', '--bursts', '2', '--burst-poll', '200ms'],
      ...['--drains', '0.02', '--compression', '50', '--copies', '300', '--spawns', '0', '--out', dir, '--name', 'smoke'],
    ];
    const child = track(spawn(process.execPath, [join(packageRoot, 'lib/bench/main.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = await waitForExit(child, 100_000);
    if (!exited) child.kill('SIGKILL');
    assert.ok(exited, `the bench did not finish in 100 s: ${output}`);
    assert.equal(child.exitCode, 0, output);

    const results = JSON.parse(await readFile(join(dir, 'smoke.json'), 'utf8'));
    assert.equal(typeof results.machine.cores, 'number');
    assert.match(results.machine.commit, /^[0-9a-f]{40}$|^unknown$/);
    assert.equal(results.machine.loadAverageAtStart.length, 3);
    assert.match(results.options.workerNodeOptions, /--max-old-space-size=\d+/, 'the worker runs with the deployed heap limit');
    assert.deepEqual(Object.keys(results.scenarios).sort(), ['burst', 'esPoll', 'history', 'overhead', 'spawnToReady', 'supersede']);
    const markdown = await readFile(join(dir, 'smoke.md'), 'utf8');
    for (const title of ['Supersede', 'Burst', 'History events per node removed', 'Elasticsearch load per poll', 'One node removed', 'spawn → ready']) assert.ok(markdown.includes(title), `${title} missing in:\n${markdown}`);
    assert.ok(output.includes('Supersede'), 'the table is printed');
  });
});
