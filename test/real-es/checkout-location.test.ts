// Issue 9, item 13: the real-Elasticsearch tier runs wherever the checkout lives. As root the nodes run
// as `nobody`, who cannot pass a parent directory of mode 0700 (a clone inside `mktemp -d`): the nodes
// run from a copy staged in their run dir, never from the cache under the checkout.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { availability, fetchDistribution, insideCheckout, stageDistribution } from '../../src/sandbox/real-nodes/distribution.js';
import { ENGINE_MATRIX } from '../../src/sandbox/real-nodes/engines.js';
import { unprivilegedUser } from '../../src/sandbox/real-nodes/node-process.js';

describe('real Elasticsearch: the tests run wherever the checkout lives (issue 9, item 13)', function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('a distribution cached inside a directory only root can enter is staged where the node user can run it', async function () {
    const engine = ENGINE_MATRIX[0]!;
    const can = await availability(engine);
    if (!can.ok) this.skip(); // the tier's own banner says why
    const fetched = await fetchDistribution(engine);
    // the cache as it is in a fresh clone inside `mktemp -d`: behind a parent of mode 0700
    const closed = mkdtempSync(join(tmpdir(), 'es-scaler-closed-'));
    dirs.push(closed);
    assert.equal(statSync(closed).mode & 0o777, 0o700);
    const cached = { ...fetched, esHome: join(closed, basename(fetched.esHome)) };
    cpSync(fetched.esHome, cached.esHome, { recursive: true });

    const runAs = unprivilegedUser();
    const runDir = mkdtempSync(join(tmpdir(), 'es-scaler-run-'));
    dirs.push(runDir);
    if (runAs) execFileSync('chown', [`${runAs.uid}:${runAs.gid}`, runDir]);
    const staged = stageDistribution(cached, runDir, runAs);
    assert.ok(!insideCheckout(staged.esHome), `${staged.esHome} is outside the checkout`);
    assert.ok(!staged.esHome.startsWith(closed), 'the nodes never run from behind the closed directory');

    // the launcher runs as the node user (a JVM start: the same exec that failed with "Permission denied")
    const asNodeUser = runAs ? ['setpriv', `--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups'] : [];
    const [cmd, ...args] = [...asNodeUser, join(staged.esHome, 'bin/elasticsearch'), '--version'];
    const out = execFileSync(cmd!, args, { encoding: 'utf8', cwd: runDir, env: { PATH: process.env.PATH, ES_JAVA_HOME: staged.javaHome, HOME: runDir } });
    assert.match(out, new RegExp(`Version: ${staged.version.replace(/\./g, '\\.')}`));
  });
});
