// The message an operator needs from a failure chain (ActivityFailure → ApplicationFailure → ...).

export function describeFailure(err: unknown): string {
  let current: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  while (current instanceof Error && (current as { cause?: unknown }).cause instanceof Error) {
    current = (current as { cause: Error }).cause;
    message = (current as Error).message;
  }
  return message;
}
