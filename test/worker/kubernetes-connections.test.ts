// The worker's Kubernetes clients keep their connections: the client library makes a new agent,
// and so a new connection (a TLS handshake against a real API server), for every request. A
// counting TCP relay in front of the sandbox's API server sees the connections from the outside.
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { ClusterConnections } from '../../src/activities/connections.js';
import { defineConfig } from '../../src/config/load.js';
import { startSandbox, scenarios, type Sandbox } from '../../src/sandbox/index.js';

/** Relays every connection to `target`, counting them. */
async function countingRelay(target: URL): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    count++;
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('Kubernetes connections', () => {
  let sandbox: Sandbox;
  let relay: Awaited<ReturnType<typeof countingRelay>>;
  let connections: ClusterConnections;
  const scenario = scenarios['even-8']!;

  beforeEach(async () => {
    sandbox = await startSandbox(scenario);
    relay = await countingRelay(new URL(sandbox.k8sUrl));
    const config = defineConfig({
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'es-scaler' },
      clusters: {
        production: {
          kubernetes: { namespace: scenario.namespace, statefulSet: scenario.statefulSet, apiServer: relay.url, tokenFile: sandbox.k8sTokenFile },
          elasticsearch: { url: sandbox.esUrl },
          minReplicas: 1,
          maxReplicas: 20,
        },
      },
    });
    connections = new ClusterConnections(config);
  });
  afterEach(async () => {
    await connections.close();
    await relay.close();
    await sandbox.close();
  });

  it('ten requests in a row, through all three API groups, use one connection', async () => {
    const { apps, core, events, namespace, statefulSet } = await connections.kubernetes('production');
    for (let i = 0; i < 4; i++) {
      const scale = await apps.readNamespacedStatefulSetScale({ name: statefulSet, namespace });
      assert.equal(scale.spec?.replicas, 8);
      const pods = await core.listNamespacedPod({ namespace });
      assert.equal(pods.items.filter((p) => p.metadata?.name?.startsWith(`${statefulSet}-`)).length, 8);
    }
    await events.listNamespacedEvent({ namespace });
    await core.readNamespacedPod({ name: `${statefulSet}-0`, namespace });
    assert.equal(relay.connections(), 1);
  });
});
