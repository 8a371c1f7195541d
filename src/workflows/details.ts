// What the Temporal UI shows as a workflow's current details: the sentence an on-call engineer
// needs at 3 a.m. (which node, since when, why, and what happens next), not a JSON blob.
import { formatDuration } from '../config/duration.js';
import { formatByteSize } from '../domain/capacity/byte-size.js';
import type { CapacityVerdict } from '../domain/capacity/verdict.js';
import { drainWaitingFor } from '../domain/drain-safety.js';
import type { ClusterStatus, OperationStatus } from './types.js';

const MAX_REASONS_SHOWN = 3;

export function operationDetails(status: OperationStatus, stallAfterMs: number | undefined): string {
  const lines = [headline(status, stallAfterMs)];
  if (status.preflight && (status.preflight.pod === status.node || status.result)) lines.push(preflightLines(status.preflight));
  if (status.stall?.reasons.length) lines.push(`Elasticsearch says:\n\n${reasonList(status.stall.reasons)}`);
  if (status.ownedExclusions.length) lines.push(`Exclusions held: ${status.ownedExclusions.join(', ')} (removed on every way out)`);
  if (status.votingExclusion) lines.push(`Voting configuration exclusion held: ${status.votingExclusion} (cleared once its pod is gone, and on every way out)`);
  if (status.exclusionsLeft.length) lines.push(`LEFT IN PLACE: ${status.exclusionsLeft.join(', ')}`);
  const last = status.events.at(-1);
  if (last) lines.push(`Last: ${clock(last.at)} ${literal(truncate(last.message, 200))}`);
  return lines.join('\n\n');
}

/** The pre-flight verdict with its numbers, and what blocks or warns (at most three). */
function preflightLines(p: CapacityVerdict): string {
  const n = p.numbers;
  const zones = Object.entries(n.freeBelowWatermarkByZone).map(([zone, free]) => `${zone} ${formatByteSize(free)}`).join(', ');
  const fullest = n.projected[0] ? `; fullest after: ${n.projected[0].node} ${n.projected[0].usedPercent}%` : '';
  const numbers = `${n.copiesToMove} copies (${formatByteSize(n.bytesToMove)}) to move; free below the high watermark: ${zones || 'none'}${fullest}`;
  const shown = p.findings.filter((f) => f.outcome !== 'allowed').map((f) => `${f.check} ${f.outcome}: ${f.message}`);
  return [`Pre-flight of ${p.pod}: ${p.verdict.toUpperCase()}, ${literal(numbers)}`, ...(shown.length ? [reasonList(shown)] : [])].join('\n\n');
}

/** The UI renders details as Markdown; Elasticsearch's texts ([index][0], _name, *) must show as written. */
function reasonList(reasons: string[]): string {
  const shown = reasons.slice(0, MAX_REASONS_SHOWN).map((r) => `- ${literal(r)}`);
  if (reasons.length > MAX_REASONS_SHOWN) shown.push(`- and ${reasons.length - MAX_REASONS_SHOWN} more (the status query lists them all)`);
  return shown.join('\n');
}

function literal(text: string): string {
  return `\`${text.replaceAll('`', "'")}\``;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function headline(status: OperationStatus, stallAfterMs: number | undefined): string {
  const goal = `${status.fromReplicas ?? '?'} → ${status.target} replicas (asked by ${status.source})`;
  if (status.result) return `${status.result.outcome}: ${goal}${status.result.error ? `: ${status.result.error}` : ''}`;
  if (status.phase !== 'draining' || !status.drain) return `${status.phase}${status.node ? ` ${status.node}` : ''}: ${goal}`;
  const where = status.preflight?.pod === status.node && status.nodeZone ? ` (zone ${status.nodeZone})` : '';
  const waiting = drainWaitingFor(status.drain);
  if (!status.stall) return `draining ${status.node}${where}: waiting for ${waiting}; ${goal}`;
  const deadline = stallAfterMs === undefined ? '' : ` — fails at ${clock(new Date(Date.parse(status.stall.since) + stallAfterMs).toISOString())} (stallAfter ${formatDuration(stallAfterMs)}) unless a newer target arrives`;
  return `draining ${status.node}${where}: waiting for ${waiting}, nothing moving, stalled since ${clock(status.stall.since)}${deadline}`;
}

export function clusterDetails(status: ClusterStatus): string {
  const lines = [
    `desired: ${status.desired ? `${status.desired.replicas} replicas (${status.desired.source})` : 'none yet'}`,
    status.running
      ? `running: ${status.running.workflowId} → ${status.running.target} since ${clock(status.running.startedAt)}${status.running.supersededBy ? `, being superseded by ${status.running.supersededBy.replicas}` : ''}`
      : 'running: nothing',
  ];
  if (status.pending) lines.push(`next: ${status.pending.replicas} replicas (${status.pending.source})`);
  const last = status.history.at(-1);
  if (last) lines.push(`last: ${last.workflowId} → ${last.target} ${last.outcome}: ${last.detail}`);
  return lines.join('\n\n');
}

/** "13:48:05 UTC" from an ISO time. */
function clock(iso: string): string {
  return `${iso.slice(11, 19)} UTC`;
}
