// The demo's ending: each step and how long it took, the final state of the cluster, the naive
// replay next to es-scaler, the workflow ids to look at, and the checks `--ci` exits on.
import { renderTable } from '../client/table.js';
import type { OperationRecord } from '../workflows/types.js';
import { exclusionsText, type ClusterView } from './cluster-view.js';
import type { NaiveOutcome } from './naive/act.js';
import { short } from './narrator.js';
import { NAIVE_MAX_RETRIES } from './options.js';
import { seconds, type Output } from './output.js';
import type { ScalerOutcome, Step } from './scaler-act.js';
import { MORNING_REPLICAS } from './topology.js';

export interface Check {
  what: string;
  ok: boolean;
  found: string;
}

export function renderSteps(steps: Step[], output: Output): string {
  const rows = steps.map((step) => [
    step.label,
    step.to !== undefined ? `+${seconds(output.elapsed(step.to))}` : '-',
    step.from !== undefined && step.to !== undefined ? seconds(Math.max(0, step.to - step.from)) : 'not seen',
  ]);
  return renderTable(['STEP', 'AT', 'TOOK'], rows);
}

export function renderFinalState(view: ClusterView, history: OperationRecord[], roles: Record<string, string>): string {
  const rows = [
    ['StatefulSet replicas', String(view.replicas)],
    ['Elasticsearch data nodes', `${view.esNodes.length}: ${view.esNodes.join(', ')}`],
    ['cluster.routing.allocation.exclude', exclusionsText(view.exclusions)],
    ['cluster health', view.health],
    ...history.map((r) => [
      `${short(r.workflowId)} (${roles[r.source.replace(/^schedule:/, '')] ?? r.source}, → ${r.target})`,
      r.detail === r.outcome ? r.outcome : `${r.outcome}: ${r.detail}`,
    ]),
  ];
  return renderTable(['FINAL STATE', ''], rows);
}

/** --naive: how the replay left the cluster. */
export function renderNaiveState(naive: NaiveOutcome): string {
  const rows = [
    ['StatefulSet replicas', String(naive.view.replicas)],
    ['Elasticsearch data nodes', `${naive.view.esNodes.length}: ${naive.view.esNodes.join(', ')}`],
    ['cluster.routing.allocation.exclude', `${exclusionsText(naive.view.exclusions)}${naive.zombie ? ` (${naive.zombie.pod}: a zombie)` : ''}`],
    ['cluster health', naive.view.health],
    ['morning target acted on after', `${seconds(naive.morningActedOnMs)}${naive.cutShort ? ` (the demo cut the loop at retry ${naive.retries}/${NAIVE_MAX_RETRIES})` : ''}`],
  ];
  return renderTable(['NAIVE REPLAY, FINAL STATE', ''], rows);
}

export function scalerChecks(outcome: ScalerOutcome): Check[] {
  const { view, history } = outcome;
  const night = history.find((r) => r.source.endsWith('/night'));
  const morning = history.find((r) => r.source.endsWith('/morning'));
  return [
    { what: `StatefulSet replicas = ${MORNING_REPLICAS}`, ok: view.replicas === MORNING_REPLICAS, found: String(view.replicas) },
    { what: `Elasticsearch data nodes = ${MORNING_REPLICAS}`, ok: view.esNodes.length === MORNING_REPLICAS, found: String(view.esNodes.length) },
    { what: 'no exclusions left', ok: Object.keys(view.exclusions).length === 0, found: exclusionsText(view.exclusions) },
    { what: 'cluster health green', ok: view.health === 'green', found: view.health },
    { what: 'night operation superseded', ok: night?.outcome === 'superseded', found: night ? `${night.outcome}: ${night.detail}` : 'no night operation' },
    { what: 'morning operation succeeded', ok: morning?.outcome === 'succeeded', found: morning ? `${morning.outcome}: ${morning.detail}` : 'no morning operation' },
  ];
}

/** What the naive replay must show to make its point: the incident's outcome. */
export function naiveChecks(outcome: NaiveOutcome): Check[] {
  return [
    { what: 'naive replay: zombie exclusion left behind', ok: outcome.zombie !== undefined, found: exclusionsText(outcome.view.exclusions) },
    { what: `naive replay: reached ${MORNING_REPLICAS} replicas late`, ok: outcome.view.replicas === MORNING_REPLICAS, found: String(outcome.view.replicas) },
  ];
}

export function renderChecks(checks: Check[]): string {
  return checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.what}${c.ok ? '' : ` (found: ${c.found})`}`).join('\n');
}

export function renderComparison(naive: NaiveOutcome, scaler: ScalerOutcome): string {
  const naiveLate = naive.cutShort
    ? [
        `${seconds(naive.morningActedOnMs)}, only because the demo cut`,
        `the loop at retry ${naive.retries}/${NAIVE_MAX_RETRIES}; the full loop`,
        `would add ${seconds((NAIVE_MAX_RETRIES - naive.retries) * naive.retryDelayMs)} at this pace (that night: hours)`,
      ]
    : seconds(naive.morningActedOnMs);
  const rows = [
    ['exclusion left behind', naive.zombie ? `${naive.zombie.entry} (${naive.zombie.pod}, a zombie)` : 'none', exclusionsText(scaler.view.exclusions)],
    ['morning target acted on after', naiveLate, scaler.morningActedOnMs !== undefined ? seconds(scaler.morningActedOnMs) : '?'],
    ['why the drain was stuck', 'not asked; retried blindly', "shown: Elasticsearch's decider reasons"],
    ['final replicas', String(naive.view.replicas), String(scaler.view.replicas)],
    ['final health', naive.view.health, scaler.view.health],
  ];
  return renderTable(['', 'cronjob + operator (naive)', 'es-scaler'], rows);
}

/** Where to look in the Temporal UI and with the `temporal` CLI. */
export function renderIds(outcome: ScalerOutcome, roles: Record<string, string>, keptRunning: boolean): string {
  const ui = outcome.temporal.uiUrl;
  const link = (id: string) => (ui ? `  ${ui}/namespaces/default/workflows/${encodeURIComponent(id)}` : '');
  const lines = [
    `Temporal UI:       ${ui ?? '(none)'}   (namespace default; filter: EsCluster = "production")`,
    `cluster workflow:  ${outcome.clusterWorkflowId}${link(outcome.clusterWorkflowId)}`,
    ...outcome.history.map((r) => `operation:         ${r.workflowId} (${roles[r.source.replace(/^schedule:/, '')] ?? r.source}, ${r.outcome})`),
    ...outcome.schedules.map((s) => `schedule:          ${s.id}${s.runs.length ? `, its run: ${s.runs.join(', ')}` : ''}`),
  ];
  if (!keptRunning) lines.push('(they exist while the demo runs: add --keep-running to explore them afterwards)');
  return lines.join('\n');
}
