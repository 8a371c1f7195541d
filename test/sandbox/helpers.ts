import { Client } from '@elastic/elasticsearch';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { kubeConfigForServer } from '../../src/util/kube-config.js';
import { startSandbox, type Sandbox, type Scenario } from '../../src/sandbox/index.js';

export interface Harness {
  sb: Sandbox;
  es: Client;
  apps: AppsV1Api;
  core: CoreV1Api;
}

/** Starts a sandbox and the official clients on it; `stop` closes them all (call it in afterEach). */
export async function harness(scenario: Scenario, esOptions: { maxRetries?: number } = {}): Promise<Harness & { stop(): Promise<void> }> {
  const sb = await startSandbox(scenario);
  const es = new Client({ node: sb.esUrl, ...esOptions });
  const kc = kubeConfigForServer(sb.k8sUrl);
  return {
    sb,
    es,
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
    stop: async () => {
      await es.close();
      await sb.close();
    },
  };
}

export async function waitFor(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The body of a @kubernetes/client-node ApiException, parsed. */
export function k8sErrorBody(err: unknown): { kind?: string; reason?: string; code?: number; message?: string; details?: Record<string, unknown> } {
  const body = (err as { body?: unknown }).body;
  return typeof body === 'string' ? JSON.parse(body) : (body as object);
}

/** Runs `fn` and returns what it threw. */
export async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
