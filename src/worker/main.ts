// The worker process: `node lib/src/worker/main.js` (ES_SCALER_CONFIG names the config file).
// SIGTERM/SIGINT start a graceful shutdown: running activities get ES_SCALER_SHUTDOWN_GRACE to
// finish; a drain still waiting then is picked up by the next worker from workflow history.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { parseDuration } from '../config/duration.js';
import { configPath, loadConfigFile } from '../config/load.js';
import { startHealthServer, WorkerHealth } from './health.js';
import { installRuntime } from './runtime.js';
import { temporalTarget } from './temporal-connection.js';
import { createScalerWorker } from './worker.js';

const env = process.env;
const shutdownGraceMs = parseDuration(env.ES_SCALER_SHUTDOWN_GRACE ?? '60s');
if (shutdownGraceMs === undefined) throw new Error('ES_SCALER_SHUTDOWN_GRACE: expected a duration like "60s"');
const healthPort = Number(env.ES_SCALER_HEALTH_PORT ?? 8080);
const metricsPort = Number(env.ES_SCALER_METRICS_PORT ?? 9464);
const host = env.ES_SCALER_LISTEN_HOST ?? '0.0.0.0';

installRuntime({ metricsAddress: `${host}:${metricsPort}` });
const health = new WorkerHealth();
const healthServer = await startHealthServer(health, healthPort, host);

const config = await loadConfigFile(configPath());
const target = temporalTarget(config);
const nativeConnection = await NativeConnection.connect(target.connection);
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
console.log(JSON.stringify({ time: new Date().toISOString(), level: 'INFO', message: 'worker polling', taskQueue: target.taskQueue, address: target.address, namespace: target.namespace }));
try {
  await running;
} finally {
  healthServer.close();
  await connections.close();
  await clientConnection.close();
  await nativeConnection.close();
}
