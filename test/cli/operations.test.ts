// The CLI's conventions against a real dev server and the sandbox, through the installed command:
// extra arguments change nothing, --wait follows an operation and its exit code tells how it
// ended, -o json|yaml|wide, errors that name what failed.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { parse } from 'yaml';
import { scenarios } from '../../src/sandbox/scenario.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { worldPerTest } from '../helpers/world.js';

describe('CLI conventions', function () {
  const startWorld = worldPerTest();

  it('`scale production 6 7` is bad input: exit 2, no workflow started, the cluster untouched', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    const result = await runCli(['scale', 'production', '6', '7', '--config', await world.writeConfigFile()]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, "es-scaler: too many arguments for 'scale'. Expected 2 arguments but got 3.\n");
    await assert.rejects(world.clusterHandle().describe(), WorkflowNotFoundError);
    assert.equal(world.sandbox.replicas(), 8);
    assert.equal(world.sandbox.requests.length, 0);
  });

  it('scale --wait follows the operation to success (exit 0); status -o json, yaml and wide', async () => {
    // relocations slow enough that the follower sees the drain's progress (an instant drain may pass between two looks)
    const world = await startWorld({ scenario: { ...scenarios['even-8']!, timings: { relocationMs: 2_000 } } });
    await world.startWorker();
    const file = await world.writeConfigFile();
    const result = await runCli(['scale', 'production', '7', '--wait', '--config', file]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^production: following cluster\/.+\/op-\S+$/m);
    assert.match(result.stdout, /^ {2}draining es-data-7, \d+ shards left$/m, 'progress lines');
    assert.match(result.stdout, /^production: succeeded: /m);
    assert.equal(world.sandbox.replicas(), 7);

    const json = await runCli(['status', 'production', '-o', 'json', '--config', file]);
    const yaml = await runCli(['status', 'production', '-o', 'yaml', '--config', file]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.deepEqual(parse(yaml.stdout), JSON.parse(json.stdout));
    assert.equal((JSON.parse(json.stdout) as { production: { cluster: { history: { outcome: string }[] } } }).production.cluster.history[0]!.outcome, 'succeeded');
    const table = await runCli(['status', 'production', '--config', file]);
    const wide = await runCli(['status', 'production', '-o', 'wide', '--config', file]);
    assert.match(table.stdout, /^ {2}last: {5}\S+ → 7 \(cli:.+\): succeeded/m);
    assert.ok(wide.stdout.startsWith(table.stdout.trimEnd()) || wide.stdout.length >= table.stdout.length);
  });

  it('status shows the live shards-left count of a drain: the drain watch heartbeats it between its reports', async () => {
    // twelve copies on each node, four relocating at a time for 5 s each: the count drops while the watch has nothing to report
    const scenario = { ...scenarios['even-8']!, indices: [{ name: 'logs', primaries: 48, replicas: 1 }], timings: { relocationMs: 5_000 } };
    const world = await startWorld({ scenario });
    await world.startWorker();
    const file = await world.writeConfigFile();
    await world.submit(7);
    const { status } = await world.runningOperation((s) => s.phase === 'draining' && s.shardsLeft !== undefined);
    const reported = status.shardsLeft!;
    const shown = async () => {
      const json = await runCli(['status', 'production', '-o', 'json', '--config', file]);
      return (JSON.parse(json.stdout) as { production: { operation?: { shardsLeft?: number } } }).production.operation?.shardsLeft;
    };
    const live = await eventually('status showing fewer shards left than the operation last reported', async () => {
      const n = await shown();
      return n !== undefined && n < reported ? n : undefined;
    }, 30_000, 200);
    assert.ok(live >= 0);
    await world.finishedOperations(1, 60_000);
  });

  it('scale --wait exits 3 when a newer target supersedes it; cancel --wait exits 0 once the operation cleaned up', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    const file = await world.writeConfigFile();
    world.sandbox.faults.stallRelocations(true);
    const waiting = runCli(['scale', 'production', '7', '--wait', '--config', file]);
    await world.runningOperation((s) => s.phase === 'draining');
    await world.submit(6);
    const superseded = await waiting;
    assert.equal(superseded.code, 3, superseded.stdout + superseded.stderr);
    assert.match(superseded.stdout, /^production: (superseded|cancelled): /m);

    await world.runningOperation((s) => s.phase === 'draining' && s.target === 6);
    const cancel = await runCli(['cancel', 'production', '--wait', '--config', file]);
    assert.equal(cancel.code, 0, cancel.stdout + cancel.stderr);
    assert.match(cancel.stdout, /^production: cancelled: /m);
    assert.deepEqual(world.sandbox.exclusions(), {}, 'its exclusion removed before --wait returned');
    world.sandbox.faults.stallRelocations(false);
  });

  it('finds Temporal through the temporal CLI’s profile file, flags and environment; names the address it cannot reach', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    const file = await world.writeConfigFile();
    const { address, namespace } = world.config.temporal;
    // The file points at a port where nothing listens; the profile at the dev server.
    const unreachable = '127.0.0.1:9';
    await writeFile(file, (await readFile(file, 'utf8')).replace(address, unreachable));
    const toml = join(dirname(file), 'temporal.toml');
    await writeFile(toml, `[profile.es]\naddress = "${address}"\nnamespace = "${namespace}"\n`);
    const env = { TEMPORAL_CONFIG_FILE: toml, TEMPORAL_ADDRESS: undefined, TEMPORAL_NAMESPACE: undefined, TEMPORAL_PROFILE: undefined };
    const ok = (run: CliRun) => assert.equal(run.code, 0, run.stderr);

    const refused = await runCli(['status', '--config', file], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`^es-scaler: cannot reach Temporal at ${unreachable} \\(namespace "${namespace}"\\): `));
    ok(await runCli(['status', '--profile', 'es', '--config', file], env));
    ok(await runCli(['status', '--config', file], { ...env, TEMPORAL_PROFILE: 'es' }));
    ok(await runCli(['status', '--address', address, '--config', file], env));
    ok(await runCli(['status', '--config', file], { ...env, TEMPORAL_ADDRESS: address }));
    const noProfile = await runCli(['status', '--profile', 'nope', '--config', file], env);
    assert.equal(noProfile.code, 2);
    assert.match(noProfile.stderr, /^es-scaler: --profile: Profile 'nope' not found in config data \(profile file .+temporal\.toml\)$/m);
  });

  it('plan names the StatefulSet it cannot find', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    const file = await world.writeConfigFile();
    await writeFile(file, (await readFile(file, 'utf8')).replace(/statefulSet: \S+/, 'statefulSet: es-missing'));
    const result = await runCli(['plan', 'production', '6', '--config', file]);
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stderr, /^es-scaler: Kubernetes: (pods of )?StatefulSet \S+\/es-missing at http:\/\/127\.0\.0\.1:\d+: not found \(HTTP 404\)$/m);
  });
});
