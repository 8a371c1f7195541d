// The CLI's exit codes, in one place (README "Operating it" lists them).
export const EXIT = {
  ok: 0,
  /** Something failed: Temporal or a cluster unreachable, an operation failed (--wait). */
  failure: 1,
  /** Bad input: arguments, options, the config file; nothing was changed. */
  badInput: 2,
  /** --wait: the operation ended without reaching its goal: superseded, or cancelled (scale); finished anyway (cancel). */
  notReached: 3,
  /** plan: it would proceed, with warnings (stale exclusions kept, health not green, an operation superseded). */
  planWarnings: 4,
  /** plan: it would not reach the target (the pre-flight refuses, or a drain would stall). */
  planBlocked: 5,
} as const;
