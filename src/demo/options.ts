// What `es-scaler demo` was asked to do, and its pace: a person watching gets a few seconds to read
// each turn of the story; --ci shortens every wait so the run ends in seconds.

export interface DemoOptions {
  /** Non-interactive, short waits; the exit code says whether the final state is right. */
  ci: boolean;
  /** Leave everything up for the UI and the CLI until Ctrl-C / SIGTERM. */
  keepRunning: boolean;
  /** Only the cronjob + operator replay (no Temporal, no es-scaler). */
  naiveOnly: boolean;
}

export interface Pace {
  /** es-scaler's cluster config. */
  pollInterval: string;
  /** Long enough that the morning target arrives before the stalled drain gives up. */
  stallAfter: string;
  /** How long the night stays stuck (after the reason is shown) before the morning fires. */
  stuckForMs: number;
  /** How often the demo reads the workflows' status and the cluster. */
  watchEveryMs: number;
  /** The naive operator's drain loop: pause between retries, and where the demo cuts it short. */
  naiveRetryDelayMs: number;
  naiveRetryCap: number;
}

export const INTERACTIVE_PACE: Pace = {
  pollInterval: '500ms',
  stallAfter: '10m',
  stuckForMs: 6_000,
  watchEveryMs: 50,
  naiveRetryDelayMs: 300,
  naiveRetryCap: 40,
};

export const CI_PACE: Pace = {
  pollInterval: '250ms',
  stallAfter: '2m',
  stuckForMs: 1_000,
  watchEveryMs: 50,
  naiveRetryDelayMs: 100,
  naiveRetryCap: 15,
};

export function paceOf(options: DemoOptions): Pace {
  return options.ci ? CI_PACE : INTERACTIVE_PACE;
}

/** The retries the incident's operator allowed itself before giving up. */
export const NAIVE_MAX_RETRIES = 999;
