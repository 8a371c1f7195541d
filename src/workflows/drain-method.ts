// How a node is drained, behind one small seam, so the scale-in runbook and the drain watch read the
// same for both methods (chosen per cluster by `drainMethod`):
// - exclude: an entry in `cluster.routing.allocation.exclude._name` (or `_ip`), a list shared with
//   other writers;
// - shutdown: a `remove` record of the node-shutdown API (`PUT _nodes/<id>/shutdown`), one per node,
//   which touches no shared list.
// Either is owned before the call that writes it, written in a non-cancellable scope, put back when a
// drain poll finds it gone, and released on every way out (cleanup.ts).
import { ApplicationFailure, CancellationScope, workflowInfo } from '@temporalio/workflow';
import type { DrainPoll } from '../domain/drain-safety.js';
import { formatHold, isShutdownRecord, type DrainHold } from '../domain/drain-hold.js';
import { formatEntry, type OwnedExclusion } from '../domain/exclusion-list.js';
import { formatRecord, type OwnedShutdownRecord } from '../domain/node-shutdown.js';
import { calls, summarised, writes, type cleanups, watchers } from './activity-proxies.js';
import type { DrainWatch } from '../activities/drain-watch.js';
import type { OperationState } from './operation-state.js';
import type { ClusterPolicy } from './types.js';
import { LONGEST_DRAIN_WATCH_MS } from './waiting.js';

/** What the pre-flight found for the pod: its exclusion entry, and whether someone else's exclusion already holds it. */
export interface PreflightFindings {
  entry: OwnedExclusion;
  alreadyExcluded: boolean;
}

export interface DrainWatchRequest {
  node: string;
  hold: DrainHold | undefined;
  last: DrainPoll | undefined;
  returnAfterMs: number;
  /** The stall clock, which the watch keeps while it has control: when the drain last progressed. */
  progressSince: number;
}

export interface DrainMethod {
  /** Asks Elasticsearch to move every copy off `pod`; the hold, or undefined when one that is not ours already does. */
  hold(op: OperationState, policy: ClusterPolicy, pod: string, found: PreflightFindings): Promise<DrainHold | undefined>;
  /** One drain watch (returns when the workflow has something to decide); `entryInForce: false` when the hold is gone. */
  watch(policy: ClusterPolicy, request: DrainWatchRequest): Promise<DrainWatch>;
  /** A drain poll found the hold gone (another writer dropped the entry; the node came back under a new id): put it back. */
  restore(op: OperationState, policy: ClusterPolicy, pod: string, hold: DrainHold): Promise<DrainHold>;
}

export function drainMethodFor(policy: ClusterPolicy): DrainMethod {
  return policy.drainMethod === 'shutdown' ? shutdownDrain : exclusionDrain;
}

const exclusionDrain: DrainMethod = {
  async hold(op, policy, _pod, { entry, alreadyExcluded }) {
    if (alreadyExcluded) return undefined;
    op.own(entry);
    const edit = await CancellationScope.nonCancellable(() => summarised(writes.addExclusion, `exclude ${formatEntry(entry)}`, policy.cluster, entry));
    op.placed(entry, edit.scope);
    if (edit.conflict) op.conflictSeen(edit.conflict);
    op.note(`excluded ${formatEntry(entry)} from shard allocation`);
    return entry;
  },

  watch(policy, { hold, ...request }) {
    const { watchDrain } = watchers(policy.pollIntervalMs, LONGEST_DRAIN_WATCH_MS);
    const entry = hold && !isShutdownRecord(hold) ? hold : undefined;
    return summarised(watchDrain, `drain ${request.node}`, { ...watchRequest(policy, request), ...(entry && { entry }) });
  },

  /** Elasticsearch has no compare-and-set on settings: put the entry back, keep the other writer's, report it. */
  async restore(op, policy, _pod, hold) {
    const entry = hold as OwnedExclusion;
    const edit = await CancellationScope.nonCancellable(() => summarised(writes.addExclusion, `exclude ${formatEntry(entry)} again`, policy.cluster, entry));
    op.placed(entry, edit.scope);
    op.conflictSeen(edit.conflict ?? `${formatEntry(entry)} was removed from the exclusion list by another writer while ${entry.pod} drained; added it again`);
    return entry;
  },
};

const shutdownDrain: DrainMethod = {
  async hold(op, policy, pod) {
    const [nodeId] = await calls.nodeIds(policy.cluster, [pod]);
    if (!nodeId) throw ApplicationFailure.nonRetryable(`no Elasticsearch node named ${pod} to put a shutdown record for`, 'NodeNotFound');
    return putRecord(op, policy, { nodeId, pod });
  },

  watch(policy, { hold: _hold, ...request }) {
    const { watchShutdownDrain } = watchers(policy.pollIntervalMs, LONGEST_DRAIN_WATCH_MS);
    return summarised(watchShutdownDrain, `drain ${request.node} (node shutdown)`, watchRequest(policy, request));
  },

  async restore(op, policy, pod, hold) {
    const [nodeId] = await calls.nodeIds(policy.cluster, [pod]);
    if (!nodeId) return hold; // it left meanwhile: the next poll says so
    const again = await putRecord(op, policy, { nodeId, pod });
    op.note(`the shutdown record of ${pod} was gone (deleted by someone else, or the node came back under a new id); put ${formatRecord({ nodeId, pod })} again`);
    return again ?? hold;
  },
};

/** What every drain watch is asked, whatever the method. */
function watchRequest(policy: ClusterPolicy, { node, last, returnAfterMs, progressSince }: Omit<DrainWatchRequest, 'hold'>) {
  return { cluster: policy.cluster, node, ...(last && { last }), pollIntervalMs: policy.pollIntervalMs, returnAfterMs, progressSince, stallAfterMs: policy.stallAfterMs };
}

async function putRecord(op: OperationState, policy: ClusterPolicy, record: OwnedShutdownRecord): Promise<OwnedShutdownRecord | undefined> {
  op.own(record);
  const put = await CancellationScope.nonCancellable(() =>
    summarised(writes.putShutdownRecord, `PUT ${formatRecord(record)} type remove`, {
      cluster: policy.cluster,
      nodeId: record.nodeId,
      node: record.pod,
      operationId: workflowInfo().workflowId,
    }),
  );
  if (!put.placed) {
    op.release(record, false);
    op.note(`${record.pod} already has a remove record that is not ours: it drains the node; es-scaler leaves it alone`);
    return undefined;
  }
  op.note(`asked Elasticsearch to move every copy off ${record.pod}: ${formatRecord(record)}, type remove`);
  return record;
}

/** Removes one hold from the cluster, with the activity group the caller runs it in; `prefix` starts the UI summary. */
export async function releaseHold(op: OperationState, activities: typeof writes | typeof cleanups, cluster: string, hold: DrainHold, prefix = ''): Promise<void> {
  if (isShutdownRecord(hold)) {
    // deletes only a record whose reason names this operation: one put by anyone else stays
    await summarised(activities.deleteShutdownRecord, `${prefix}DELETE ${formatHold(hold)}`, cluster, { nodeId: hold.nodeId, operationId: workflowInfo().workflowId });
    return;
  }
  const edit = await summarised(activities.removeExclusion, `${prefix}un-exclude ${formatEntry(hold)}`, cluster, hold, hold.scope);
  if (edit.conflict) op.conflictSeen(edit.conflict);
}
