// The seeded random campaign: draws runs from consecutive seeds, executes them one after the
// other, and tabulates what it found. A failing seed is printed with the command that replays it.
import { drawRun } from './plan.js';
import { executeRun, type RunReport } from './run.js';

export interface CampaignSummary {
  runs: number;
  kills: number;
  faults: number;
  topologies: number;
  zombies: number;
  podsRemovedWithShards: number;
  lostTargets: number;
  unsettled: number;
  violations: number;
  failing: RunReport[];
}

export function failed(report: RunReport): boolean {
  return report.zombies.length > 0 || report.podsRemovedWithShards.length > 0 || !!report.lostTarget || !!report.unsettled || report.violations.length > 0;
}

export async function runCampaign(options: { seed: number; runs: number; log?: (line: string) => void }): Promise<CampaignSummary> {
  const log = options.log ?? (() => undefined);
  const reports: RunReport[] = [];
  for (let i = 0; i < options.runs; i++) {
    const plan = drawRun(options.seed + i);
    const started = Date.now();
    const report = await executeRun(plan);
    reports.push(report);
    log(`seed ${plan.seed} (${plan.shape}; ${plan.actions.filter((a) => a.kind !== 'pause').map(describe).join(', ')}): ${failed(report) ? `FAILED ${explain(report)}` : 'ok'} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }
  const failing = reports.filter(failed);
  return {
    runs: reports.length,
    kills: sum(reports, (r) => r.kills),
    faults: sum(reports, (r) => r.faults),
    topologies: new Set(reports.map((r) => r.shape)).size,
    zombies: sum(reports, (r) => r.zombies.length),
    podsRemovedWithShards: sum(reports, (r) => r.podsRemovedWithShards.length),
    lostTargets: reports.filter((r) => r.lostTarget).length,
    unsettled: reports.filter((r) => r.unsettled).length,
    violations: sum(reports, (r) => r.violations.length),
    failing,
  };
}

export function summaryTable(summary: CampaignSummary): string {
  const rows: [string, number][] = [
    ['runs', summary.runs],
    ['worker kills', summary.kills],
    ['faults injected', summary.faults],
    ['topologies', summary.topologies],
    ['zombies found', summary.zombies],
    ['pods removed with shards', summary.podsRemovedWithShards],
    ['lost targets', summary.lostTargets],
    ['workflows not closed in bound', summary.unsettled],
    ['invariant violations', summary.violations],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

export function replayCommand(seed: number): string {
  return `npm run campaign -- --seed ${seed} --runs 1`;
}

function explain(report: RunReport): string {
  return [
    ...report.zombies.map((z) => `zombie ${z}`),
    ...report.podsRemovedWithShards.map((p) => `${p} removed with shards`),
    ...(report.lostTarget ? [report.lostTarget] : []),
    ...(report.unsettled ? [report.unsettled] : []),
    ...report.violations,
  ].join('; ');
}

function describe(action: ReturnType<typeof drawRun>['actions'][number]): string {
  switch (action.kind) {
    case 'target':
      return `→${action.replicas}`;
    case 'cancel':
      return 'cancel';
    case 'kill-worker':
      return 'kill -9 worker';
    case 'restart-node':
      return `restart es-data-${action.ordinal}`;
    case 'fault':
      return action.fault;
    default:
      return action.kind;
  }
}

function sum(reports: RunReport[], value: (r: RunReport) => number): number {
  return reports.reduce((total, r) => total + value(r), 0);
}
