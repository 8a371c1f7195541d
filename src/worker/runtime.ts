// The SDK runtime of the worker process: structured JSON logs on stdout, and the Prometheus
// exporter that serves the SDK's metrics together with es-scaler's own (src/workflows/metrics.ts).
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

export function installRuntime(options: { metricsAddress?: string; logLevel?: LogLevel }): void {
  const logger = new DefaultLogger(options.logLevel ?? 'INFO', ({ level, message, meta, timestampNanos }) => {
    const time = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
    process.stdout.write(`${JSON.stringify({ time, level, message, ...meta })}\n`);
  });
  Runtime.install({
    logger,
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'WARN' } },
      ...(options.metricsAddress && { metrics: { prometheus: { bindAddress: options.metricsAddress } } }),
    },
  });
}
