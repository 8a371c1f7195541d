// Reading failure chains (ActivityFailure → ApplicationFailure → ...) for operators and decisions.
import { ApplicationFailure } from '@temporalio/workflow';

/** The message an operator needs: the innermost cause's. */
export function describeFailure(err: unknown): string {
  let current: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  while (current instanceof Error && (current as { cause?: unknown }).cause instanceof Error) {
    current = (current as { cause: Error }).cause;
    message = (current as Error).message;
  }
  return message;
}

/** The first ApplicationFailure in the chain. */
export function applicationFailureIn(err: unknown): ApplicationFailure | undefined {
  let current: unknown = err;
  while (current instanceof Error) {
    if (current instanceof ApplicationFailure) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when the failure is one retrying cannot fix (bad credentials, a deleted StatefulSet, a refusal). */
export function isPermanent(err: unknown): boolean {
  return applicationFailureIn(err)?.nonRetryable === true;
}

/** True for an ApplicationFailure of this type anywhere in the chain. */
export function hasFailureType(err: unknown, type: string): boolean {
  return applicationFailureIn(err)?.type === type;
}
