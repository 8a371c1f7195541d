// Bounds on configurable values, shared by the config schema and the workflows' input checks
// (workflow code may import this module: it has no I/O).

/**
 * The most replicas any target may ask for. Far above any Elasticsearch data tier run as one
 * StatefulSet, low enough that a typo (20,000,000) never reaches the cluster or builds huge lists.
 */
export const MAX_REPLICAS = 1_000;

export const POLL_INTERVAL_BOUNDS = { min: 100, max: 5 * 60_000 };
export const STALL_AFTER_BOUNDS = { min: 1_000, max: 24 * 3_600_000 };

/** Up to the catch-up window of a missed run (schedules/desired.ts): a run may start that much later. */
export const SCHEDULE_JITTER_BOUNDS = { min: 0, max: 15 * 60_000 };
