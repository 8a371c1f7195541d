// es_scaler_worker_ready: 1 while the worker is connected to Temporal and polling, else 0, so an
// alert can tell "up but not working" (Temporal unreachable, worker failed) from "not scraped".
import { Runtime } from '@temporalio/worker';
import type { WorkerHealth } from './health.js';

/** Samples readiness every `intervalMs` into the gauge the Prometheus endpoint serves; returns a stop function. */
export function exportReadiness(health: WorkerHealth, intervalMs = 5_000): () => void {
  const gauge = Runtime.instance().metricMeter.createGauge('es_scaler_worker_ready', 'int', '', 'Worker connected to Temporal and polling (1) or not (0)');
  const sample = () => gauge.set(health.ready ? 1 : 0);
  sample();
  const timer = setInterval(sample, intervalMs).unref();
  return () => {
    clearInterval(timer);
    gauge.set(0);
  };
}
