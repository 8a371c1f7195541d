import assert from 'node:assert/strict';
import type { Sandbox } from '../../src/sandbox/index.js';
import { eventually } from './eventually.js';

/** Every shard copy is assigned and started, and the cluster is green. */
export async function assertAllShardsAssigned(sandbox: Sandbox, timeoutMs = 15_000): Promise<void> {
  await eventually('cluster green with every shard started', () => sandbox.health() === 'green' && sandbox.shards().every((s) => s.state === 'STARTED'), timeoutMs);
  const unassigned = sandbox.shards().filter((s) => s.state === 'UNASSIGNED' || !s.node);
  assert.deepEqual(unassigned, []);
}
