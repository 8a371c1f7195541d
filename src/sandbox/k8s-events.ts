// events.k8s.io/v1 Events: created and listed per namespace, with the create-time validation of
// the real API server (pkg/apis/core/validation/events.go) that a client is likely to trip on.

type Json = Record<string, unknown>;

const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LIMITS = { reportingController: 128, reportingInstance: 128, action: 128, reason: 128 };
const NOTE_LIMIT = 1024;

/** A field problem, as a metav1.StatusCause. */
export interface FieldCause {
  reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueTooLong' | 'FieldValueNotSupported';
  field: string;
  message: string;
}

export class EventStore {
  private readonly events: Json[] = [];
  private nextUid = 1;

  /** The stored Event, or the fields that make it invalid (nothing is stored then). */
  create(namespace: string, event: Json, resourceVersion: string): { event: Json } | { causes: FieldCause[] } {
    const causes = validate(namespace, event);
    if (causes.length > 0) return { causes };
    const metadata = { ...(event.metadata as Json), namespace, uid: `event-${this.nextUid++}`, resourceVersion, creationTimestamp: new Date().toISOString() };
    const stored = { ...event, apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata };
    this.events.push(stored);
    return { event: stored };
  }

  exists(namespace: string, name: string): boolean {
    return this.events.some((e) => (e.metadata as Json).namespace === namespace && (e.metadata as Json).name === name);
  }

  list(namespace?: string): Json[] {
    return this.events.filter((e) => namespace === undefined || (e.metadata as Json).namespace === namespace).map((e) => structuredClone(e));
  }
}

function validate(namespace: string, event: Json): FieldCause[] {
  const causes: FieldCause[] = [];
  const required = (field: string, value: unknown) => {
    if (typeof value !== 'string' || value === '') causes.push({ reason: 'FieldValueRequired', field, message: 'Required value' });
    return typeof value === 'string' ? value : '';
  };
  const metadata = (event.metadata ?? {}) as Json;
  required('metadata.name', metadata.name);
  if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
    causes.push({ reason: 'FieldValueInvalid', field: 'metadata.namespace', message: 'does not match the namespace of the request' });
  }
  required('eventTime', event.eventTime);
  for (const [field, limit] of Object.entries(LIMITS)) {
    const value = required(field, event[field]);
    if (value.length > limit) causes.push({ reason: 'FieldValueTooLong', field, message: `may not be more than ${limit} bytes` });
  }
  if (typeof event.reportingController === 'string' && !QUALIFIED_NAME.test(event.reportingController)) {
    causes.push({ reason: 'FieldValueInvalid', field: 'reportingController', message: 'must be a qualified name' });
  }
  if (event.type !== 'Normal' && event.type !== 'Warning') {
    causes.push({ reason: 'FieldValueNotSupported', field: 'type', message: 'supported values: "Normal", "Warning"' });
  }
  if (typeof event.note === 'string' && Buffer.byteLength(event.note) > NOTE_LIMIT) {
    causes.push({ reason: 'FieldValueTooLong', field: 'note', message: `may not be more than ${NOTE_LIMIT} bytes` });
  }
  const regarding = event.regarding as Json | undefined;
  if (regarding?.namespace !== undefined && regarding.namespace !== namespace) {
    causes.push({ reason: 'FieldValueInvalid', field: 'regarding.namespace', message: 'does not match event.namespace' });
  }
  return causes;
}
