// The per-cluster workflow (id "cluster/<namespace>/<statefulSet>"): it receives desired targets
// (setTarget signal, from schedules, the CLI or `temporal workflow signal`) and runs one
// scaleOperation child at a time. A newer target supersedes the running operation by
// *cancelling* it, so its cleanup runs, then pursues the new target. Never terminate: that
// would skip the cleanup (F2, F3).
import {
  CancellationScope,
  CancelledFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { ClusterState } from './cluster-state.js';
import { describeFailure } from './failures.js';
import { operationWorkflowId } from './ids.js';
import { clusterStatusQuery, setTargetSignal } from './messages.js';
import { operationMetrics } from './metrics.js';
import { scaleOperation } from './scale-operation.js';
import { EsClusterKey } from './search-attributes.js';
import type { ClusterWorkflowInput, OperationRecord, OperationResult, TargetRequest } from './types.js';

/** Start afresh (continue-as-new) after this many operations to keep the history short. */
const OPERATIONS_PER_RUN = 100;

export async function clusterWorkflow(input: ClusterWorkflowInput): Promise<void> {
  const state = new ClusterState(input);
  setHandler(setTargetSignal, (request) => state.request(request));
  setHandler(clusterStatusQuery, () => state.status());

  for (;;) {
    await condition(() => state.pending !== undefined || timeToContinueAsNew(state));
    if (state.pending === undefined) break;
    await runOperation(state);
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof clusterWorkflow>(state.carry());
}

function timeToContinueAsNew(state: ClusterState): boolean {
  return state.operationsThisRun >= OPERATIONS_PER_RUN || workflowInfo().continueAsNewSuggested;
}

async function runOperation(state: ClusterState): Promise<void> {
  const workflowId = operationWorkflowId(workflowInfo().workflowId, state.nextOperationSequence());
  const request = state.start(workflowId, new Date().toISOString());
  const scope = new CancellationScope();
  let settled = false;
  const child = scope
    .run(() =>
      executeChild(scaleOperation, {
        workflowId,
        args: [{ cluster: state.input.cluster, target: request.replicas, source: request.source }],
        typedSearchAttributes: [{ key: EsClusterKey, value: state.input.cluster }],
        memo: { cluster: state.input.cluster, target: request.replicas, source: request.source },
        // If this workflow is closed, ask the operation to cancel (and clean up), never terminate it.
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      }),
    )
    .finally(() => (settled = true));

  let cancelled = false;
  try {
    await condition(() => settled || state.pending !== undefined);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    cancelled = true; // our own cancellation reached the child through the scope
  }
  const supersededBy = !settled && !cancelled ? state.pending : undefined;
  if (supersededBy) {
    operationMetrics.superseded({ cluster: state.input.cluster });
    scope.cancel();
  }

  state.finish(await recordOf(workflowId, request, child, supersededBy));
  if (cancelled) throw new CancelledFailure('cluster workflow cancelled');
}

/** Waits for the child to finish (including its cleanup) and describes how it ended. */
async function recordOf(
  workflowId: string,
  request: TargetRequest,
  child: Promise<OperationResult>,
  supersededBy: TargetRequest | undefined,
): Promise<OperationRecord> {
  const base = { workflowId, target: request.replicas, source: request.source };
  const finishedAt = () => new Date().toISOString();
  try {
    const result = await child;
    const compensation = result.compensation.exclusionsRemoved;
    const detail = `${result.outcome}${compensation.length ? `; compensation removed ${compensation.join(', ')}` : ''}`;
    if (supersededBy) {
      return { ...base, outcome: 'superseded', detail: `superseded by target ${supersededBy.replicas} (${supersededBy.source}); ${detail}`, finishedAt: finishedAt() };
    }
    return { ...base, outcome: result.outcome, detail, finishedAt: finishedAt() };
  } catch (err) {
    if (supersededBy && isCancellation(err)) {
      return { ...base, outcome: 'superseded', detail: `superseded by target ${supersededBy.replicas} (${supersededBy.source})`, finishedAt: finishedAt() };
    }
    const outcome = isCancellation(err) ? 'cancelled' : 'failed';
    return { ...base, outcome, detail: describeFailure(err), finishedAt: finishedAt() };
  }
}
