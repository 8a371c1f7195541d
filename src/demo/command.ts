// `es-scaler demo`: needs no config file; it starts its own Temporal dev server and clusters.
import { InputError } from '../domain/input-error.js';
import type { DemoOptions } from './options.js';
import { runDemo } from './run.js';

export const demoHelp = `es-scaler demo [--keep-running] [--naive] [--ci]

Replays the incident night on loopback: a Temporal dev server with its UI, a simulated Kubernetes +
Elasticsearch cluster with the incident's topology (es-data-6 alone in zone eu-central-1a, zone
awareness on), and an es-scaler worker in this process. A night schedule (→ 6) and a morning
schedule (→ 8) are applied from a config file and fired a few seconds apart; the demo narrates the
pre-flight warning, the stalled drain with Elasticsearch's reason, the morning superseding the
night and cleaning up, and the cluster growing back. First, the same night runs the way the
incident's cronjob + operator did it (retrying blindly, leaving a zombie exclusion), and the end
shows both side by side. Everything started is stopped at the end.

  --keep-running  leave everything up afterwards, for the Temporal UI and the CLIs (it prints
                  how to point them at it); Ctrl-C or SIGTERM stops it all
  --naive         only the cronjob + operator replay (no Temporal, no es-scaler)
  --ci            no terminal effects, short waits; exit code 0 only when the final state is right
                  (8 replicas, no exclusions, green, night superseded, morning succeeded)

Run with \`npm run demo\` (installs and builds first), or \`npm run demo -- --keep-running\`.`;

export function demoOptions(args: string[], flags: { ci: boolean; keepRunning: boolean; naive: boolean }): DemoOptions {
  if (args.length > 0) throw new InputError(`demo: takes no arguments, found "${args.join(' ')}" (see --help)`);
  return { ci: flags.ci, keepRunning: flags.keepRunning, naiveOnly: flags.naive };
}

export function demoCommand(args: string[], flags: { ci: boolean; keepRunning: boolean; naive: boolean }, out: (line: string) => void): Promise<number> {
  return runDemo(demoOptions(args, flags), out);
}
