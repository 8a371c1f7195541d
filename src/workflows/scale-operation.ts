// One scale operation of one cluster, as its own workflow so it can be watched, queried and
// cancelled by itself. Exclusions (or node-shutdown records) it added are removed on every way out: success, failure,
// cancellation, supersede, and after a worker crash (the workflow replays and gets here).
import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { replicasProblem, scaleDirection } from '../domain/scale-plan.js';
import { calls } from './activity-proxies.js';
import { releaseExclusions } from './cleanup.js';
import { applicationFailureIn, describeFailure } from './failures.js';
import { operationStatusQuery, supersedingSignal } from './messages.js';
import { operationMetrics } from './metrics.js';
import { OperationState } from './operation-state.js';
import { scaleIn } from './scale-in.js';
import { scaleOut } from './scale-out.js';
import { announce } from './announce.js';
import { ScaleDirectionKey, ScaleOutcomeKey } from './search-attributes.js';
import { releaseVotingExclusion } from './voting-exclusion.js';
import { reviewStaleExclusions } from './stale-exclusions.js';
import type { OperationInput, OperationResult } from './types.js';

export async function scaleOperation(input: OperationInput): Promise<OperationResult> {
  const op = new OperationState(input);
  setHandler(operationStatusQuery, () => op.status);
  setHandler(supersedingSignal, (by) => op.supersede(by));

  let failure: unknown;
  try {
    const policy = await calls.loadClusterPolicy(input.cluster);
    const problem = replicasProblem(input.target, policy);
    if (problem) throw ApplicationFailure.nonRetryable(problem, 'InvalidTarget');
    // before anything changes: an engine detected as OpenSearch (or Elasticsearch < 7.15) refuses drainMethod shutdown
    if (policy.drainMethod === 'shutdown') await calls.checkNodeShutdownSupport(input.cluster);

    const fromReplicas = await calls.readReplicas(input.cluster);
    const direction = scaleDirection(fromReplicas, input.target);
    op.begin(fromReplicas, direction, policy.stallAfterMs);
    upsertSearchAttributes([{ key: ScaleDirectionKey, value: direction }]);
    operationMetrics.started(op.metricTags());
    if (direction !== 'none') await announce(input.cluster, 'ScaleStarted', `scale-${direction} ${fromReplicas} → ${input.target} replicas, asked by ${input.source} (${workflowInfo().workflowId})`);

    await reviewStaleExclusions(op, policy, input.recordedLeftovers ?? []);
    if (direction === 'in') await scaleIn(op, policy, fromReplicas, input.target);
    if (direction === 'out') await scaleOut(op, policy, fromReplicas, input.target);
  } catch (err) {
    failure = err;
    if (isCancellation(err)) op.cancelled(new Date().toISOString());
  }

  await CancellationScope.nonCancellable(() => releaseExclusions(op, input.cluster));
  await CancellationScope.nonCancellable(() => releaseVotingExclusion(op, input.cluster));

  const result =
    failure === undefined ? op.finish('succeeded') : isCancellation(failure) ? op.finish('cancelled') : op.finish('failed', describeFailure(failure), applicationFailureIn(failure)?.type ?? undefined);
  operationMetrics.completed(op.metricTags(), result.outcome, result.compensation.exclusionsRemoved.length > 0);
  if (result.compensation.exclusionsLeft) operationMetrics.exclusionsLeft(op.metricTags(), result.compensation.exclusionsLeft.length);
  operationMetrics.operationEnded(op.metricTags(), op.drainedNodes());
  upsertSearchAttributes([{ key: ScaleOutcomeKey, value: op.outcomeLabel(result.outcome) }]);
  if (result.outcome !== 'failed') return result;
  // A target refused before anything started (out of range) is the caller's error, reported to them; no Event.
  if (op.status.direction !== undefined) await announce(input.cluster, 'ScaleFailed', `${input.target} replicas (asked by ${input.source}): ${result.error}`);
  throw ApplicationFailure.nonRetryable(result.error!, 'OperationFailed', result);
}
