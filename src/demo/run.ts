// `es-scaler demo`: the incident night replayed twice on simulated clusters: first the way the
// cronjob + operator of the incident did it (demo material, ./naive/), then with es-scaler, with a
// summary at the end. Everything it starts is stopped when it ends, fails, or gets Ctrl-C/SIGTERM.
import os from 'node:os';
import { temporalCliPath } from '../temporal/dev-server.js';
import { runNaiveAct, type NaiveOutcome } from './naive/act.js';
import { paceOf, type DemoOptions } from './options.js';
import { Output } from './output.js';
import { runScalerAct, SCHEDULE_ROLES, type ScalerOutcome } from './scaler-act.js';
import { DEMO_CONFIG_FILE, Resources, startTemporal, type TemporalSide } from './stack.js';
import {
  naiveChecks,
  renderChecks,
  renderComparison,
  renderFinalState,
  renderIds,
  renderNaiveState,
  renderSteps,
  scalerChecks,
  type Check,
} from './summary.js';
import { DEMO_CLUSTER } from './topology.js';

const INTRO = `es-scaler demo: the incident night, replayed on a simulated Kubernetes + Elasticsearch cluster.
In the incident, the night scale-in had to drain es-data-6, the only node in zone eu-central-1a.
Zone awareness refused to move its shards; the operator retried all night, ignored the morning
scale-out, and left the node in cluster.routing.allocation.exclude (a "zombie") for the next night.`;

export async function runDemo(options: DemoOptions, out: (line: string) => void): Promise<number> {
  const output = new Output({ out, tty: !options.ci && process.stdout.isTTY === true });
  const pace = paceOf(options);
  const resources = new Resources();
  const controller = new AbortController();
  const stopSignals = onStopSignal((signal) => {
    if (controller.signal.aborted) {
      out(`${signal} again: exiting now (children are killed on exit)`);
      process.exit(130);
    }
    output.line(`${signal}: stopping everything`);
    controller.abort(signal);
  });
  let temporal: Promise<TemporalSide> | undefined;
  let code = 1;
  try {
    output.plain(INTRO);
    output.plain(
      options.naiveOnly
        ? 'Only the naive replay (--naive); without --naive the demo also runs es-scaler on the same night.'
        : 'First the night as it happened (a naive cronjob + operator, demo material), then the same night with es-scaler.',
    );
    if (!options.naiveOnly) {
      temporal = startTemporal(resources); // comes up while the naive replay plays
      temporal.catch(() => undefined);
    }
    const naive = await runNaiveAct({ output, resources, pace, signal: controller.signal });
    const scaler = temporal
      ? await runScalerAct({
          output,
          resources,
          pace,
          signal: controller.signal,
          temporal,
          onWorkerCrash: (err) => controller.abort(new Error(`the es-scaler worker stopped: ${(err as Error).message}`)),
        })
      : undefined;

    const checks = summarise(output, naive, scaler, options.keepRunning);
    code = checks.every((c) => c.ok) ? 0 : 1;
    if (options.keepRunning) {
      explore(output, naive, scaler);
      await new Promise((resolve) => controller.signal.addEventListener('abort', resolve, { once: true }));
    }
  } catch (err) {
    const reason: unknown = controller.signal.reason;
    if (controller.signal.aborted && typeof reason === 'string') {
      code = 128 + (os.constants.signals[reason as NodeJS.Signals] ?? 2);
    } else {
      const cause = controller.signal.aborted ? reason : err;
      output.line(`demo failed: ${(cause as Error).message ?? String(cause)}`);
      code = 1;
    }
  } finally {
    await temporal?.catch(() => undefined); // so a server still starting gets registered, then stopped
    output.line(temporal ? 'stopping: worker, Temporal dev server, simulated clusters' : 'stopping: simulated cluster');
    await resources.stopAll((what, err) => output.line(`could not stop ${what}: ${(err as Error).message}`));
    stopSignals();
    output.line(`stopped everything the demo started; exit code ${code}`);
  }
  return code;
}

function summarise(output: Output, naive: NaiveOutcome, scaler: ScalerOutcome | undefined, keepRunning: boolean): Check[] {
  output.heading('Summary');
  const checks = naiveChecks(naive);
  if (scaler) {
    output.plain('es-scaler, step by step (AT: time since the demo started):');
    output.plain(renderSteps(scaler.steps, output));
    output.plain();
    output.plain(renderFinalState(scaler.view, scaler.history, SCHEDULE_ROLES));
    output.plain();
    output.plain('The same night, side by side:');
    output.plain(renderComparison(naive, scaler));
    checks.push(...scalerChecks(scaler));
  } else {
    output.plain(renderNaiveState(naive));
    output.plain();
    output.plain('Run the demo without --naive to see es-scaler handle the same night.');
  }
  output.plain();
  output.plain('Checks:');
  output.plain(renderChecks(checks));
  if (scaler) {
    output.plain();
    output.plain('To look at in the Temporal UI or with `temporal workflow show --workflow-id <id>`:');
    output.plain(renderIds(scaler, SCHEDULE_ROLES, keepRunning));
  }
  return checks;
}

/** --keep-running: how to use the CLI, the temporal CLI and curl against what is still up. */
function explore(output: Output, naive: NaiveOutcome, scaler: ScalerOutcome | undefined): void {
  output.heading('Still running (--keep-running)');
  const lines: string[] = [];
  if (scaler) {
    const env = `ES_SCALER_CONFIG=${DEMO_CONFIG_FILE}`;
    lines.push(
      'es-scaler CLI (from the repository):',
      `  ${env} npm run cli -- status`,
      `  ${env} npm run cli -- schedules list`,
      `  ${env} npm run cli -- plan ${DEMO_CLUSTER} 6`,
      `  ${env} npm run cli -- scale ${DEMO_CLUSTER} 6`,
      'temporal CLI:',
      `  export TEMPORAL_ADDRESS=${scaler.temporal.address}`,
      `  ${temporalCliPath()} workflow list`,
      `  ${temporalCliPath()} workflow query --workflow-id ${scaler.clusterWorkflowId} --name status`,
      `  ${temporalCliPath()} schedule trigger --schedule-id ${DEMO_CLUSTER}/night`,
      `Temporal UI: ${scaler.temporal.uiUrl}`,
      'the simulated cluster es-scaler scaled:',
      `  curl -s '${scaler.sandbox.esUrl}/_cat/nodes?v&h=name,ip,node.role'`,
      `  curl -s '${scaler.sandbox.esUrl}/_cluster/settings?flat_settings'`,
      `  curl -s -H "Authorization: Bearer $(cat ${scaler.sandbox.k8sTokenFile})" '${scaler.sandbox.k8sUrl}/apis/apps/v1/namespaces/search/statefulsets/es-data/scale'`,
    );
  }
  lines.push('the naive replay\'s cluster, with its zombie exclusion:', `  curl -s '${naive.esUrl}/_cluster/settings?flat_settings'`);
  output.plain(lines.join('\n'));
  output.plain();
  output.plain('Press Ctrl-C (or send SIGTERM) to stop everything.');
}

/** Calls `handler` on SIGINT/SIGTERM/SIGHUP instead of the default exit; returns the undo. */
function onStopSignal(handler: (signal: NodeJS.Signals) => void): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
