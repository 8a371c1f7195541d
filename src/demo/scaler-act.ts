// The incident night with es-scaler: the schedules from a config file (applied with the same code
// as `es-scaler schedules apply`), the night fired, its drain stalling on es-data-6 with
// Elasticsearch's reason, the morning fired a few seconds later and superseding it, the cluster
// growing back. Narrated from the workflows' own status queries.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { renderApply } from '../client/commands/schedules.js';
import { applySchedules } from '../schedules/apply.js';
import { clusterWorkflowIdOf } from '../temporal/submit-target.js';
import { formatDuration } from '../config/duration.js';
import type { OperationRecord } from '../workflows/types.js';
import { readClusterView, type ClusterView } from './cluster-view.js';
import { Follower } from './follow.js';
import { Narrator } from './narrator.js';
import type { Pace } from './options.js';
import type { Output } from './output.js';
import { abortable, startSimulatedCluster, startWorker, writeDemoConfig, type Resources, type TemporalSide } from './stack.js';
import { DEMO_CLUSTER, demoScenario, describeTopology, MORNING_REPLICAS, NIGHT_REPLICAS } from './topology.js';

export interface Step {
  label: string;
  from?: number;
  to?: number;
}

export interface ScalerOutcome {
  steps: Step[];
  view: ClusterView;
  history: OperationRecord[];
  /** From the morning trigger to the morning operation's start (the night's cleanup done). */
  morningActedOnMs?: number;
  exclusionRemovedMs?: number;
  temporal: { address: string; uiUrl?: string; pid?: number };
  clusterWorkflowId: string;
  schedules: { id: string; runs: string[] }[];
  sandbox: { esUrl: string; k8sUrl: string; k8sTokenFile: string };
}

export const SCHEDULE_ROLES = { [`${DEMO_CLUSTER}/night`]: 'night', [`${DEMO_CLUSTER}/morning`]: 'morning' };

