import { formatDuration } from '../../config/duration.js';
import { formatByteSize } from '../../domain/capacity/byte-size.js';
import { replicasArgument } from '../arguments.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { structuredOutput, type OutputFormat } from '../output.js';
import type { ScalePlan } from '../plan.js';
import { renderTable } from '../table.js';

export const planHelp = `Dry run of \`scale\`: reads the cluster and prints what an operation to <replicas> would do, changing
nothing. Shows the current replicas, the pods that would go (highest ordinal first) with the pre-flight
verdict of each (ok, warning or blocked; every earlier pod counted as drained) and its numbers: bytes
to move, free bytes per zone below the high watermark (and diskMarginPercent), the fullest receiving
node after the drain; the exclusions in force and which of them are stale, and where the cluster's
preflight policy would refuse or a drain would stall.

Exit code, for scripts: 0 it would proceed cleanly (or there is nothing to do), 2 bad input,
4 it would proceed with warnings (listed), 5 it would not reach the target (refused or stalls).
-o wide adds every finding of each pod and the projected disk use of the receiving nodes.`;

export async function planCommand(ctx: CliContext, cluster: string, replicasText: string, format: OutputFormat): Promise<number> {
  // Loaded when used: the Kubernetes and Elasticsearch clients slow every other command's start.
  const { readScalePlan } = await import('../plan.js');
  const plan = await readScalePlan(ctx.config, cluster, replicasArgument(replicasText), () => ctx.client());
  const warnings = planWarnings(plan);
  ctx.out(structuredOutput(format, { ...plan, warnings }) ?? renderPlan(plan, warnings, format === 'wide'));
  if (plan.stop) return EXIT.planBlocked;
  return warnings.length > 0 ? EXIT.planWarnings : EXIT.ok;
}

/** What deserves a look although the operation would proceed. */
export function planWarnings(plan: ScalePlan): string[] {
  const warnings: string[] = [];
  if (plan.health !== 'green') warnings.push(`cluster health is ${plan.health}`);
  const kept = plan.exclusions.filter((e) => e.stale && !e.swept).map((e) => e.entry);
  if (kept.length > 0) warnings.push(`stale exclusions stay in force (not swept): ${kept.join(', ')}`);
  if (plan.running && 'workflowId' in plan.running) warnings.push(`the running operation ${plan.running.workflowId} would be superseded`);
  if (plan.running && 'unknown' in plan.running) warnings.push(`whether an operation is running is unknown: ${plan.running.unknown}`);
  return warnings;
}

export function renderPlan(plan: ScalePlan, warnings: string[] = planWarnings(plan), wide = false): string {
  const lines = [
    `plan for ${plan.cluster} (StatefulSet ${plan.namespace}/${plan.statefulSet}): nothing is changed`,
    `  replicas: ${plan.current} now → ${plan.target} (${directionText(plan)})`,
    `  health:   ${plan.health}; awareness attributes: ${plan.awarenessAttributes.join(', ') || 'none'}`,
    `  policy:   ${policyText(plan.preflight)}`,
    `  running:  ${runningText(plan.running)}`,
  ];
  lines.push(`  exclusions in force:${plan.exclusions.length === 0 ? ' none' : ''}`);
  for (const e of plan.exclusions) {
    const state = e.stale === undefined ? 'may belong to the running operation' : 'stale: owned by no operation';
    lines.push(`    ${e.entry} (${state}${e.swept ? '; swept at the start, sweepStaleExclusions is on' : ''})`);
  }
  if (plan.podsToAdd.length > 0) lines.push(`  pods to add: ${plan.podsToAdd.join(', ')}`);
  if (plan.drains.length > 0) {
    lines.push('  pods to remove, in order, with the pre-flight of each:');
    const stopIndex = plan.stop ? plan.drains.findIndex((d) => d.pod === plan.stop!.pod) : -1;
    const rows = plan.drains.map((drain, i) => {
      const n = drain.preflight.numbers;
      const fullest = n.projected[0];
      return [
        drain.pod,
        drain.zone ?? '?',
        drain.preflight.verdict,
        stopIndex >= 0 && i > stopIndex ? 'not reached' : drain.allowed ? 'proceeds' : 'REFUSED',
        `${formatByteSize(n.bytesToMove)} (${n.copiesToMove})`,
        Object.entries(n.freeBelowWatermarkByZone).map(([zone, free]) => `${zone} ${formatByteSize(free)}`).join(', ') || '-',
        fullest ? `${fullest.node} ${fullest.usedPercent}%` : '-',
        ...(wide ? [String(n.stuckCopies)] : []),
        drain.preflight.summary,
      ];
    });
    const headers = ['POD', 'ZONE', 'PRE-FLIGHT', 'POLICY', 'TO MOVE', 'FREE BELOW HIGH WATERMARK', 'FULLEST AFTER', ...(wide ? ['STUCK COPIES'] : []), 'DETAIL'];
    lines.push(indent(renderTable(headers, rows), '    '));
    if (wide) for (const drain of plan.drains) lines.push(...wideLines(drain));
  }
  for (const warning of warnings) lines.push(`  warning:  ${warning}`);
  lines.push(`  verdict:  ${verdict(plan)}`);
  return lines.join('\n');
}

