// Exclusions found at the start of an operation belong to no live operation: the cluster workflow
// runs one operation at a time. They are reported; with sweepStaleExclusions, the ones that are
// ours to remove (recorded as left behind by an earlier operation, or naming a pod of this
// StatefulSet that no longer exists, like the incident's zombie) are removed. An operator's
// exclusion of a live pod, and anything else, is never touched (F3, F6). With drainMethod shutdown,
// node-shutdown records that earlier operations of this cluster workflow left behind are reported
// and swept the same way (see domain/node-shutdown.ts#leftoverRecords).
import { workflowInfo } from '@temporalio/workflow';
import { formatEntry } from '../domain/exclusion-list.js';
import { formatRecord } from '../domain/node-shutdown.js';
import { calls, summarised, writes } from './activity-proxies.js';
import { announce } from './announce.js';
import { operationMetrics } from './metrics.js';
import type { OperationState } from './operation-state.js';
import type { ClusterPolicy } from './types.js';

export async function reviewStaleExclusions(op: OperationState, policy: ClusterPolicy, recordedLeftovers: string[]): Promise<void> {
  if (policy.drainMethod === 'shutdown') await reviewStaleShutdownRecords(op, policy);
  const { stale, sweepable } = await calls.reviewStaleExclusions(policy.cluster, recordedLeftovers);
  op.staleFound(stale);
  if (stale.length === 0) return;
  operationMetrics.staleExclusionsFound(op.metricTags(), stale.length);
  op.note(`exclusions owned by no operation: ${stale.map(formatEntry).join(', ')}`);
  await announce(policy.cluster, 'StaleExclusion', `exclusions no operation owns: ${stale.map(formatEntry).join(', ')}${policy.sweepStaleExclusions ? '' : ' (sweepStaleExclusions is off: reported, not removed)'}`);
  if (!policy.sweepStaleExclusions) return;
  for (const entry of sweepable) {
    const edit = await summarised(writes.removeExclusion, `sweep ${formatEntry(entry)}`, policy.cluster, entry);
    if (edit.conflict) op.conflictSeen(edit.conflict);
    op.swept(entry);
    op.note(`swept stale exclusion ${formatEntry(entry)}`);
  }
}

async function reviewStaleShutdownRecords(op: OperationState, policy: ClusterPolicy): Promise<void> {
  const { workflowId, parent } = workflowInfo();
  if (!parent) return; // an operation started by hand, outside a cluster workflow: it cannot tell which records are its cluster's
  const leftovers = await calls.findLeftoverShutdownRecords(policy.cluster, { clusterWorkflowId: parent.workflowId, operationId: workflowId });
  op.staleFound(leftovers);
  if (leftovers.length === 0) return;
  const listed = leftovers.map(formatRecord).join(', ');
  operationMetrics.staleExclusionsFound(op.metricTags(), leftovers.length);
  op.note(`node-shutdown records earlier operations left behind: ${listed}`);
  await announce(policy.cluster, 'StaleExclusion', `node-shutdown records no operation owns: ${listed}${policy.sweepStaleExclusions ? '' : ' (sweepStaleExclusions is off: reported, not removed)'}`);
  if (!policy.sweepStaleExclusions) return;
  for (const record of leftovers) {
    await summarised(writes.deleteShutdownRecord, `sweep ${formatRecord(record)}`, policy.cluster, { nodeId: record.nodeId, operationId: record.operationId });
    op.swept(record);
    op.note(`swept stale shutdown record ${formatRecord(record)} (put by ${record.operationId})`);
  }
}
