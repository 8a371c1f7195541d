// The CLI's argument handling, before any config is loaded or anything is contacted.
import assert from 'node:assert/strict';
import { main } from '../../src/client/cli.js';
import { InputError } from '../../src/domain/input-error.js';

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main([...args, '--config', '/nonexistent/es-scaler.yaml'], (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

describe('CLI arguments', () => {
  const helps: [string[], RegExp][] = [
    [['scale'], /^es-scaler scale <cluster> <replicas>/],
    [['plan'], /^es-scaler plan <cluster> <replicas>/],
    [['status'], /^es-scaler status/],
    [['cancel'], /^es-scaler cancel <cluster>/],
    [['schedules'], /^es-scaler schedules <apply\|list\|pause\|unpause>/],
    [['schedules', 'apply'], /^es-scaler schedules apply \[--dry-run\]/],
    [['schedules', 'list'], /^es-scaler schedules list/],
    [['schedules', 'pause'], /^es-scaler schedules pause <cluster>\[\/<schedule>\] \[--note TEXT\]/],
    [['schedules', 'unpause'], /^es-scaler schedules unpause/],
  ];
  for (const [args, expected] of helps) {
    it(`\`${args.join(' ')} --help\` prints its usage and exits 0, without a config file`, async () => {
      const { code, text } = await run([...args, '--help']);
      assert.equal(code, 0);
      assert.match(text, expected);
    });
  }

  it('the top-level usage lists every command', async () => {
    const { code, text } = await run(['--help']);
    assert.equal(code, 0);
    for (const command of ['scale', 'plan', 'status', 'cancel', 'schedules']) assert.match(text, new RegExp(`^  ${command} `, 'm'));
  });

  const bad: [string[], RegExp][] = [
    [['frobnicate'], /^unknown command "frobnicate"/],
    [['schedules'], /^schedules: missing subcommand/],
    [['schedules', 'sync'], /^schedules: unknown subcommand "sync"/],
    [['schedules', 'apply', '--dryrun'], /^Unknown option '--dryrun'$/],
    [['schedules', 'pause', 'production', '--note'], /^Option '--note' argument (is ambiguous|missing)/],
  ];
  for (const [args, expected] of bad) {
    it(`\`${args.join(' ')}\` is bad input, reported before the config is read`, async () => {
      await assert.rejects(run(args), (err: unknown) => err instanceof InputError && expected.test(err.message));
    });
  }
});
