// The SDK runtime of the worker process: structured JSON logs on stdout, and the Prometheus
// exporter that serves the SDK's metrics together with es-scaler's own (src/workflows/metrics.ts).
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

export function logLine(level: LogLevel, message: string, meta: Record<string, unknown> = {}, time = new Date()): void {
  process.stdout.write(`${JSON.stringify({ time: time.toISOString(), level, message, ...meta })}\n`);
}

/** The watch task queue's worker runs activities only (worker.ts): the SDK warns about that on every start, by design here. */
const EXPECTED_WARNING = 'No workflows registered, not polling for workflow tasks';

export function installRuntime(options: { metricsAddress?: string; logLevel?: LogLevel }): void {
  const logger = new DefaultLogger(options.logLevel ?? 'INFO', ({ level, message, meta, timestampNanos }) => {
    if (message === EXPECTED_WARNING) return;
    logLine(level, message, meta, new Date(Number(timestampNanos / 1_000_000n)));
  });
  Runtime.install({
    logger,
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'WARN' } },
      ...(options.metricsAddress && { metrics: { prometheus: { bindAddress: options.metricsAddress } } }),
    },
  });
}
