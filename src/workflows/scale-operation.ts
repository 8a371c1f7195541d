// One scale operation of one cluster, as its own workflow so it can be watched, queried and
// cancelled by itself. Exclusions it added are removed on every way out: success, failure,
// cancellation, supersede, and after a worker crash (the workflow replays and gets here).
import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { replicasProblem, scaleDirection } from '../domain/scale-plan.js';
import { calls } from './activity-proxies.js';
import { releaseExclusions } from './cleanup.js';
import { describeFailure } from './failures.js';
import { operationStatusQuery } from './messages.js';
import { operationMetrics } from './metrics.js';
import { OperationState } from './operation-state.js';
import { scaleIn } from './scale-in.js';
import { scaleOut } from './scale-out.js';
import { ScaleDirectionKey } from './search-attributes.js';
import { reviewStaleExclusions } from './stale-exclusions.js';
import type { OperationInput, OperationResult } from './types.js';

export async function scaleOperation(input: OperationInput): Promise<OperationResult> {
  const op = new OperationState(input);
  setHandler(operationStatusQuery, () => op.status);

  let failure: unknown;
  try {
    const policy = await calls.loadClusterPolicy(input.cluster);
    const problem = replicasProblem(input.target, policy);
    if (problem) throw ApplicationFailure.nonRetryable(problem, 'InvalidTarget');

    const fromReplicas = await calls.readReplicas(input.cluster);
    const direction = scaleDirection(fromReplicas, input.target);
    op.begin(fromReplicas, direction);
    upsertSearchAttributes([{ key: ScaleDirectionKey, value: direction }]);
    operationMetrics.started(op.metricTags());

    await reviewStaleExclusions(op, policy, input.recordedLeftovers ?? []);
    if (direction === 'in') await scaleIn(op, policy, fromReplicas, input.target);
    if (direction === 'out') await scaleOut(op, policy, fromReplicas, input.target);
  } catch (err) {
    failure = err;
    if (isCancellation(err)) op.cancelled(new Date().toISOString());
  }

  await CancellationScope.nonCancellable(() => releaseExclusions(op, input.cluster));

  const result =
    failure === undefined ? op.finish('succeeded') : isCancellation(failure) ? op.finish('cancelled') : op.finish('failed', describeFailure(failure));
  operationMetrics.completed(op.metricTags(), result.outcome, result.compensation.exclusionsRemoved.length > 0);
  if (result.compensation.exclusionsLeft) operationMetrics.exclusionsLeft(op.metricTags(), result.compensation.exclusionsLeft.length);
  if (result.outcome !== 'failed') return result;
  throw ApplicationFailure.nonRetryable(result.error!, 'OperationFailed', result);
}
