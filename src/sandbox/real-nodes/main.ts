// CLI: node lib/src/sandbox/real-nodes/main.js <scenario name | topology file> [--heap 128m] [--engine elasticsearch-9]
// Like the simulated sandbox's CLI, but every pod is a real Elasticsearch process. Prints K8S_URL=...
// and ES_URL=... once the cluster is green, and serves until SIGINT/SIGTERM, then stops every node.
import { loadScenarioFile, type Scenario } from '../scenario.js';
import { availability, ENGINE_MATRIX, realScenarios, startRealCluster } from './index.js';

const USAGE = `usage: real-nodes/main.js <scenario name | topology .yaml/.json file> [--heap <size, e.g. 256m>] [--engine <id>]
built-in scenarios: ${Object.keys(realScenarios).join(', ')}
engines: ${ENGINE_MATRIX.map((e) => `${e.id} (${e.version})`).join(', ')}; default ${ENGINE_MATRIX[0]!.id}`;

async function main(args: string[]): Promise<void> {
  let heap: string | undefined;
  let engineId: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--heap') heap = args[++i];
    else if (args[i] === '--engine') engineId = args[++i] ?? '';
    else if (args[i] === '--help' || args[i] === '-h') return console.log(USAGE);
    else positional.push(args[i]!);
  }
  const [source] = positional;
  if (source === undefined || positional.length > 1 || (args.includes('--heap') && !heap)) throw new Error(USAGE);
  const scenario: Scenario =
    realScenarios[source] ??
    (await loadScenarioFile(source).catch((err: Error) => {
      throw new Error(`${err.message}\n(not a built-in scenario either)\n${USAGE}`);
    }));
  const engine = ENGINE_MATRIX.find((e) => e.id === (engineId ?? ENGINE_MATRIX[0]!.id));
  if (!engine) throw new Error(`--engine: expected one of ${ENGINE_MATRIX.map((e) => e.id).join(', ')}\n${USAGE}`);
  const can = await availability(engine);
  if (!can.ok) throw new Error(`cannot run real Elasticsearch nodes: ${can.reason}`);
  // from here on a signal means: stop every node (also during the start-up), then exit
  const aborter = new AbortController();
  const stop = new Promise<void>((resolve) => {
    const onSignal = (): void => {
      aborter.abort(new Error('stopped by a signal during start-up'));
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const cluster = await startRealCluster(scenario, { engine, ...(heap ? { heap } : {}), signal: aborter.signal, log: (line) => console.error(line) });
  console.log(`K8S_URL=${cluster.k8sUrl}`);
  console.log(`ES_URL=${cluster.esUrl}`);
  console.error(
    `${engine.engine} ${(await cluster.versions()).join(', ')} is up: ${cluster.pods().length} nodes, namespace ${scenario.namespace}, ` +
      `statefulset ${scenario.statefulSet}; stop with Ctrl-C`,
  );
  await stop;
  console.error('stopping the Elasticsearch nodes ...');
  await cluster.close();
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
