// Renders deploy/helm/es-scaler with the real Helm CLI (installed by scripts/helm.mjs), for the
// chart tests. Dev-time only; the worker never imports this module.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { packageRoot } from '../util/paths.js';
import type { KubernetesObject } from './manifests.js';

export const CHART_DIR = join(packageRoot, 'deploy', 'helm', 'es-scaler');

const run = promisify(execFile);

export function helmPath(): string {
  const file = join(packageRoot, '.cache', 'helm-path');
  const path = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (!path || !existsSync(path)) throw new Error('No Helm CLI known: run `npm run setup` first (scripts/helm.mjs finds or builds one).');
  return path;
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** Written to a values file and passed with -f, on top of the chart's values.yaml. */
  values?: Record<string, unknown>;
}

export interface RenderedObject {
  /** The template it came from, e.g. `es-scaler/templates/deployment.yaml`. */
  source: string;
  object: KubernetesObject;
}

/** `helm template`, parsed: one entry per non-empty document. Rejects with Helm's own message on failure. */
export async function renderChart(options: RenderOptions = {}): Promise<RenderedObject[]> {
  const stdout = await helm(['template', options.release ?? 'es-scaler', CHART_DIR, '--namespace', options.namespace ?? 'search'], options.values);
  const out: RenderedObject[] = [];
  for (const doc of parseAllDocuments(stdout, { version: '1.1' })) {
    if (doc.errors.length > 0) throw new Error(`helm template output: ${doc.errors.map((e) => e.message).join('; ')}`);
    const object = doc.toJS() as KubernetesObject | null;
    if (!object) continue;
    const source = /^# Source: (.+)$/m.exec(doc.commentBefore ?? '')?.[1] ?? '?';
    out.push({ source, object });
  }
  return out;
}

/** `helm lint --strict`: its output on success, Helm's complaint as the error otherwise. */
export async function lintChart(values?: Record<string, unknown>): Promise<string> {
  return helm(['lint', '--strict', CHART_DIR], values);
}

async function helm(args: string[], values?: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'es-scaler-helm-'));
  try {
    const extra: string[] = [];
    if (values) {
      await writeFile(join(dir, 'values.json'), JSON.stringify(values));
      extra.push('-f', join(dir, 'values.json'));
    }
    // Helm's own cache and config stay out of the user's home.
    const env = { ...process.env, HELM_CACHE_HOME: join(dir, 'cache'), HELM_CONFIG_HOME: join(dir, 'config'), HELM_DATA_HOME: join(dir, 'data') };
    try {
      const { stdout } = await run(helmPath(), [...args, ...extra], { env, maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    } catch (err) {
      const { stderr, stdout } = err as { stderr?: string; stdout?: string };
      throw new Error(`helm ${args[0]}: ${(stderr || stdout || (err as Error).message).trim()}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
