// The worker process: `node lib/src/worker/main.js` (ES_SCALER_CONFIG names the config file).
// Health and metrics endpoints come up first; the worker then connects to Temporal, retrying
// while Temporal is unreachable (not ready, but alive). SIGTERM/SIGINT start a graceful
// shutdown: running activities get ES_SCALER_SHUTDOWN_GRACE to finish; a drain still waiting
// then is resumed by the next worker from the workflow history.
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { parseDuration } from '../config/duration.js';
import { ConfigError, configPath, loadConfigFile } from '../config/load.js';
import { FileReconciler } from '../schedules/file-reconciler.js';
import { startHealthServer, WorkerHealth } from './health.js';
import { exportReadiness } from './readiness-metric.js';
import { installRuntime, logLine } from './runtime.js';
import { withTemporalOverrides, type TemporalTarget } from '../temporal/connection-target.js';
import { createScalerWorker } from './worker.js';

const env = process.env;
const shutdownGraceMs = parseDuration(env.ES_SCALER_SHUTDOWN_GRACE ?? '60s');
if (shutdownGraceMs === undefined) throw new Error('ES_SCALER_SHUTDOWN_GRACE: expected a duration like "60s"');
const host = env.ES_SCALER_LISTEN_HOST ?? '0.0.0.0';

installRuntime({ metricsAddress: `${host}:${env.ES_SCALER_METRICS_PORT ?? 9464}` });
const health = new WorkerHealth();
const healthServer = await startHealthServer(health, Number(env.ES_SCALER_HEALTH_PORT ?? 8080), host);
const stopReadinessMetric = exportReadiness(health);

const loadConfig = async () => withTemporalOverrides(await loadConfigFile(configPath()));
const { config, target } = withTemporalOverrides(await loadConfigOrExit(configPath()));
const nativeConnection = await connectWithRetry(target);
const clientConnection = await Connection.connect(target.connection);
const client = new Client({ connection: clientConnection, namespace: target.namespace });
const { worker, connections } = await createScalerWorker({
  config,
  connection: nativeConnection,
  client,
  namespace: target.namespace,
  taskQueue: target.taskQueue,
  shutdownGraceTime: shutdownGraceMs,
});
health.attach(worker);
const running = worker.run();
logLine('INFO', 'worker polling', { taskQueue: target.taskQueue, address: target.address, namespace: target.namespace });
// The schedules follow the mounted config file (F5); ES_SCALER_RECONCILE_SCHEDULES=false leaves
// them to `es-scaler schedules apply`.
const reconciler =
  env.ES_SCALER_RECONCILE_SCHEDULES === 'false'
    ? undefined
    : new FileReconciler({ client, configFile: configPath(), load: async () => (await loadConfig()).config, running: config, log: logLine });
reconciler?.start();
try {
  await running;
  logLine('INFO', 'worker stopped');
} finally {
  stopReadinessMetric();
  await reconciler?.close();
  healthServer.close();
  await connections.close();
  await clientConnection.close();
  await nativeConnection.close();
}

/** A bad config file is the operator's to fix: say what is wrong, field by field, and exit 2 (no stack trace). */
async function loadConfigOrExit(path: string) {
  try {
    return await loadConfigFile(path);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    logLine('ERROR', err.message, { config: path, problems: err.problems });
    process.stderr.write(`${err.message}\n`);
    healthServer.close();
    process.exit(2);
  }
}

async function connectWithRetry({ connection, address }: TemporalTarget): Promise<NativeConnection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await NativeConnection.connect(connection);
    } catch (err) {
      logLine('WARN', 'waiting for Temporal', { address, attempt, error: (err as Error).message });
      await sleep(Math.min(1_000 * attempt, 10_000));
    }
  }
}
