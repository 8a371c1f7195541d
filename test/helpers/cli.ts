// `es-scaler` run as a user runs it: installed by npm (`npm install --global` of this checkout into a
// temporary prefix, once per test run), so every CLI test goes through npm's bin symlink and the
// script's shebang, in its own process.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/util/paths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

let installed: Promise<string> | undefined;

/** The path of the `es-scaler` command npm installed: a symlink into this checkout's lib/. */
export function installedCli(): Promise<string> {
  installed ??= (async () => {
    const prefix = await mkdtemp(join(tmpdir(), 'es-scaler-npm-'));
    // The prefix holds only npm's links; removing them leaves the checkout alone.
    process.once('exit', () => rmSync(prefix, { recursive: true, force: true }));
    await promisify(execFile)('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--ignore-scripts', packageRoot], {
      env: { ...process.env, npm_config_loglevel: 'error' },
    });
    return join(prefix, 'bin', 'es-scaler');
  })();
  return installed;
}

/** Runs the installed `es-scaler`, as a user would, in its own process. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const bin = await installedCli();
  // The shebang finds node on PATH: the node running the tests.
  const path = [dirname(process.execPath), process.env.PATH].filter(Boolean).join(delimiter);
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, PATH: path, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
