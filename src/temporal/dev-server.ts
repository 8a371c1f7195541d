// The real Temporal dev server (`temporal server start-dev`), started on free loopback ports with
// es-scaler's search attributes registered. Used by the tests and the demo.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { hasExited, stopProcess, track } from '../util/child-processes.js';
import { packageRoot } from '../util/paths.js';
import { freePort } from '../util/ports.js';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';

export interface DevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  /** The `temporal` process, so callers (the demo, its test) can show and check it. */
  pid?: number;
  stop(): Promise<void>;
}

/** The Temporal CLI that `npm run setup` chose (or TEMPORAL_CLI_PATH). */
export function temporalCliPath(): string {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const recorded = join(packageRoot, '.cache', 'temporal-cli-path');
  if (existsSync(recorded)) return readFileSync(recorded, 'utf8').trim();
  throw new Error('No Temporal CLI known: run `npm run setup` first (it finds or builds one).');
}

export interface DevServerOptions {
  ui?: boolean;
  host?: string;
  port?: number;
  /**
   * Run the server in its own process group, so that a Ctrl-C in the terminal reaches only this
   * process, which then stops its worker before the server (the demo). It is still stopped with
   * this process (stop(), or killed when this process exits).
   */
  ownProcessGroup?: boolean;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const uiPort = options.ui ? await freePort(host) : undefined;
  const args = ['server', 'start-dev', '--ip', host, '--port', String(port), '--log-level', 'error'];
  args.push(...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']));
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);

  const child = track(spawn(temporalCliPath(), args, { stdio: ['ignore', 'ignore', 'pipe'], detached: options.ownProcessGroup === true }));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));

  const address = `${host}:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (hasExited(child)) throw new Error(`temporal server start-dev exited early: ${stderr}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        await stopProcess(child);
        throw new Error(`Temporal dev server did not become ready at ${address}: ${(err as Error).message}`);
      }
      await sleep(250);
    }
  }
  return {
    address,
    namespace: 'default',
    uiUrl: uiPort ? `http://${host}:${uiPort}` : undefined,
    pid: child.pid,
    stop: () => stopProcess(child),
  };
}
