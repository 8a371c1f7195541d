// CLI: node lib/src/sandbox/main.js <scenario name | topology file> [--host <address>] [--k8s-port N] [--es-port N] [--k8s-token-file F]
// Prints K8S_URL=..., K8S_TOKEN_FILE=... and ES_URL=... and serves until SIGINT/SIGTERM.
import { readFile } from 'node:fs/promises';
import { loadScenarioFile, scenarios, startSandbox, type Scenario } from './index.js';

const USAGE = `usage: main.js <scenario name | topology .yaml/.json file> [--host <address>] [--k8s-port N] [--es-port N] [--k8s-token-file F]
built-in scenarios: ${Object.keys(scenarios).join(', ')}`;

async function main(args: string[]): Promise<void> {
  let host: string | undefined;
  let tokenFile: string | undefined;
  const ports: { k8s?: number; es?: number } = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--host') host = args[++i];
    else if (args[i] === '--k8s-port') ports.k8s = portArgument('--k8s-port', args[++i]);
    else if (args[i] === '--k8s-token-file') tokenFile = args[++i];
    else if (args[i] === '--es-port') ports.es = portArgument('--es-port', args[++i]);
    else if (args[i] === '--help' || args[i] === '-h') return console.log(USAGE);
    else positional.push(args[i]!);
  }
  const [source] = positional;
  if (source === undefined || positional.length > 1 || (args.includes('--host') && !host)) throw new Error(USAGE);
  const scenario: Scenario = scenarios[source] ?? (await loadScenarioFile(source).catch((err: Error) => {
    throw new Error(`${err.message}\n(not a built-in scenario either)\n${USAGE}`);
  }));
  const k8sToken = tokenFile === undefined ? undefined : (await readFile(tokenFile, 'utf8')).trim();
  const sandbox = await startSandbox(scenario, { ports, ...(host !== undefined && { host }), ...(k8sToken && { k8sToken }) });
  console.log(`K8S_URL=${sandbox.k8sUrl}`);
  console.log(`K8S_TOKEN_FILE=${tokenFile ?? sandbox.k8sTokenFile}`);
  console.log(`ES_URL=${sandbox.esUrl}`);
  console.error(`sandbox "${source}" is up (namespace ${scenario.namespace}, statefulset ${scenario.statefulSet}); stop with Ctrl-C`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
}

function portArgument(flag: string, value: string | undefined): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${flag}: expected a port number, found ${JSON.stringify(value)}\n${USAGE}`);
  return port;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
