// The worker as its own process (`node lib/src/worker/main.js`), as it runs in production, with
// its health and metrics endpoints on free loopback ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { stopProcess, track, waitForExit } from '../../src/util/child-processes.js';
import { packageRoot } from '../../src/util/paths.js';
import { freePort } from '../../src/util/ports.js';
import { eventually } from './eventually.js';

export class WorkerProcess {
  output = '';

  private constructor(
    readonly child: ChildProcess,
    private readonly healthPort: number,
    private readonly metricsPort: number,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  /** `mainScript`: another build's worker entry point (an upgrade test's next version). */
  static async spawn(configFile: string, env: NodeJS.ProcessEnv = {}, mainScript = join(packageRoot, 'lib/src/worker/main.js')): Promise<WorkerProcess> {
    const healthPort = await freePort();
    const metricsPort = await freePort();
    const child = track(
      spawn(process.execPath, [mainScript], {
        env: {
          ...process.env,
          ES_SCALER_CONFIG: configFile,
          ES_SCALER_SHUTDOWN_GRACE: '2s',
          ES_SCALER_LISTEN_HOST: '127.0.0.1',
          ES_SCALER_HEALTH_PORT: String(healthPort),
          ES_SCALER_METRICS_PORT: String(metricsPort),
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    return new WorkerProcess(child, healthPort, metricsPort);
  }

  async waitFor(text: string, timeoutMs = 30_000): Promise<void> {
    await eventually(`the worker to log "${text}"`, () => {
      if (this.output.includes(text)) return true;
      if (this.child.exitCode !== null) throw new Error(`worker exited: ${this.output}`);
      return false;
    }, timeoutMs);
  }

  /** GET on the health server (/healthz, /readyz) or the metrics server (/metrics). */
  async get(path: '/healthz' | '/readyz' | '/metrics'): Promise<{ status: number; body: string }> {
    const port = path === '/metrics' ? this.metricsPort : this.healthPort;
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, body: await response.text() };
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  exited(timeoutMs: number): Promise<boolean> {
    return waitForExit(this.child, timeoutMs);
  }

  stop(): Promise<void> {
    return stopProcess(this.child);
  }
}
