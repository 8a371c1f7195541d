// The CLI's argument handling, before any config is loaded or anything is contacted.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/client/program.js';
import { packageRoot } from '../../src/util/paths.js';

const MISSING_CONFIG = '/nonexistent/es-scaler.yaml';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--config', MISSING_CONFIG], { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('CLI arguments', () => {
  const helps: [string[], RegExp][] = [
    [['scale'], /^Usage: es-scaler scale \[options\] <cluster> <replicas>/],
    [['plan'], /^Usage: es-scaler plan \[options\] <cluster> <replicas>/],
    [['status'], /^Usage: es-scaler status \[options\] \[cluster\]/],
    [['cancel'], /^Usage: es-scaler cancel \[options\] <cluster>/],
    [['schedules'], /^Usage: es-scaler schedules \[options\] \[command\]/],
    [['schedules', 'apply'], /^Usage: es-scaler schedules apply \[options\]/],
    [['schedules', 'list'], /^Usage: es-scaler schedules list \[options\] \[cluster\]/],
    [['schedules', 'pause'], /^Usage: es-scaler schedules pause \[options\] <schedule>[\s\S]*--note <text>/],
    [['schedules', 'unpause'], /^Usage: es-scaler schedules unpause/],
    [['completion'], /^Usage: es-scaler completion \[options\] <shell>/],
  ];
  for (const [args, expected] of helps) {
    it(`\`${args.join(' ')} --help\` and \`help ${args.join(' ')}\` print its usage and exit 0, without a config file`, async () => {
      for (const argv of [[...args, '--help'], ['help', ...args]]) {
        const { code, out } = await run(argv);
        assert.equal(code, 0, argv.join(' '));
        assert.match(out, expected, argv.join(' '));
        assert.match(out, /--address <host:port>/, 'the global options show too');
      }
    });
  }

  it('the top-level usage lists every command, the exit codes and where Temporal settings come from', async () => {
    const { code, out } = await run(['--help']);
    assert.equal(code, 0);
    for (const command of ['scale', 'plan', 'status', 'cancel', 'schedules', 'demo', 'completion', 'help']) assert.match(out, new RegExp(`^  ${command} `, 'm'));
    assert.match(out, /Exit codes: 0 ok, 1 failure, 2 bad input/);
    assert.match(out, /TEMPORAL_CONFIG_FILE \/ TEMPORAL_PROFILE/);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
    const { code, out } = await run(['--version']);
    assert.equal(code, 0);
    assert.equal(out, version);
  });

  const bad: [string, string[], RegExp][] = [
    ['an unknown command, with a suggestion', ['sacle', 'production', '6'], /^es-scaler: unknown command 'sacle'\n\(Did you mean scale\?\)$/],
    ['an unknown subcommand, with a suggestion', ['schedules', 'pasue', 'production'], /^es-scaler: unknown command 'pasue'\n\(Did you mean pause\?\)$/],
    ['a missing subcommand', ['schedules'], /^Usage: es-scaler schedules/],
    ['an unknown option, with a suggestion', ['schedules', 'apply', '--dryrun'], /^es-scaler: unknown option '--dryrun'\n\(Did you mean --dry-run\?\)$/],
    ['an option without its value', ['schedules', 'pause', 'production', '--note'], /^es-scaler: option '--note <text>' argument missing$/],
    ['an empty pause note (the server would not pause)', ['schedules', 'pause', 'production', '--note', ''], /^es-scaler: option '--note <text>' argument '' is invalid\. note: empty; say why/],
    ['an unpause note of spaces', ['schedules', 'unpause', 'production', '--note', '  '], /argument ' {2}' is invalid\. note: empty/],
    ['an extra argument to scale (issue 9, item 12)', ['scale', 'production', '6', '7'], /^es-scaler: too many arguments for 'scale'\. Expected 2 arguments but got 3\.$/],
    ['an extra argument to cancel', ['cancel', 'production', 'now'], /^es-scaler: too many arguments for 'cancel'/],
    ['an extra argument to status', ['status', 'production', 'staging'], /^es-scaler: too many arguments for 'status'/],
    ['a missing replica count', ['scale', 'production'], /^es-scaler: missing required argument 'replicas'$/],
    ['an unknown output format', ['status', '-o', 'xml'], /^es-scaler: option '-o, --output <format>' argument 'xml' is invalid\. Allowed choices are table, wide, json, yaml\.$/],
    ['an unknown shell', ['completion', 'fish'], /^es-scaler: command-argument value 'fish' is invalid for argument 'shell'\. Allowed choices are bash, zsh\.$/],
    ['a demo-only option elsewhere', ['scale', 'production', '6', '--ci'], /^es-scaler: unknown option '--ci'$/],
  ];
  for (const [what, args, expected] of bad) {
    it(`${what} is bad input: exit 2, reported before the config is read`, async () => {
      const { code, err } = await run(args);
      assert.equal(code, 2);
      assert.match(err, expected);
      assert.doesNotMatch(err, /nonexistent/, 'the config file was not read');
    });
  }

  it('a negative replica count reaches validation as a number, not as an option', async () => {
    const { code, err } = await run(['scale', 'production', '-1']);
    assert.equal(code, 2);
    assert.match(err, /^es-scaler: invalid config \/nonexistent\/es-scaler\.yaml:\n {2}- cannot read the file/, 'it got past argument parsing');
  });

  it('config errors are listed one per line', async () => {
    const { code, err } = await run(['status']);
    assert.equal(code, 2);
    assert.equal(err.split('\n')[0], `es-scaler: invalid config ${MISSING_CONFIG}:`);
  });

  describe('shell completion', () => {
    const script = async (shell: 'bash' | 'zsh') => {
      const lines: string[] = [];
      assert.equal(await main(['completion', shell], { out: (l) => lines.push(l), err: () => undefined }), 0);
      return lines.join('\n');
    };
    const complete = async (shell: 'bash' | 'zsh', line: string[]) => {
      const text = await script(shell);
      const words = line.map((w) => `'${w}'`).join(' ');
      // The generated bash function, run by bash itself with the words a user has typed.
      const body = shell === 'zsh' ? text.split('\n').filter((l) => !l.startsWith('#compdef') && !l.includes('bashcompinit')).join('\n') : text;
      return execFileSync('bash', ['-c', `complete() { :; }\n${body}\nCOMP_WORDS=(es-scaler ${words}); COMP_CWORD=${line.length}; _es_scaler_completion; printf '%s\\n' "\${COMPREPLY[@]}"`], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean);
    };

    it('bash completes commands, subcommands, options and option values', async () => {
      assert.deepEqual(await complete('bash', ['sc']), ['scale', 'schedules']);
      assert.deepEqual(await complete('bash', ['schedules', 'p']), ['pause']);
      assert.ok((await complete('bash', ['schedules', 'pause', 'production', '--'])).includes('--note'));
      assert.ok((await complete('bash', ['scale', 'production', '6', '--'])).includes('--wait'));
      assert.ok((await complete('bash', ['scale', '--'])).includes('--address'), 'global options too');
      assert.deepEqual(await complete('bash', ['status', '-o', '']), ['table', 'wide', 'json', 'yaml']);
    });

    it('zsh gets the same completion through bashcompinit', async () => {
      assert.match(await script('zsh'), /^#compdef es-scaler\nautoload -U \+X bashcompinit && bashcompinit\n/);
      assert.deepEqual(await complete('zsh', ['schedules', 'l']), ['list']);
    });
  });
});
