#!/usr/bin/env node
// Finds or installs the Helm CLI that the chart tests run (`helm template`, `helm lint`),
// idempotently: a `helm` v3 on PATH wins, then the cached build in .cache/bin, else the pinned
// release is built from its Go module (once, a few minutes). The chosen path is written to
// .cache/helm-path for the tests to read. Run by scripts/setup.mjs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HELM_MODULE = 'helm.sh/helm/v3/cmd/helm@v3.19.5';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const cacheDir = join(root, '.cache');

function isHelm3(path) {
  const result = spawnSync(path, ['version', '--short'], { encoding: 'utf8' });
  return result.status === 0 && /^v3\./.test(result.stdout.trim());
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

export function ensureHelm(log = (m) => console.log(`[setup] ${m}`)) {
  const fromPath = onPath('helm');
  const cached = join(cacheDir, 'bin', 'helm');
  let path;
  if (fromPath && isHelm3(fromPath)) path = fromPath;
  else if (existsSync(cached) && isHelm3(cached)) path = cached;
  else {
    if (!onPath('go')) throw new Error('No Helm 3 on PATH and no Go toolchain to build one: install Go (https://go.dev) or Helm 3, then run `npm run setup` again.');
    log(`building Helm from ${HELM_MODULE} (once, takes a few minutes)`);
    mkdirSync(join(cacheDir, 'bin'), { recursive: true });
    execFileSync('go', ['install', HELM_MODULE], { cwd: root, stdio: 'inherit', env: { ...process.env, GOBIN: join(cacheDir, 'bin'), GOFLAGS: '-mod=mod' } });
    path = cached;
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(join(cacheDir, 'helm-path'), path);
  log(`Helm: ${path} (${execFileSync(path, ['version', '--short'], { encoding: 'utf8' }).trim()})`);
  return path;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) ensureHelm();
