// Kubernetes Events on the StatefulSet, for the moments an on-call engineer looks for with
// `kubectl describe statefulset` or `kubectl events --for statefulset/<name>`. Best effort: an
// Event that cannot be written (no `events create` grant, API server down) is logged and
// dropped; it never fails or delays a scale operation.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { EventsV1Event } from '@kubernetes/client-node';
import { log } from '@temporalio/activity';
import type { ClusterConnections, KubernetesTarget } from './connections.js';

/** The reasons es-scaler reports, each with its Kubernetes event type and the action it was part of. */
export const EVENT_REASONS = {
  ScaleStarted: { type: 'Normal', action: 'Scale' },
  DrainStalled: { type: 'Warning', action: 'Drain' },
  Superseded: { type: 'Normal', action: 'Scale' },
  CleanupDone: { type: 'Normal', action: 'Cleanup' },
  ScaleFailed: { type: 'Warning', action: 'Scale' },
  StaleExclusion: { type: 'Warning', action: 'ReviewExclusions' },
} as const satisfies Record<string, { type: EventType; action: string }>;

export type EventReason = keyof typeof EVENT_REASONS;
export type EventType = 'Normal' | 'Warning';

export interface ScalerEvent {
  reason: EventReason;
  /** Human-readable; cut to the API's 1 kB limit for `note`. */
  message: string;
  /** Defaults to the reason's type in EVENT_REASONS. */
  type?: EventType;
}

export type RecordEventResult = { recorded: true; name: string } | { recorded: false; error: string };

export const REPORTING_CONTROLLER = 'es-scaler.io/worker';
const MAX_NOTE_BYTES = 1024;

export function createEventActivities(connections: ClusterConnections) {
  return {
    /** Creates an events.k8s.io/v1 Event regarding the cluster's StatefulSet. Never throws. */
    async recordEvent(cluster: string, event: ScalerEvent): Promise<RecordEventResult> {
      try {
        const target = await connections.kubernetes(cluster);
        const body = await eventFor(target, event);
        await target.events.createNamespacedEvent({ namespace: target.namespace, body });
        return { recorded: true, name: body.metadata!.name! };
      } catch (err) {
        const error = describeError(err);
        log.warn('Kubernetes Event not recorded (best effort, the operation goes on)', { reason: event.reason, error });
        return { recorded: false, error };
      }
    },
  };
}

async function eventFor(target: KubernetesTarget, event: ScalerEvent): Promise<EventsV1Event> {
  const { apps, namespace, statefulSet } = target;
  // The scale subresource carries the StatefulSet's uid, which `kubectl describe` matches Events on.
  const scale = await apps.readNamespacedStatefulSetScale({ name: statefulSet, namespace });
  const { V1MicroTime } = await import('@kubernetes/client-node'); // loaded already by the connection
  const now = new Date();
  const { type, action } = EVENT_REASONS[event.reason];
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    // Like client-go's recorder: the object's name and a unique suffix.
    metadata: { name: `${statefulSet}.${now.getTime().toString(16)}${randomBytes(4).toString('hex')}`, namespace },
    eventTime: new V1MicroTime(now.getTime()),
    reportingController: REPORTING_CONTROLLER,
    reportingInstance: (process.env.HOSTNAME ?? hostname()).slice(0, 128),
    action,
    reason: event.reason,
    type: event.type ?? type,
    note: truncateUtf8(event.message, MAX_NOTE_BYTES),
    regarding: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: statefulSet, namespace, uid: scale.metadata?.uid },
  };
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = text.slice(0, maxBytes - 1);
  while (Buffer.byteLength(`${cut}…`) > maxBytes) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** "HTTP 403 Forbidden: events.events.k8s.io is forbidden: ..." for an API error, else the message. */
function describeError(err: unknown): string {
  const { code, body } = err as { code?: number; body?: unknown };
  if (typeof code !== 'number') return err instanceof Error ? err.message : String(err);
  let status: { reason?: string; message?: string } = {};
  try {
    status = (typeof body === 'string' ? JSON.parse(body) : body) as typeof status;
  } catch {
    // not a Status object: the code alone
  }
  const hint = code === 403 ? ' (grant the worker `create` on events.k8s.io events in this namespace)' : '';
  return `HTTP ${code}${status.reason ? ` ${status.reason}` : ''}${status.message ? `: ${status.message}` : ''}${hint}`;
}
