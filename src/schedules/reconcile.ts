// The difference between the schedules the file asks for and the ones on the server, as a list of
// changes for `schedules apply` to make (or, with --dry-run, to print). Pure: no I/O here.
import type { DesiredSchedule, ManagedSpec } from './desired.js';

/** A schedule as read from the server. */
export interface ObservedSchedule {
  scheduleId: string;
  /** It carries this deployment's es-scaler marker (see isManagedBy). */
  managed: boolean;
  /** Who holds the id when it is not ours, for the conflict message. */
  owner?: string;
  spec: Partial<ManagedSpec>;
}

export type ScheduleChange =
  | { action: 'create'; scheduleId: string; desired: DesiredSchedule; changes: string[] }
  | { action: 'update'; scheduleId: string; desired: DesiredSchedule; changes: string[] }
  | { action: 'delete'; scheduleId: string; changes: string[] }
  /** The id is taken by a schedule es-scaler does not manage: apply refuses to change anything. */
  | { action: 'conflict'; scheduleId: string; changes: string[] };

/** Field order in change descriptions: what a reader looks for first. */
const FIELDS: (keyof ManagedSpec)[] = ['cron', 'timezone', 'replicas', 'cluster', 'source', 'taskQueue', 'workflowType', 'workflowId', 'catchupWindowMs', 'configDigest'];

export function reconcile(desired: DesiredSchedule[], observed: ObservedSchedule[]): ScheduleChange[] {
  const byId = new Map(observed.map((o) => [o.scheduleId, o]));
  const wanted = new Set(desired.map((d) => d.scheduleId));
  const changes: ScheduleChange[] = [];

  for (const d of desired) {
    const found = byId.get(d.scheduleId);
    if (!found) {
      changes.push({ action: 'create', scheduleId: d.scheduleId, desired: d, changes: [describeSpec(d.spec)] });
    } else if (!found.managed) {
      changes.push({ action: 'conflict', scheduleId: d.scheduleId, changes: [`the id is taken by a schedule of ${found.owner ?? 'someone else'}; not touching it`] });
    } else {
      const differences = specDifferences(found.spec, d.spec);
      if (differences.length > 0) changes.push({ action: 'update', scheduleId: d.scheduleId, desired: d, changes: differences });
    }
  }
  for (const o of observed) {
    if (o.managed && !wanted.has(o.scheduleId)) {
      changes.push({ action: 'delete', scheduleId: o.scheduleId, changes: ['no longer in the config file'] });
    }
  }
  return changes.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** "replicas: 6 → 5", one per field that differs. */
export function specDifferences(current: Partial<ManagedSpec>, desired: ManagedSpec): string[] {
  return FIELDS.filter((field) => current[field] !== desired[field]).map(
    (field) => `${field}: ${show(current[field])} → ${show(desired[field])}`,
  );
}

export function describeSpec(spec: Pick<ManagedSpec, 'cron' | 'timezone' | 'replicas'>): string {
  return `${spec.replicas} replicas at "${spec.cron}" ${spec.timezone}`;
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? `"${value}"` : String(value);
}
