// `es-scaler demo` as a user runs it (`npm run demo` runs `node lib/src/client/cli.js demo`): in its
// own process, on its own Temporal dev server and simulated clusters. It must tell the incident
// night's story, end in the right state, and leave no process behind, also when stopped with Ctrl-C.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { stillRunning, TrackedRun } from './process-tree.js';

const CLI = join(packageRoot, 'lib/src/client/cli.js');

function demo(args: string[]): TrackedRun {
  return new TrackedRun(process.execPath, [CLI, 'demo', ...args], { cwd: packageRoot });
}

/** The Temporal dev server the demo says it started, found among the processes it started. */
function temporalServer(run: TrackedRun) {
  const pid = Number(/Temporal dev server \S+ \(pid (\d+)\)/.exec(run.output)?.[1]);
  assert.ok(pid > 0, `the demo names the dev server's pid:\n${run.output}`);
  const seen = run.seen.get(pid);
  assert.ok(seen, `pid ${pid} was seen as a child of the demo`);
  assert.match(seen.args, /temporal.* server start-dev/);
  return seen;
}

describe('es-scaler demo', function () {
  this.timeout(90_000);
  let run: TrackedRun | undefined;

  afterEach(() => {
    run?.killAll();
    run = undefined;
  });

  it('--ci replays the incident night, narrates it, ends right, and leaves no process behind', async () => {
    const startedAt = Date.now();
    run = demo(['--ci']);
    const { code } = await run.exited;
    const out = run.output;
    assert.equal(code, 0, out);
    assert.ok(Date.now() - startedAt < 60_000, `the demo took ${Date.now() - startedAt} ms`);

    // the naive replay: a blind retry loop, a late morning, a zombie exclusion by _ip
    assert.match(out, /operator: retry 1\/999: es-data-6 still holds \d+ shards/);
    assert.match(out, /05:30 morning cronjob: desired nodes → 8 .*The operator does not notice/);
    assert.match(out, /result: 8 replicas, health \w+, cluster\.routing\.allocation\.exclude: _ip=[\d.]+\n.*← the zombie/);

    // es-scaler: schedules applied from the file, fired by hand, and said so
    assert.match(out, /created\s+production\/night\s+6 replicas at "0 22 \* \* \*" Europe\/Berlin/);
    assert.match(out, /In production these fire at 22:00 and 05:30/);
    assert.match(out, /op-1 \(night\) started: 7 → 6 replicas, scale-in/);
    assert.match(out, /op-1 \(night\): PRE-FLIGHT WARNING: es-data-6 is the last node in zone eu-central-1a/);
    assert.match(out, /op-1 \(night\): STALLED: \d+ shards cannot leave es-data-6\. Elasticsearch says why \(_cluster\/allocation\/explain\):/);
    assert.match(out, /│ \[awareness\] there are \[3\] copies of this shard and \[3\] values for attribute \[zone\]/);
    assert.match(out, /05:30 — the morning schedule production\/morning fires/);
    assert.match(out, /exclusion removed \d+\.\ds after the morning trigger/);
    assert.match(out, /cluster workflow: op-1 \(night\) ended superseded: superseded by target 8 \(schedule:production\/morning\)/);
    assert.match(out, /op-2 \(morning\): es-data-7 joined the Elasticsearch cluster \(1\/1 new nodes\)/);
    assert.match(out, /op-2 \(morning\): operation succeeded/);

    // the summary: steps, final state, side by side, checks, ids
    assert.match(out, /━━ Summary/);
    assert.match(out, /^STEP\s+AT\s+TOOK$/m);
    assert.match(out, /^morning trigger → exclusion of es-data-6 removed\s+\+\d+\.\ds\s+\d+\.\ds$/m);
    assert.match(out, /^StatefulSet replicas\s+8$/m);
    assert.match(out, /^Elasticsearch data nodes\s+8: es-data-0, .*es-data-7$/m);
    assert.match(out, /^cluster\.routing\.allocation\.exclude\s+none$/m);
    assert.match(out, /^cluster health\s+green$/m);
    assert.match(out, /^op-1 \(night, → 6\)\s+superseded: .*compensation removed _name:es-data-6$/m);
    assert.match(out, /^op-2 \(morning, → 8\)\s+succeeded$/m);
    assert.match(out, /^exclusion left behind\s+_ip=[\d.]+ \(es-data-6, a zombie\)\s+none$/m);
    assert.doesNotMatch(out, /^FAIL/m);
    assert.match(out, /^cluster workflow:\s+cluster\/127\.0\.0\.1:\d+\/search\/es-data/m);
    assert.match(out, /^Temporal UI:\s+http:\/\/127\.0\.0\.1:\d+/m);

    // nothing it started outlives it
    temporalServer(run);
    assert.ok(run.seen.size > 0);
    assert.deepEqual(stillRunning([...run.seen.values()]), []);
  });

  it('--keep-running stays up for the CLI it tells about, and Ctrl-C stops everything', async () => {
    run = demo(['--ci', '--keep-running']);
    await run.waitForOutput(/Press Ctrl-C/, 60_000);
    const server = temporalServer(run);
    assert.deepEqual(stillRunning([server]), [server], 'the dev server is up while the demo keeps running');

    const [, config] = await run.waitForOutput(/ES_SCALER_CONFIG=(\S+) npm run cli -- status/, 1_000);
    const status = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [CLI, 'status'], { env: { ...process.env, ES_SCALER_CONFIG: config } }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    assert.match(status, /desired:\s+8 replicas \(from schedule:production\/morning\)/);
    assert.match(status, /op-1-\w+ → 6 \(schedule:production\/night\): superseded/);

    run.sample();
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    assert.equal(code, 0, run.output);
    assert.match(run.output, /SIGINT: stopping everything/);
    assert.match(run.output, /stopped everything the demo started; exit code 0/);
    assert.deepEqual(stillRunning([...run.seen.values()]), []);
  });
});
