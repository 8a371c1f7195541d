// es-scaler's command tree (commander): commands, options, help, and how each ends as an exit
// code (src/client/exit-codes.ts). Errors go to stderr as one "es-scaler: <reason>" message;
// a config file's problems follow, one per line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../config/load.js';
import { InputError } from '../domain/input-error.js';
import { packageRoot } from '../util/paths.js';
import { cancelCommand, cancelHelp } from './commands/cancel.js';
import { configSchemaText } from './config-json-schema.js';
import { planCommand, planHelp } from './commands/plan.js';
import { scaleCommand, scaleHelp } from './commands/scale.js';
import { checkNote } from './schedules/pause.js';
import { applyCommand, listCommand, pauseCommand, schedulesHelp } from './commands/schedules.js';
import { statusCommand, statusHelp } from './commands/status.js';
import { completionScript, SHELLS, type Shell } from './completion.js';
import { cliContext, type CliContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { OUTPUT_FORMATS, outputFormat, type OutputFormat } from './output.js';
import type { TemporalFlags } from './temporal-settings.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: CliIo = { out: (line) => console.log(line), err: (line) => console.error(line) };

/**
 * A negative number is an argument, not an option, so that `scale prod -1` is told what is wrong
 * with -1: it is marked before parsing and unmarked where arguments are read.
 */
const MARK = '\u0000';
const unmark = (text: string) => (text.startsWith(MARK) ? text.slice(MARK.length) : text);

function noteArgument(text: string): string {
  try {
    return checkNote(unmark(text));
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

type GlobalOptions = TemporalFlags & { config?: string };
type Run = (ctx: CliContext) => Promise<number | void>;

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  let code: number = EXIT.ok;
  const withContext = async (command: Command, run: Run) => {
    const ctx = await cliContext(command.optsWithGlobals<GlobalOptions>(), io.out);
    try {
      code = (await run(ctx)) ?? EXIT.ok;
    } finally {
      await ctx.close();
    }
  };
  const program = buildProgram(io, withContext, (c) => (code = c));
  if (argv.length === 0) {
    io.out(program.helpInformation().trimEnd());
    return EXIT.ok;
  }
  // commander's `help <command>` takes one name; `help schedules pause` means `schedules pause --help`.
  const args = argv[0] === 'help' && argv.length > 2 ? [...argv.slice(1), '--help'] : argv;
  try {
    await program.parseAsync(args.map((arg) => (/^-\d/.test(arg) ? MARK + arg : arg)), { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.badInput; // commander printed it
    io.err(`es-scaler: ${errorText(err)}`);
    return err instanceof InputError || err instanceof ConfigError ? EXIT.badInput : EXIT.failure;
  }
}

function errorText(err: unknown): string {
  if (err instanceof ConfigError) return err.message; // one problem per line
  return (err as Error).message.split('\n')[0]!;
}

export function buildProgram(io: CliIo, withContext: (command: Command, run: Run) => Promise<void>, setCode: (code: number) => void): Command {
  const program = new Command('es-scaler')
    .description('Schedule-driven, durable scaling of Elasticsearch StatefulSets on Kubernetes, as Temporal workflows')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
      outputError: (text, write) => write(`es-scaler: ${text.replace(/^error: /, '')}`),
    })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .option('--config <file>', 'the es-scaler config file (default: $ES_SCALER_CONFIG, else ./es-scaler.yaml)')
    .option('--address <host:port>', 'Temporal frontend address (else $TEMPORAL_ADDRESS, the profile, the config file)')
    .option('--namespace <name>', 'Temporal namespace (else $TEMPORAL_NAMESPACE, the profile, the config file)')
    .option('--profile <name>', "profile of the `temporal` CLI's config file (else $TEMPORAL_PROFILE, else \"default\")")
    .option('--tls', 'connect to Temporal with TLS')
    .option('--tls-cert-path <file>', 'client certificate for mTLS')
    .option('--tls-key-path <file>', 'client key for mTLS')
    .option('--tls-ca-path <file>', "CA certificate that signed the server's")
    .option('--tls-server-name <name>', "the server's name in its certificate, when it is not the address")
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 failure, 2 bad input (nothing changed), 3 --wait: the operation ended without
reaching its goal, 4 plan: would proceed with warnings, 5 plan: would not reach the target.
Temporal settings are shared with the \`temporal\` CLI: TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE and
the TEMPORAL_* variables it reads. \`es-scaler help <command>\` shows a command's usage.`,
    );

  const outputOptions = (command: Command) =>
    command
      .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
      .option('--json', 'same as -o json');
  const format = (options: { output?: OutputFormat; json?: boolean }) => outputFormat(options);
  const replicas = () => new Argument('<replicas>', 'target replica count').argParser(unmark);

  program
    .command('scale')
    .summary('set a target replica count now (supersedes a running operation)')
    .argument('<cluster>', 'cluster name from the config file')
    .addArgument(replicas())
    .option('--wait', 'follow the operation until it ends; the exit code tells how it ended')
    .addHelpText('after', `\n${scaleHelp}`)
    .action((cluster: string, target: string, options: { wait?: boolean }, command: Command) =>
      withContext(command, (ctx) => scaleCommand(ctx, cluster, target, options.wait === true)),
    );

  outputOptions(
    program
      .command('plan')
      .summary('dry run of scale: what it would do, changing nothing')
      .argument('<cluster>', 'cluster name from the config file')
      .addArgument(replicas()),
  )
    .addHelpText('after', `\n${planHelp}`)
    .action((cluster: string, target: string, options: { output?: OutputFormat; json?: boolean }, command: Command) =>
      withContext(command, (ctx) => planCommand(ctx, cluster, target, format(options))),
    );

  outputOptions(program.command('status').summary('desired target, running operation, last outcomes').argument('[cluster]', 'one cluster (default: all)'))
    .addHelpText('after', `\n${statusHelp}`)
    .action((cluster: string | undefined, options: { output?: OutputFormat; json?: boolean }, command: Command) =>
      withContext(command, (ctx) => statusCommand(ctx, cluster, format(options))),
    );

  program
    .command('cancel')
    .summary('cancel the running operation (it cleans up after itself)')
    .argument('<cluster>', 'cluster name from the config file')
    .option('--wait', 'follow the operation until it has cleaned up and ended')
    .addHelpText('after', `\n${cancelHelp}`)
    .action((cluster: string, options: { wait?: boolean }, command: Command) =>
      withContext(command, (ctx) => cancelCommand(ctx, cluster, options.wait === true)),
    );

  const schedules = program.command('schedules').summary("apply, list, pause or unpause the config file's schedules");
  schedules
    .command('apply')
    .summary('make the Temporal Schedules match the config file (--dry-run: only show)')
    .option('--dry-run', 'only print what it would change')
    .option('--json', 'print the changes as JSON')
    .option('--force', 'apply although the worker in the cluster runs another config file')
    .addHelpText('after', `\n${schedulesHelp.apply}`)
    .action((options: { dryRun?: boolean; json?: boolean; force?: boolean }, command: Command) =>
      withContext(command, (ctx) => applyCommand(ctx, { dryRun: options.dryRun === true, json: options.json === true, force: options.force === true })),
    );
  outputOptions(schedules.command('list').summary('next runs, pause state and last run of each schedule').argument('[cluster]', 'one cluster (default: all)'))
    .addHelpText('after', `\n${schedulesHelp.list}`)
    .action((cluster: string | undefined, options: { output?: OutputFormat; json?: boolean }, command: Command) =>
      withContext(command, (ctx) => listCommand(ctx, cluster, format(options))),
    );
  for (const paused of [true, false]) {
    schedules
      .command(paused ? 'pause' : 'unpause')
      .summary(paused ? 'pause a schedule, or all of a cluster, with a note' : 'resume a schedule, or all of a cluster')
      .argument('<schedule>', '<cluster> or <cluster>/<schedule>')
      .addOption(new Option('--note <text>', 'why (and until when); default: who did it').argParser(noteArgument))
      .addHelpText('after', `\n${paused ? schedulesHelp.pause : schedulesHelp.unpause}`)
      .action((target: string, options: { note?: string }, command: Command) =>
        withContext(command, (ctx) => pauseCommand(ctx, target, paused, options.note)),
      );
  }

  program
    .command('demo')
    .summary('replay the incident night on a local Temporal dev server and a simulated cluster')
    .option('--keep-running', 'leave everything up afterwards; Ctrl-C or SIGTERM stops it all')
    .option('--naive', 'only the cronjob + operator replay (no Temporal, no es-scaler)')
    .option('--ci', 'no terminal effects, short waits; exit code 0 only when the final state is right')
    .addHelpText(
      'after',
      `
Replays the incident night on loopback, first the way the incident's cronjob + operator did it, then
with es-scaler, and shows both side by side; see docs/demo-transcript.md. Needs no config file.`,
    )
    .action(async (options: { ci?: boolean; keepRunning?: boolean; naive?: boolean }) => {
      // Loaded only when run: it brings the sandbox, the worker and the dev server launcher.
      const { demoCommand } = await import('../demo/command.js');
      setCode(await demoCommand([], { ci: options.ci === true, keepRunning: options.keepRunning === true, naive: options.naive === true }, io.out));
    });

  program
    .command('completion')
    .summary('print a shell completion script (bash or zsh)')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(SHELLS))
    .addHelpText('after', '\nbash: source <(es-scaler completion bash)   zsh: source <(es-scaler completion zsh)')
    .action((shell: Shell) => io.out(completionScript(program, shell).trimEnd()));

  program
    .command('config')
    .summary("the config file's JSON Schema, for editors")
    .command('schema')
    .summary("print the config file's JSON Schema (committed as docs/es-scaler.schema.json)")
    .action(() => io.out(configSchemaText().trimEnd()));

  return program;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}
