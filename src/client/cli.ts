#!/usr/bin/env node
// es-scaler's command line. Exit codes: 0 ok, 1 failure, 2 bad input (with a one-line reason).
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/load.js';
import { InputError } from '../domain/input-error.js';
import { demoCommand, demoHelp } from '../demo/command.js';
import { cancelCommand, cancelHelp } from './commands/cancel.js';
import { planCommand, planHelp } from './commands/plan.js';
import { scaleCommand, scaleHelp } from './commands/scale.js';
import { checkSchedulesArguments, schedulesCommand, schedulesHelp, schedulesHelpFor } from './commands/schedules.js';
import { statusCommand, statusHelp } from './commands/status.js';
import { cliContext, type CliContext } from './context.js';

interface Flags {
  json: boolean;
  dryRun: boolean;
  note?: string;
}

interface DemoFlags {
  ci: boolean;
  keepRunning: boolean;
  naive: boolean;
}

interface Command {
  /** One line for the top-level usage. */
  summary: string;
  help: string;
  /** For a command with subcommands: the help of the one `args` names. */
  helpFor?(args: string[]): string;
  /** Rejects bad arguments before the config is loaded. */
  check?(args: string[]): void;
  run?(ctx: CliContext, args: string[], flags: Flags): Promise<void>;
  /** A command that needs no config file (the demo brings its own); returns the exit code. */
  standalone?(args: string[], flags: DemoFlags, out: (line: string) => void): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  scale: { summary: 'set a target replica count now (supersedes a running operation)', help: scaleHelp, run: (ctx, args) => scaleCommand(ctx, args) },
  plan: { summary: 'dry run of scale: what it would do, changing nothing', help: planHelp, run: (ctx, args, flags) => planCommand(ctx, args, flags.json) },
  status: { summary: 'desired target, running operation, last outcomes', help: statusHelp, run: (ctx, args, flags) => statusCommand(ctx, args, flags.json) },
  cancel: { summary: 'cancel the running operation (it cleans up after itself)', help: cancelHelp, run: (ctx, args) => cancelCommand(ctx, args) },
  schedules: {
    summary: "apply, list, pause or unpause the config file's schedules",
    help: schedulesHelp,
    helpFor: schedulesHelpFor,
    check: checkSchedulesArguments,
    run: schedulesCommand,
  },
  demo: {
    summary: 'replay the incident night on a local Temporal dev server and a simulated cluster',
    help: demoHelp,
    standalone: demoCommand,
  },
};

/** Options only the demo takes. */
const DEMO_OPTIONS = ['ci', 'keep-running', 'naive'] as const;

const OPTIONS = {
  config: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'dry-run': { type: 'boolean' },
  note: { type: 'string' },
  ci: { type: 'boolean' },
  'keep-running': { type: 'boolean' },
  naive: { type: 'boolean' },
} as const;

const USAGE = `es-scaler <command> [arguments] [--config FILE]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`)
  .join('\n')}

The config file comes from --config, else $ES_SCALER_CONFIG, else ./es-scaler.yaml.
Run \`es-scaler <command> --help\` for a command's usage.`;

export async function main(argv: string[], out = (line: string) => console.log(line)): Promise<number> {
  const { values, positionals } = parseArguments(argv);
  const [name, ...args] = positionals;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    if (name) throw new InputError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see --help)`);
    out(USAGE);
    return 0;
  }
  if (values.help) {
    out(command.helpFor?.(args) ?? command.help);
    return 0;
  }
  command.check?.(args);
  if (command.standalone) {
    return command.standalone(args, { ci: values.ci === true, keepRunning: values['keep-running'] === true, naive: values.naive === true }, out);
  }
  const demoOnly = DEMO_OPTIONS.find((option) => values[option] !== undefined);
  if (demoOnly) throw new InputError(`--${demoOnly}: only the demo command takes this option`);
  const ctx = await cliContext(values.config, out);
  try {
    await command.run!(ctx, args, { json: values.json === true, dryRun: values['dry-run'] === true, note: values.note });
    return 0;
  } finally {
    await ctx.close();
  }
}

/**
 * Unknown options are bad input (a mistyped --dry-run must not apply for real). A negative number
 * is an argument, not an option, so that `scale prod -1` is told what is wrong with -1.
 */
function parseArguments(argv: string[]) {
  const NEGATIVE = /^-\d/;
  const MARK = '\u0000';
  try {
    const { values, positionals } = parseArgs({
      args: argv.map((arg) => (NEGATIVE.test(arg) ? MARK + arg : arg)),
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
    const unmark = (text: string) => (text.startsWith(MARK) ? text.slice(MARK.length) : text);
    return { values: { ...values, ...(values.note !== undefined && { note: unmark(values.note) }) }, positionals: positionals.map(unmark) };
  } catch (err) {
    throw new InputError((err as Error).message.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, ''));
  }
}

function oneLine(err: unknown): string {
  if (err instanceof ConfigError) return `invalid config ${err.source}: ${err.problems.join('; ')}`;
  return (err as Error).message.split('\n')[0]!;
}

// Run only when executed, not when imported by tests.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`es-scaler: ${oneLine(err)}`);
      process.exit(err instanceof InputError || err instanceof ConfigError ? 2 : 1);
    },
  );
}