function policyText(p: ScalePlan['preflight']): string {
  const checks = (['health', 'disk', 'awareness', 'zoneEmpties', 'shardLimits', 'allocationFilters', 'masterEligible'] as const).map((c) => `${c} ${p[c]}`);
  return `${checks.join(', ')}; requiredHealth ${p.requiredHealth}, diskMarginPercent ${p.diskMarginPercent}`;
}

/** -o wide: every finding of a pod, and the receiving nodes' disk use after its drain. */
function wideLines(drain: ScalePlan['drains'][number]): string[] {
  const p = drain.preflight;
  const lines = [`  ${drain.pod}:`];
  for (const f of p.findings) lines.push(`    ${f.check} (${f.outcome}): ${f.message}`);
  for (const n of p.numbers.projected) {
    lines.push(`    after: ${n.node}${n.zone ? ` (${n.zone})` : ''} ${formatByteSize(n.usedBytes)} of ${formatByteSize(n.totalBytes)} used (${n.usedPercent}%), the high watermark keeps ${formatByteSize(n.highWatermarkFreeBytes)} free`);
  }
  if (p.numbers.receivingNodes > p.numbers.projected.length) lines.push(`    and ${p.numbers.receivingNodes - p.numbers.projected.length} more receiving nodes`);
  return lines;
}

function directionText(plan: ScalePlan): string {
  if (plan.direction === 'in') return `scale-in by ${plan.current - plan.target}`;
  if (plan.direction === 'out') return `scale-out by ${plan.target - plan.current}`;
  return 'already there: an operation would change nothing';
}

function runningText(running: ScalePlan['running']): string {
  if (!running) return 'no operation';
  if ('workflowId' in running) return `${running.workflowId} (a new target supersedes it)`;
  return `unknown (${running.unknown})`;
}

function verdict(plan: ScalePlan): string {
  const { stop } = plan;
  if (stop) {
    const before = plan.drains.slice(0, plan.drains.findIndex((d) => d.pod === stop.pod)).map((d) => d.pod);
    const removed = before.length > 0 ? `${before.join(', ')} would be removed first; then ` : '';
    if (stop.kind === 'refused') {
      const blocking = plan.drains.find((d) => d.pod === stop.pod)!.preflight.findings.filter((f) => f.outcome === 'blocks');
      const why = blocking.map((f) => (f.absolute ? `${f.check}, whatever the policy` : `preflight.${f.check} "refuse"`)).join(', ');
      return `REFUSED at ${stop.pod}: ${removed}the pre-flight stops the operation before excluding ${stop.pod} (${why})`;
    }
    return (
      `WOULD STALL at ${stop.pod}: ${removed}${stop.pod} is excluded and drained, the drain makes no progress and fails ` +
      `after stallAfter (${formatDuration(plan.stallAfterMs)}); its exclusion is then removed`
    );
  }
  if (plan.direction === 'none') return 'nothing to do';
  return `would proceed: ${plan.direction === 'in' ? `drain and remove ${plan.drains.map((d) => d.pod).join(', ')}` : `add ${plan.podsToAdd.join(', ')}`}`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
