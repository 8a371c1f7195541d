import { formatDuration } from '../../config/duration.js';
import { replicasArgument } from '../arguments.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { structuredOutput, type OutputFormat } from '../output.js';
import type { ScalePlan } from '../plan.js';
import { renderTable } from '../table.js';

export const planHelp = `Dry run of \`scale\`: reads the cluster and prints what an operation to <replicas> would do, changing
nothing. Shows the current replicas, the pods that would go (highest ordinal first) with the zone
pre-flight verdict of each (every earlier pod counted as drained), the exclusions in force and which
of them are stale, and where awarenessPolicy would refuse or a drain would stall.

Exit code, for scripts: 0 it would proceed cleanly (or there is nothing to do), 2 bad input,
4 it would proceed with warnings (listed), 5 it would not reach the target (refused or stalls).
-o wide adds the zones each drain would empty and the shard copies it would block.`;

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
    `  health:   ${plan.health}; awareness attributes: ${plan.awarenessAttributes.join(', ') || 'none'}; awarenessPolicy: ${plan.awarenessPolicy}`,
    `  running:  ${runningText(plan.running)}`,
  ];
  lines.push(`  exclusions in force:${plan.exclusions.length === 0 ? ' none' : ''}`);
  for (const e of plan.exclusions) {
    const state = e.stale === undefined ? 'may belong to the running operation' : 'stale: owned by no operation';
    lines.push(`    ${e.entry} (${state}${e.swept ? '; swept at the start, sweepStaleExclusions is on' : ''})`);
  }
  if (plan.podsToAdd.length > 0) lines.push(`  pods to add: ${plan.podsToAdd.join(', ')}`);
  if (plan.drains.length > 0) {
    lines.push('  pods to remove, in order, with the zone pre-flight of each:');
    const stopIndex = plan.stop ? plan.drains.findIndex((d) => d.pod === plan.stop!.pod) : -1;
    const rows = plan.drains.map((drain, i) => [
      drain.pod,
      drain.zone ?? '?',
      drain.preflight.verdict,
      stopIndex >= 0 && i > stopIndex ? 'not reached' : drain.allowed ? 'proceeds' : 'REFUSED',
      ...(wide ? [drain.preflight.emptiedZones.map((z) => `${z.attribute}=${z.value}`).join(', ') || '-', String(drain.preflight.blockedShards.length)] : []),
      drain.preflight.summary,
    ]);
    const headers = ['POD', 'ZONE', 'PRE-FLIGHT', 'POLICY', ...(wide ? ['EMPTIES', 'BLOCKED COPIES'] : []), 'DETAIL'];
    lines.push(indent(renderTable(headers, rows), '    '));
  }
  for (const warning of warnings) lines.push(`  warning:  ${warning}`);
  lines.push(`  verdict:  ${verdict(plan)}`);
  return lines.join('\n');
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
      return `REFUSED at ${stop.pod}: ${removed}the pre-flight stops the operation before excluding ${stop.pod} (awarenessPolicy "refuse")`;
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
