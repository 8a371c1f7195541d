// Follows a cluster the way an operator's dashboard would: every tick it asks the cluster workflow
// and its operations for their `status` (Temporal queries, answered by the worker) and reads the
// exclusion list from Elasticsearch, and hands the picture to whoever listens.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { clusterStatusQuery, operationStatusQuery } from '../workflows/messages.js';
import type { ClusterStatus, OperationStatus } from '../workflows/types.js';
import { readExclusions } from './cluster-view.js';

export interface Snapshot {
  at: number;
  cluster?: ClusterStatus;
  /** Every operation seen so far, by workflow id, in the order they started. */
  operations: Map<string, OperationStatus>;
  exclusions?: Record<string, string>;
}

export class Follower {
  latest: Snapshot = { at: Date.now(), operations: new Map() };
  private stopped = false;
  private loop?: Promise<void>;
  private failure?: unknown;

  constructor(
    private readonly deps: { client: Client; es: ElasticsearchClient; clusterWorkflowId: string; everyMs: number; signal: AbortSignal },
    private readonly listener: (snapshot: Snapshot) => void,
  ) {}

  /** A read can fail now and then (a query racing a workflow's first task); many in a row cannot. */
  start(maxFailuresInARow = 40): void {
    this.loop = (async () => {
      let failuresInARow = 0;
      while (!this.stopped && !this.deps.signal.aborted) {
        try {
          this.latest = await this.read();
          failuresInARow = 0;
        } catch (err) {
          if (++failuresInARow >= maxFailuresInARow) {
            this.failure = err;
            return;
          }
        }
        if (this.stopped) return;
        this.listener(this.latest);
        await sleep(this.deps.everyMs);
      }
    })();
  }

  /** Stops following; a read still under way is not waited for more than a second. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.race([this.loop, sleep(1_000, undefined, { ref: false })]);
  }

  /** Resolves with the first snapshot `accept` takes; fails naming `what` after `timeoutMs`. */
  async waitFor<T>(what: string, accept: (s: Snapshot) => T | undefined | false, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.deps.signal.throwIfAborted();
      if (this.failure) throw new Error(`reading the workflows' status failed: ${(this.failure as Error).message}`);
      const value = accept(this.latest);
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
      await sleep(this.deps.everyMs / 2, undefined, { signal: this.deps.signal });
    }
  }

  private async read(): Promise<Snapshot> {
    const { client, es, clusterWorkflowId } = this.deps;
    const at = Date.now();
    const operations = new Map(this.latest.operations);
    let cluster: ClusterStatus | undefined;
    try {
      cluster = await client.workflow.getHandle(clusterWorkflowId).query(clusterStatusQuery);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    const ids = [...(cluster?.history.map((r) => r.workflowId) ?? []), ...(cluster?.running ? [cluster.running.workflowId] : [])];
    for (const id of ids) {
      if (operations.get(id)?.result) continue; // finished: its status no longer changes
      operations.set(id, await client.workflow.getHandle(id).query(operationStatusQuery));
    }
    return { at, cluster, operations, exclusions: await readExclusions(es) };
  }
}
