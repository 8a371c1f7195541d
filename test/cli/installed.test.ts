// The CLI as npm installs it: `npm install --global` (like `npm link` and `npx`) puts a symlink to
// lib/src/client/cli.js on PATH. Issue 9, item 10: run through that symlink, the CLI did nothing
// and exited 0, because it compared its own path with the symlink's to decide whether to run.
import assert from 'node:assert/strict';
import { lstat, readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { installedCli, runCli } from '../helpers/cli.js';

describe('the installed es-scaler command', () => {
  it('is npm’s symlink into the checkout, and runs: --version prints the version', async () => {
    const bin = await installedCli();
    assert.ok((await lstat(bin)).isSymbolicLink(), `${bin} is a symlink`);
    assert.equal(await realpath(bin), await realpath(join(packageRoot, 'lib/src/client/cli.js')));

    const { version } = JSON.parse(await readFile(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    assert.deepEqual(result, { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('fails like a command: bad input exits 2 with its reason on stderr', async () => {
    const result = await runCli(['scale', 'production', '6', '7', '--config', '/nonexistent/es-scaler.yaml']);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, "es-scaler: too many arguments for 'scale'. Expected 2 arguments but got 3.\n");
    assert.equal(result.stdout, '');
  });

  it('prints a completion script that names the command', async () => {
    const result = await runCli(['completion', 'bash']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^complete -F _es_scaler_completion es-scaler$/m);
  });
});
