import { Client } from '@elastic/elasticsearch';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { kubeConfigForServer } from '../../src/util/kube-config.js';
import { startSandbox, type Sandbox, type Scenario } from '../../src/sandbox/index.js';
import { eventually } from '../helpers/eventually.js';

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
  const kc = kubeConfigForServer(sb.k8sUrl, { token: sb.k8sToken });
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

/** For a describe block: returns `start`, and stops each test's harness after it, pass or fail. */
export function harnessPerTest(): typeof harness {
  let current: Awaited<ReturnType<typeof harness>> | undefined;
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return async (...args) => (current = await harness(...args));
}

/** The sandbox's own waits are short: 5 s unless a test says otherwise. */
export async function waitFor(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  await eventually(what, done, timeoutMs);
}

export { setTimeout as sleep } from 'node:timers/promises';

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
