#!/usr/bin/env node
// Installs what `npm test` and `npm run demo` need, idempotently:
//   1. node_modules (npm ci) when missing or older than package-lock.json;
//   2. the Temporal CLI (which embeds the dev server): an existing `temporal` on PATH wins,
//      then the cached build in .cache/bin, else the pinned official CLI is built from its
//      Go module. The chosen path is written to .cache/temporal-cli-path for the code to read.
//   3. Helm 3 for the chart tests, the same way (scripts/helm.mjs, .cache/helm-path).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHelm } from './helm.mjs';

// Later tags carry replace directives that `go install` refuses.
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const cacheDir = join(root, '.cache');
const cachedBinDir = join(cacheDir, 'bin');

function log(message) {
  console.log(`[setup] ${message}`);
}

function installNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing node modules (npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function worksAsTemporalCli(path) {
  const result = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return result.status === 0 && /temporal version/.test(result.stdout);
}

function buildTemporalCli() {
  if (!onPath('go')) {
    throw new Error(
      'No `temporal` CLI on PATH and no Go toolchain to build one. Install Go (https://go.dev) ' +
        'or the Temporal CLI, then run `npm run setup` again.',
    );
  }
  log(`building the Temporal CLI from ${TEMPORAL_CLI_MODULE} (once, takes a few minutes)`);
  mkdirSync(cachedBinDir, { recursive: true });
  execFileSync('go', ['install', TEMPORAL_CLI_MODULE], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, GOBIN: cachedBinDir, GOFLAGS: '-mod=mod' },
  });
  return join(cachedBinDir, 'temporal');
}

function resolveTemporalCli() {
  const fromPath = onPath('temporal');
  if (fromPath && worksAsTemporalCli(fromPath)) return { path: fromPath, source: 'PATH' };
  const cached = join(cachedBinDir, 'temporal');
  if (existsSync(cached) && worksAsTemporalCli(cached)) return { path: cached, source: 'cache' };
  return { path: buildTemporalCli(), source: 'built from the Go module' };
}

installNodeModules();
const cli = resolveTemporalCli();
mkdirSync(cacheDir, { recursive: true });
writeFileSync(join(cacheDir, 'temporal-cli-path'), cli.path);
const version = execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim();
log(`Temporal CLI: ${cli.path} (${cli.source}; ${version})`);
ensureHelm(log);
