// es-scaler's own metrics, emitted from workflow code through the SDK's metric meter (not during
// replay), and exported by the worker's Prometheus endpoint next to the SDK's metrics.
import { metricMeter } from '@temporalio/workflow';
import type { OperationOutcome } from './types.js';

type Tags = Record<string, string>;

export const operationMetrics = {
  started(tags: Tags): void {
    metricMeter.createCounter('es_scaler_operations_started', 'operations', 'Scale operations started').withTags(tags).add(1);
  },
  completed(tags: Tags, outcome: OperationOutcome, compensated: boolean): void {
    metricMeter.createCounter('es_scaler_operations_completed', 'operations', 'Scale operations finished, by outcome').withTags({ ...tags, outcome }).add(1);
    if (compensated) {
      metricMeter.createCounter('es_scaler_operations_compensated', 'operations', 'Operations that removed their exclusions on the way out').withTags(tags).add(1);
    }
  },
  superseded(tags: Tags): void {
    metricMeter.createCounter('es_scaler_operations_superseded', 'operations', 'Operations cancelled for a newer target').withTags(tags).add(1);
  },
  drainFinished(tags: Tags, durationMs: number): void {
    metricMeter.createHistogram('es_scaler_drain_duration', 'int', 'ms', 'Time to drain one node').withTags(tags).record(durationMs);
  },
  shardsLeft(tags: Tags, shards: number): void {
    metricMeter.createGauge('es_scaler_drain_shards_left', 'int', 'shards', 'Shards left on the node being drained').withTags(tags).set(shards);
  },
  stalled(tags: Tags): void {
    metricMeter.createCounter('es_scaler_drain_stalls', 'stalls', 'Drains found unable to progress').withTags(tags).add(1);
  },
  exclusionsLeft(tags: Tags, count: number): void {
    metricMeter.createCounter('es_scaler_exclusions_left', 'entries', 'Exclusions an operation could not remove on its way out').withTags(tags).add(count);
  },
  staleExclusionsFound(tags: Tags, count: number): void {
    metricMeter.createCounter('es_scaler_stale_exclusions_found', 'entries', 'Exclusion entries owned by no operation').withTags(tags).add(count);
  },
};
