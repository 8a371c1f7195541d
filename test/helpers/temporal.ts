// A Temporal dev server shared by every test of a run (started on first use), and a client to it.
import { Client, Connection } from '@temporalio/client';
import { startDevServer, type DevServer, type DevServerOptions } from '../../src/temporal/dev-server.js';

let shared: Promise<{ server: DevServer; connection: Connection; client: Client }> | undefined;

/** `options` count on the first call only (the screenshots start it with its UI). */
export function sharedTemporal(options: DevServerOptions = {}) {
  shared ??= (async () => {
    const server = await startDevServer(options);
    const connection = await Connection.connect({ address: server.address });
    return { server, connection, client: new Client({ connection, namespace: server.namespace }) };
  })();
  return shared;
}

export async function stopSharedTemporal(): Promise<void> {
  if (!shared) return;
  const { server, connection } = await shared;
  shared = undefined;
  await connection.close();
  await server.stop();
}
