// The worker process: `node lib/src/worker/main.js` (ES_SCALER_CONFIG names the config file).
// SIGTERM/SIGINT start a graceful shutdown: running activities get ES_SCALER_SHUTDOWN_GRACE to
// finish; a drain still waiting then is picked up by the next worker from workflow history.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { configPath, loadConfigFile } from '../config/load.js';
import { parseDuration } from '../config/duration.js';
import { temporalTarget } from './temporal-connection.js';
import { createScalerWorker } from './worker.js';

const config = await loadConfigFile(configPath());
const target = temporalTarget(config);
const shutdownGraceMs = parseDuration(process.env.ES_SCALER_SHUTDOWN_GRACE ?? '60s');
if (shutdownGraceMs === undefined) throw new Error('ES_SCALER_SHUTDOWN_GRACE: expected a duration like "60s"');

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
console.log(JSON.stringify({ level: 'INFO', message: 'worker polling', taskQueue: target.taskQueue, address: target.address }));
try {
  await worker.run();
} finally {
  await connections.close();
  await clientConnection.close();
  await nativeConnection.close();
}
