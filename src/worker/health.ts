// Liveness and readiness for Kubernetes probes. Live: the process serves HTTP and the worker has
// not failed. Ready: the worker is connected to Temporal and polling its task queue.
import { createServer, type Server } from 'node:http';
import type { ScalerWorker } from './worker.js';

export class WorkerHealth {
  private worker?: Pick<ScalerWorker, 'getState'>;

  attach(worker: Pick<ScalerWorker, 'getState'>): void {
    this.worker = worker;
  }

  get live(): boolean {
    return this.worker?.getState() !== 'FAILED';
  }

  get ready(): boolean {
    return this.worker?.getState() === 'RUNNING';
  }
}

export async function startHealthServer(health: WorkerHealth, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    const ok = req.url === '/healthz' ? health.live : req.url === '/readyz' ? health.ready : undefined;
    if (ok === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'not ready\n');
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}
