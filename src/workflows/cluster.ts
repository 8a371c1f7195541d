// The per-cluster workflow (id "cluster/<name>"): it receives desired targets (the setTarget update
// or signal, from schedules, the CLI or `temporal`) and runs one scaleOperation child at a time. A
// newer target supersedes the running operation by *cancelling* it, so its cleanup runs, then
// pursues the new target. Never terminate: that would skip the cleanup (F2, F3). Which target
// supersedes what is ClusterState's rule; this loop only acts on it.
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { targetRequestProblem } from '../domain/target-request.js';
import { ClusterState } from './cluster-state.js';
import { applicationFailureIn, describeFailure } from './failures.js';
import { operationWorkflowId } from './ids.js';
import { announce } from './announce.js';
import { clusterDetails } from './details.js';
import { clusterStatusQuery, setTargetSignal, setTargetUpdate, supersedingSignal } from './messages.js';
import { operationMetrics } from './metrics.js';
import { scaleOperation } from './scale-operation.js';
import { EsClusterKey } from './search-attributes.js';
import type { ClusterWorkflowInput, OperationRecord, OperationResult, TargetRequest } from './types.js';

/** Start afresh (continue-as-new) after this many operations to keep the history short. */
const OPERATIONS_PER_RUN = 100;

export async function clusterWorkflow(input: ClusterWorkflowInput): Promise<void> {
  const state = new ClusterState(input);
  setHandler(setTargetSignal, (request) => {
    state.request(request);
    publish(state);
  });
  setHandler(
    setTargetUpdate,
    (request) => {
      state.request(request);
      publish(state);
      return state.status();
    },
    {
      validator: (request) => {
        const problem = targetRequestProblem(request);
        if (problem) throw ApplicationFailure.nonRetryable(problem, 'InvalidTarget');
      },
    },
  );
  setHandler(clusterStatusQuery, () => state.status());

  publish(state);
  for (;;) {
    await condition(() => state.ready || timeToContinueAsNew(state));
    if (!state.ready) break;
    await runOperation(state);
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof clusterWorkflow>(state.carry());
}

/** What the Temporal UI shows as this workflow's current details. */
function publish(state: ClusterState): void {
  setCurrentDetails(clusterDetails(state.status()));
}

function timeToContinueAsNew(state: ClusterState): boolean {
  return state.operationsThisRun >= OPERATIONS_PER_RUN || workflowInfo().continueAsNewSuggested;
}

async function runOperation(state: ClusterState): Promise<void> {
  const { workflowId, request } = state.start((n) => operationWorkflowId(workflowInfo().workflowId, n, workflowInfo().runId), new Date().toISOString());
  publish(state);
  const scope = new CancellationScope();
  let settled = false;
  const child = scope
    .run(() =>
      executeChild(scaleOperation, {
        workflowId,
        args: [{ cluster: state.input.cluster, target: request.replicas, source: request.source, recordedLeftovers: state.recordedLeftovers }],
        typedSearchAttributes: [{ key: EsClusterKey, value: state.input.cluster }],
        memo: { cluster: state.input.cluster, target: request.replicas, source: request.source },
        staticSummary: `${state.input.cluster}: scale to ${request.replicas} replicas (${request.source})`,
        staticDetails: `Asked at ${request.requestedAt ?? 'an unknown time'} by ${request.source}. Cancel it (this cleans up its exclusions first); never terminate it.`,
        // If this workflow is closed, ask the operation to cancel (and clean up), never terminate it.
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      }),
    )
    .finally(() => (settled = true));

  let cancelled = false;
  try {
    // Re-checked after waking: a later signal in the same activation may have merged the target back.
    while (!settled && !state.supersedeDue) await condition(() => settled || state.supersedeDue);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    cancelled = true; // our own cancellation reached the child through the scope
  }
  if (!settled && !cancelled) {
    const by = state.supersede();
    operationMetrics.superseded({ cluster: state.input.cluster });
    // Tell the operation why before cancelling it, so its status and ScaleOutcome say "superseded".
    getExternalWorkflowHandle(workflowId).signal(supersedingSignal, by).catch(() => undefined);
    scope.cancel();
    publish(state);
    await announce(state.input.cluster, 'Superseded', `${workflowId} (target ${request.replicas}, ${request.source}) superseded by target ${by.replicas} (${by.source}); it cleans up first`);
  }

  const { record, result } = await outcomeOf(workflowId, request, child, () => state.supersededBy);
  state.finish(record, result);
  publish(state);
  if (cancelled) throw new CancelledFailure('cluster workflow cancelled');
}

/** Waits for the child to finish (including its cleanup) and describes how it ended. */
async function outcomeOf(
  workflowId: string,
  request: TargetRequest,
  child: Promise<OperationResult>,
  supersededBy: () => TargetRequest | undefined,
): Promise<{ record: OperationRecord; result?: OperationResult }> {
  const base = { workflowId, target: request.replicas, source: request.source };
  let outcome: OperationRecord['outcome'];
  let what: string;
  let result: OperationResult | undefined;
  try {
    result = await child;
    outcome = result.outcome;
    what = result.outcome;
  } catch (err) {
    // A failed operation carries its result (with its compensation) in the failure's details.
    result = applicationFailureIn(err)?.details?.[0] as OperationResult | undefined;
    outcome = isCancellation(err) ? 'cancelled' : 'failed';
    what = describeFailure(err);
  }
  const by = supersededBy();
  if (by && outcome !== 'failed') {
    outcome = 'superseded';
    what = `superseded by target ${by.replicas} (${by.source}); ${what}`;
  }
  const detail = `${what}${compensationText(result)}`;
  return { record: { ...base, outcome, detail, finishedAt: new Date().toISOString() }, result };
}

function compensationText(result: OperationResult | undefined): string {
  const removed = result?.compensation.exclusionsRemoved ?? [];
  const left = result?.compensation.exclusionsLeft ?? [];
  return `${removed.length ? `; compensation removed ${removed.join(', ')}` : ''}${left.length ? `; LEFT IN PLACE ${left.join(', ')}` : ''}`;
}
