// What one poll of a draining node costs Elasticsearch on a big cluster: requests and response
// bytes, counted by the sandbox over a window of polls of a drain that cannot finish.
import { setTimeout as sleep } from 'node:timers/promises';
import { startSandbox } from '../../src/sandbox/index.js';
import { Fleet, until, type FleetOptions } from '../fleet.js';

export interface EsPollRow {
  shardCopies: number;
  nodes: number;
  sandboxBuildMs: number;
  requestsPerPoll: number;
  bytesPerPoll: number;
  /** path without query → requests in the window */
  requests: Record<string, number>;
}

export async function esPoll(temporal: FleetOptions['temporal'], opts: { copies: number; polls: number; extraConfig?: Record<string, unknown> }): Promise<EsPollRow> {
  const nodes = 30;
  const scenario = {
    statefulSet: 'es-data',
    zones: Array.from({ length: nodes }, (_, i) => `zone-${'abc'[i % 3]}`),
    indices: Array.from({ length: Math.ceil(opts.copies / 100) }, (_, i) => ({ name: `logs-${i}`, primaries: 50, replicas: 1 })),
    awareness: { attributes: ['zone'] },
  };
  const buildStart = performance.now();
  const probe = await startSandbox({ ...scenario, namespace: 'es-poll-build' });
  const sandboxBuildMs = performance.now() - buildStart;
  await probe.close();
  const pollMs = 1_000;
  const fleet = await Fleet.start({ temporal, size: 1, scenario, cluster: { pollInterval: `${pollMs}ms`, stallAfter: '1h' }, extraConfig: opts.extraConfig });
  try {
    const sandbox = fleet.clusters[0]!.sandbox;
    sandbox.faults.stallRelocations(true);
    await fleet.submit('c0', nodes - 1);
    await until('the drain to start', () => Object.keys(sandbox.exclusions()).length > 0, 120_000, 20);
    await sleep(3 * pollMs); // past the pre-flight and the first polls
    const from = sandbox.requests.length;
    await sleep(opts.polls * pollMs);
    const window = sandbox.requests.slice(from).filter((r) => r.api === 'es');
    const requests: Record<string, number> = {};
    let bytes = 0;
    for (const r of window) {
      requests[r.path.split('?')[0]!] = (requests[r.path.split('?')[0]!] ?? 0) + 1;
      // the cluster stands still while relocations are stalled: asking again gives the same answer
      if (r.method === 'GET') bytes += (await (await fetch(`${sandbox.esUrl}${r.path}`)).arrayBuffer()).byteLength;
    }
    const polls = Math.max(...Object.values(requests), 1);
    return { shardCopies: sandbox.shards().length, nodes, sandboxBuildMs, requestsPerPoll: window.length / polls, bytesPerPoll: bytes / polls, requests };
  } finally {
    await fleet.close();
  }
}
