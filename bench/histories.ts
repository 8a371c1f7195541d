// What the workflow histories of a task queue say: how long tasks waited for a worker
// (schedule-to-start, from the Scheduled and Started events' times) and how many events each
// workflow wrote.
import type { Client, WorkflowHandle } from '@temporalio/client';

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

export interface QueueHistories {
  workflows: number;
  events: number;
  /** Per workflow type: total events and executions. */
  eventsByType: Record<string, { executions: number; events: number }>;
  workflowTaskWaitsMs: number[];
  activityTaskWaitsMs: number[];
  /** Events the scaleOperation workflows wrote for their nodes (nodeEvents), summed. */
  nodeEvents: number;
}

const FETCH_CONCURRENCY = 20;

export async function readQueueHistories(client: Client, taskQueue: string): Promise<QueueHistories> {
  const executions: { workflowId: string; runId: string; type: string }[] = [];
  for await (const wf of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) executions.push({ workflowId: wf.workflowId, runId: wf.runId, type: wf.type });
  const result: QueueHistories = { workflows: executions.length, events: 0, eventsByType: {}, workflowTaskWaitsMs: [], activityTaskWaitsMs: [], nodeEvents: 0 };
  for (let next = 0; next < executions.length; next += FETCH_CONCURRENCY) {
    const batch = executions.slice(next, next + FETCH_CONCURRENCY);
    const histories = await Promise.all(batch.map((e) => client.workflow.getHandle(e.workflowId, e.runId).fetchHistory()));
    histories.forEach((history, i) => {
      const events = history.events ?? [];
      const byType = (result.eventsByType[batch[i]!.type] ??= { executions: 0, events: 0 });
      byType.executions++;
      byType.events += events.length;
      result.events += events.length;
      collectWaits(events, result);
      if (batch[i]!.type === 'scaleOperation') result.nodeEvents += nodeEvents(events);
    });
  }
  return result;
}

function collectWaits(events: HistoryEvent[], into: QueueHistories): void {
  const scheduledAt = new Map<number, number>();
  for (const event of events) {
    const id = Number(event.eventId);
    const at = timeOf(event);
    if (event.workflowTaskScheduledEventAttributes || event.activityTaskScheduledEventAttributes) scheduledAt.set(id, at);
    const workflowTask = event.workflowTaskStartedEventAttributes;
    if (workflowTask) {
      const from = scheduledAt.get(Number(workflowTask.scheduledEventId));
      if (from !== undefined) into.workflowTaskWaitsMs.push(at - from);
    }
    // the Started event of an activity is written when it ends, with the time its last attempt started;
    // a retried attempt waited its backoff too, so only first attempts count
    const activityTask = event.activityTaskStartedEventAttributes;
    if (activityTask && (activityTask.attempt ?? 1) <= 1) {
      const from = scheduledAt.get(Number(activityTask.scheduledEventId));
      if (from !== undefined) into.activityTaskWaitsMs.push(at - from);
    }
  }
}

/**
 * The events an operation wrote for its nodes: from the first node's pre-flight to the workflow
 * task after the last node's exclusion was removed. What comes before and after (loading the
 * policy, reading the replicas, announcing, completing) is the operation's, whatever its size.
 */
export function nodeEvents(events: HistoryEvent[]): number {
  const activity = (e: HistoryEvent) => e.activityTaskScheduledEventAttributes?.activityType?.name;
  const first = events.findIndex((e) => activity(e) === 'preflightNode');
  const lastRemoval = events.map(activity).lastIndexOf('removeExclusion');
  if (first < 0 || lastRemoval < 0) return 0;
  const after = events.findIndex((e, i) => i > lastRemoval && Boolean(e.workflowTaskCompletedEventAttributes));
  return (after < 0 ? events.length - 1 : after) - first + 1;
}

function timeOf(event: HistoryEvent): number {
  const t = event.eventTime;
  return t ? Number(t.seconds ?? 0) * 1_000 + (t.nanos ?? 0) / 1e6 : 0;
}
