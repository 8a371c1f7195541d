// ─────────────────────────────────────────────────────────────────────────────────────────────────
// DEMO MATERIAL ONLY: NOT PART OF ES-SCALER. The demo's replay of the incident night with the
// naive cronjob + operator (./operator.ts) on a fresh simulated cluster, narrated.
// ─────────────────────────────────────────────────────────────────────────────────────────────────
import { setTimeout as sleep } from 'node:timers/promises';
import { readClusterView, exclusionsText, type ClusterView } from '../cluster-view.js';
import { NAIVE_MAX_RETRIES, type Pace } from '../options.js';
import { seconds, type Output } from '../output.js';
import { abortable, startSimulatedCluster, type Resources } from '../stack.js';
import { demoScenario, describeTopology, MORNING_REPLICAS, NIGHT_REPLICAS } from '../topology.js';
import { NaiveOperator, type DesiredState, type NaiveEvent } from './operator.js';

export interface NaiveOutcome {
  view: ClusterView;
  /** From the morning cronjob to the operator starting the scale-out. */
  morningActedOnMs: number;
  retries: number;
  retryDelayMs: number;
  cutShort: boolean;
  /** The node whose exclusion was left behind, and the entry. */
  zombie?: { pod: string; entry: string };
  esUrl: string;
}

export async function runNaiveAct(ctx: { output: Output; resources: Resources; pace: Pace; signal: AbortSignal }): Promise<NaiveOutcome> {
  const { output, pace, signal } = ctx;
  output.heading('The incident night as it happened: cronjob + operator (a replay, src/demo/naive/)');
  const scenario = demoScenario();
  const sandbox = await abortable(startSimulatedCluster(ctx.resources, scenario, 'simulated cluster (naive replay)'), signal);
  output.line(`A simulated Kubernetes + Elasticsearch cluster with the incident's topology (ES ${sandbox.esUrl}):\n${describeTopology(scenario)}`);
  output.line(
    'A cronjob edits the desired node count; an operator notices and scales: to remove a node it\n' +
      'excludes the node by IP, retries "are its shards gone?" up to 999 times, shrinks the StatefulSet,\n' +
      'and only then removes the exclusion.',
  );

  const desired: DesiredState = { replicas: scenario.zones.length };
  const marks: { stuck?: number; morning?: number; scaleOut?: number } = {};
  let retries = 0;
  let cutShort = false;
  let zombiePod: string | undefined;
  const operator = new NaiveOperator(
    { esUrl: sandbox.esUrl, k8sUrl: sandbox.k8sUrl, k8sToken: sandbox.k8sToken, namespace: scenario.namespace, statefulSet: scenario.statefulSet },
    desired,
    { maxRetries: NAIVE_MAX_RETRIES, retryCap: pace.naiveRetryCap, retryDelayMs: pace.naiveRetryDelayMs, signal },
    (event) => narrate(event),
  );
  ctx.resources.add('naive operator clients', () => operator.close());

  function narrate(event: NaiveEvent): void {
    switch (event.kind) {
      case 'scale-in':
        output.line(`operator: scale-in ${event.from} → ${event.to}: removing ${event.pod} (highest ordinal)`);
        return;
      case 'excluded':
        output.line(`operator: excluded ${event.pod} by IP: cluster.routing.allocation.exclude._ip = ${event.ip}`);
        return;
      case 'retry':
        retries = event.attempt;
        marks.stuck ??= Date.now();
        if (event.attempt === 1) {
          output.line(`operator: retry 1/${NAIVE_MAX_RETRIES}: ${event.pod} still holds ${event.shardsLeft} shards; Elasticsearch will not move them (zone awareness), the operator does not ask why`);
        } else {
          output.progress('naive-retry', `operator: retry ${event.attempt}/${NAIVE_MAX_RETRIES}: ${event.pod} still holds ${event.shardsLeft} shards`);
        }
        return;
      case 'gave-up':
        cutShort = event.cutShort;
        zombiePod = event.pod;
        output.line(
          `operator: retry ${event.attempts}/${NAIVE_MAX_RETRIES}: ` +
            (event.cutShort ? `the demo stops the loop here (on the incident night it ran all ${NAIVE_MAX_RETRIES} retries, all night long)` : 'giving up'),
        );
        output.line(`operator: gives up on ${event.pod}. The scale-in is abandoned before its cleanup step, so the exclusion stays.`);
        return;
      case 'scale-out':
        marks.scaleOut = Date.now();
        output.line(
          `operator: only now acts on the morning target: scale-out ${event.from} → ${event.to}` +
            (marks.morning ? ` (${seconds(marks.scaleOut - marks.morning)} after the morning cronjob)` : ''),
        );
        return;
      case 'joined':
        output.line(`operator: ${event.pods.join(', ')} joined the Elasticsearch cluster`);
        return;
      case 'settled':
        output.line(`operator: the StatefulSet has ${event.replicas} replicas, as desired`);
        return;
    }
  }

  output.line(`22:00 night cronjob: desired nodes → ${NIGHT_REPLICAS} (in production it fires at 22:00; here, now)`);
  desired.replicas = NIGHT_REPLICAS;
  const running = operator.run();
  running.catch(() => undefined); // awaited below; this keeps an early failure from being unhandled

  // The morning comes while the operator is stuck in its retry loop.
  while (marks.stuck === undefined) {
    const settled = await Promise.race([running.then(() => true), sleep(50, false, { signal })]);
    if (settled) throw new Error('the naive operator finished the night without getting stuck; the replay is off');
  }
  await sleep(pace.stuckForMs, undefined, { signal });
  marks.morning = Date.now();
  desired.replicas = MORNING_REPLICAS;
  output.line(
    `05:30 morning cronjob: desired nodes → ${MORNING_REPLICAS} (in production at 05:30). The operator does not notice:\n` +
      'its drain retry loop never checks for a newer target.',
  );
  await abortable(running, signal);

  const view = await readClusterView({ es: operator.es, apps: operator.apps, namespace: scenario.namespace, statefulSet: scenario.statefulSet });
  const entry = exclusionsText(view.exclusions);
  output.line(
    `result: ${view.replicas} replicas, health ${view.health}, cluster.routing.allocation.exclude: ${entry}` +
      (zombiePod && entry !== 'none'
        ? `\n${output.style('bad', `← the zombie: ${zombiePod}'s exclusion outlived the operation.`)} Elasticsearch keeps no shards on ${zombiePod},\n` +
          `so tomorrow night's scale-in finds one usable node fewer in its zone (the post-mortem's second night).`
        : ''),
  );
  return {
    view,
    morningActedOnMs: (marks.scaleOut ?? Date.now()) - marks.morning,
    retries,
    retryDelayMs: pace.naiveRetryDelayMs,
    cutShort,
    ...(zombiePod && entry !== 'none' && { zombie: { pod: zombiePod, entry } }),
    esUrl: sandbox.esUrl,
  };
}