export async function runScalerAct(ctx: {
  output: Output;
  resources: Resources;
  pace: Pace;
  signal: AbortSignal;
  /** Started by the caller (during the naive replay). */
  temporal: Promise<TemporalSide>;
  onWorkerCrash: (err: unknown) => void;
}): Promise<ScalerOutcome> {
  const { output, pace, signal } = ctx;
  output.heading('The same night with es-scaler');
  const step = <T>(work: Promise<T>) => abortable(work, signal);
  const { server, client, startedAt: temporalStart, readyAt: temporalReady } = await step(ctx.temporal);
  const stackStart = Date.now();
  output.line(`Temporal dev server ${server.address} (pid ${server.pid}), Temporal UI ${server.uiUrl}`);
  const scenario = demoScenario();
  const sandbox = await step(startSimulatedCluster(ctx.resources, scenario, 'simulated cluster (es-scaler)'));
  output.line(`A fresh simulated cluster, the same topology (ES ${sandbox.esUrl}, Kubernetes API ${sandbox.k8sUrl}):\n${describeTopology(scenario)}`);
  const { file, config } = await step(writeDemoConfig(server, sandbox, scenario, pace));
  const worker = await step(startWorker(ctx.resources, config, client, ctx.onWorkerCrash));
  const stackReady = Date.now();
  output.line(`es-scaler worker polling task queue "${config.temporal.taskQueue}" (in this process); config file ${file}`);

  const applyStart = Date.now();
  const applied = await step(applySchedules(client, config, { dryRun: false }));
  const applyEnd = Date.now();
  output.line('`es-scaler schedules apply`: the config file\'s schedules become Temporal Schedules');
  output.block(renderApply(applied, false));
  output.line(
    'In production these fire at 22:00 and 05:30 (Europe/Berlin). Cron cannot do seconds, so the demo\n' +
      'triggers them a few seconds apart through the schedules\' handles (trigger(), as `temporal schedule trigger` does).',
  );

  const policy = config.clusters[DEMO_CLUSTER]!;
  const narrator = new Narrator(output, { roles: SCHEDULE_ROLES, stallAfterText: formatDuration(policy.stallAfter), preflightAwareness: policy.preflight.awareness });
  const clusterWorkflowId = clusterWorkflowIdOf(config, DEMO_CLUSTER);
  const es = worker.connections.elasticsearch(DEMO_CLUSTER);
  const follower = new Follower({ client, es, clusterWorkflowId, everyMs: pace.watchEveryMs, signal }, (s) => narrator.observe(s));
  follower.start();
  ctx.resources.add('status follower', () => follower.stop());
  const facts = narrator.facts;

  facts.mark('night:triggered');
  await step(client.schedule.getHandle(`${DEMO_CLUSTER}/night`).trigger());
  output.line(output.style('bold', `22:00 — the night schedule ${DEMO_CLUSTER}/night fires (triggered now): target ${NIGHT_REPLICAS} replicas`));
  await follower.waitFor('the night drain to stall with a reason', () => facts.get('night:stall'), 60_000);

  await sleep(pace.stuckForMs, undefined, { signal });
  facts.mark('morning:triggered');
  await step(client.schedule.getHandle(`${DEMO_CLUSTER}/morning`).trigger());
  output.line(output.style('bold', `05:30 — the morning schedule ${DEMO_CLUSTER}/morning fires (triggered now): target ${MORNING_REPLICAS} replicas`));
  await follower.waitFor(
    'the morning operation to finish',
    (s) => (s.cluster?.history.some((r) => r.source.endsWith('/morning')) ? true : undefined),
    120_000,
  );
  await follower.waitFor('the exclusion to be gone', () => facts.get('exclusion-removed'), 10_000).catch(() => undefined);
  await follower.stop();

  const history = follower.latest.cluster?.history ?? [];
  const morningRecord = history.find((r) => r.source.endsWith('/morning'));
  const morningStart = morningRecord ? (await step(client.workflow.getHandle(morningRecord.workflowId).describe())).startTime.getTime() : undefined;
  const { apps, namespace, statefulSet } = await worker.connections.kubernetes(DEMO_CLUSTER);
  const view = await step(readClusterView({ es, apps, namespace, statefulSet }));
  const night = facts.get('night:triggered')!;
  const morning = facts.get('morning:triggered')!;
  const removed = facts.get('exclusion-removed');

  return {
    steps: [
      { label: 'start Temporal dev server + UI (during the replay)', from: temporalStart, to: temporalReady },
      { label: 'start simulated cluster, write config, start worker', from: stackStart, to: stackReady },
      { label: `schedules apply: create ${DEMO_CLUSTER}/night and ${DEMO_CLUSTER}/morning`, from: applyStart, to: applyEnd },
      { label: `night trigger → scale-in ${scenario.zones.length} → ${NIGHT_REPLICAS} running`, from: night, to: facts.get('night:started') },
      { label: 'night trigger → pre-flight warning (es-data-6 last in its zone)', from: night, to: facts.get('night:preflight-warning') },
      { label: "es-data-6 excluded → drain stalled, Elasticsearch's reason shown", from: facts.get('night:excluded'), to: facts.get('night:stall') },
      { label: 'night stuck, the demo waits for the morning', from: facts.get('night:stall'), to: morning },
      { label: 'morning trigger → exclusion of es-data-6 removed', from: morning, to: removed },
      { label: 'morning trigger → night superseded, morning op running', from: morning, to: morningStart },
      { label: `morning op: scale-out → ${MORNING_REPLICAS}, node joined, health back`, from: morningStart, to: facts.get('morning:done') },
    ],
    view,
    history,
    ...(morningStart !== undefined && { morningActedOnMs: morningStart - morning }),
    ...(removed !== undefined && { exclusionRemovedMs: removed - morning }),
    temporal: { address: server.address, uiUrl: server.uiUrl, pid: server.pid },
    clusterWorkflowId,
    schedules: await step(scheduleRuns(client, Object.keys(SCHEDULE_ROLES))),
    sandbox: { esUrl: sandbox.esUrl, k8sUrl: sandbox.k8sUrl, k8sTokenFile: sandbox.k8sTokenFile },
  };
}

async function scheduleRuns(client: Client, ids: string[]): Promise<{ id: string; runs: string[] }[]> {
  return Promise.all(
    ids.map(async (id) => {
      const description = await client.schedule.getHandle(id).describe();
      return { id, runs: description.info.recentActions.map((a) => a.action.workflow.workflowId) };
    }),
  );
}
