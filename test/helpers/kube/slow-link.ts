// TCP relays on loopback. A slow link delays everything a client sends by a fixed time: network
// latency between a pod and the API server (the TLS session passes through untouched). A relay
// whose target is chosen per connection plays a Service in front of pods whose ports change.
import { createServer, connect, type Socket } from 'node:net';

export interface Relay {
  port: number;
  close(): Promise<void>;
}

export type SlowLink = Relay;

export function startSlowLink(host: string, targetPort: number, delayMs: number): Promise<SlowLink> {
  return startRelay(host, () => targetPort, delayMs);
}

/** Each connection goes to the port `target()` names at that moment; none (undefined) refuses it. */
export async function startRelay(host: string, target: () => number | undefined, delayMs = 0): Promise<Relay> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const port = target();
    if (port === undefined) {
      client.destroy();
      return;
    }
    const upstream = connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => [client, upstream].forEach((x) => x.destroy()));
    }
    if (delayMs === 0) {
      client.pipe(upstream);
    } else {
      // in order, each chunk `delayMs` after it arrived
      client.on('data', (chunk) => setTimeout(() => upstream.write(chunk), delayMs));
      client.on('end', () => setTimeout(() => upstream.end(), delayMs));
    }
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
