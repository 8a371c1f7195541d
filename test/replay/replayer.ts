// Replays recorded histories against a workflow bundle with the SDK's replayer.
import { Worker } from '@temporalio/worker';
import type { RecordedHistory } from './histories.js';

/** The replay error of each history that does not replay, by its file; empty when all replay. */
export async function replayFailures(bundlePath: string, histories: RecordedHistory[]): Promise<Map<string, Error>> {
  const fileOf = new Map(histories.map((h) => [h.workflowId, h.file]));
  const failures = new Map<string, Error>();
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath } }, histories)) {
    replayed++;
    if (result.error) failures.set(fileOf.get(result.workflowId)!, result.error);
  }
  if (replayed !== histories.length) throw new Error(`the replayer answered for ${replayed} of ${histories.length} histories`);
  return failures;
}

/** The SDK's error for a history the code no longer matches. */
export function isNonDeterminism(error: Error | undefined): boolean {
  return error?.name === 'DeterminismViolationError';
}
