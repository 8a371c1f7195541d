// S6: bad input gets a clear, one-line error naming the field, and nothing changes on the cluster.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { WorkflowNotFoundError } from '@temporalio/client';
import YAML from 'yaml';
import { scenarios } from '../../src/sandbox/scenario.js';
import { temporalCliPath } from '../../src/temporal/dev-server.js';
import { runCli } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { World } from '../helpers/world.js';

const run = promisify(execFile);

describe('S6: bad input changes nothing', function () {
  let world: World;
  let configFile: string;
  let initialState: string;

  const clusterState = () =>
    JSON.stringify({
      replicas: world.sandbox.replicas(),
      settings: world.sandbox.settings(),
      shards: world.sandbox.shards().map((s) => `${s.index}/${s.shard}/${s.prirep}@${s.node}`).sort(),
    });
  const writes = () => world.sandbox.requests.filter((r) => r.method !== 'GET').length;

  before(async () => {
    world = await World.start({ scenario: scenarios['even-8']! });
    await world.startWorker();
    configFile = await world.writeConfigFile();
    initialState = clusterState();
  });
  after(async () => world.close());

  const cases: [string, string[], RegExp][] = [
    ['unknown cluster', ['scale', 'staging', '6'], /^es-scaler: cluster: unknown cluster "staging" \(configured: production\)$/],
    ['below minReplicas', ['scale', 'production', '2'], /^es-scaler: replicas: expected at least minReplicas \(3\), found 2$/],
    ['above maxReplicas', ['scale', 'production', '11'], /^es-scaler: replicas: expected at most maxReplicas \(10\), found 11$/],
    ['not a whole number', ['scale', 'production', '6.5'], /^es-scaler: replicas: expected a whole number, found 6.5$/],
    ['not a number', ['scale', 'production', 'seven'], /^es-scaler: replicas: expected a whole number, found "seven"$/],
    ['missing replicas', ['scale', 'production'], /^es-scaler: missing required argument 'replicas'$/],
  ];
  for (const [name, args, expected] of cases) {
    it(`${name}: exit 2, the field named, no workflow, cluster unchanged`, async () => {
      const result = await runCli([...args, '--config', configFile]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr.trim(), expected);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
      await assert.rejects(world.clusterHandle().describe(), WorkflowNotFoundError);
      assert.equal(clusterState(), initialState);
      assert.equal(writes(), 0);
    });
  }

  // Config files that parse but ask for something that cannot work (issue 9): each refused before
  // anything is read from or written to the cluster, with the field named.
  const configCases: [string, (cluster: Record<string, unknown> & { kubernetes: Record<string, unknown>; elasticsearch: Record<string, unknown> }) => void, RegExp][] = [
    ['a poll interval beyond 5m', (c) => (c.pollInterval = '10m'), /clusters\.production\.pollInterval: expected between 100ms and 5m, found "10m"/],
    ['stallAfter below twice the poll interval', (c) => ((c.pollInterval = '1m'), (c.stallAfter = '90s')), /clusters\.production\.stallAfter: expected at least twice pollInterval/],
    ['maxReplicas of 20,000,000', (c) => (c.maxReplicas = 20_000_000), /clusters\.production\.maxReplicas: .*1000, found 20000000/],
    ['an Elasticsearch URL without a scheme', (c) => (c.elasticsearch.url = 'es-data:9200'), /clusters\.production\.elasticsearch\.url: expected an http:\/\/ or https:\/\/ URL/],
    ['credentials inside the Elasticsearch URL', (c) => (c.elasticsearch.url = 'http://elastic:secret@127.0.0.1:9200'), /clusters\.production\.elasticsearch\.url: expected a URL without credentials/],
    ['an API server without a token file', (c) => delete c.kubernetes.tokenFile, /clusters\.production\.kubernetes\.tokenFile: expected a token file with apiServer/],
    ['a timezone in the wrong case', (c) => (c.schedules = [{ name: 'night', cron: '0 22 * * *', timezone: 'europe/berlin', replicas: 6 }]), /clusters\.production\.schedules\[0\]\.timezone: expected an IANA timezone like "Europe\/Berlin", found "europe\/berlin"/],
  ];
  for (const [name, edit, expected] of configCases) {
    it(`config: ${name}: exit 2 naming the field, cluster unchanged`, async () => {
      const file = configFile.replace(/\.yaml$/, `-${name.replace(/\W+/g, '-')}.yaml`);
      const data = YAML.parse(await readFile(configFile, 'utf8'));
      edit(data.clusters.production);
      await writeFile(file, YAML.stringify(data));
      const writesBefore = writes();
      const result = await runCli(['scale', 'production', '6', '--config', file]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, expected);
      assert.doesNotMatch(result.stderr, /secret/, 'a credential is never echoed');
      assert.equal(clusterState(), initialState);
      assert.equal(writes(), writesBefore);
    });
  }

  it('a broken config file: exit 2 naming the field, cluster unchanged', async () => {
    const broken = configFile.replace(/\.yaml$/, '-broken.yaml');
    await writeFile(broken, 'clusters:\n  production:\n    minReplicas: six\n');
    const result = await runCli(['scale', 'production', '6', '--config', broken]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /clusters\.production\.minReplicas: expected number, found "six"/);
    assert.match(result.stderr, /clusters\.production\.kubernetes: expected object, found nothing/);
    assert.equal(clusterState(), initialState);
  });

  it('a raw `temporal workflow signal` with a bad target is rejected in the status, naming the field', async () => {
    await world.submit(8, 'test'); // starts the cluster workflow; 8 is the current size: a no-op
    await world.finishedOperations(1);
    const signal = (input: string) =>
      run(temporalCliPath(), [
        'workflow', 'signal', '--address', world.config.temporal.address, '--namespace', world.config.temporal.namespace,
        '--workflow-id', world.clusterHandle().workflowId, '--name', 'setTarget', '--input', input,
      ]);

    await signal('{"replicas": -1, "source": "someone"}');
    const { rejected } = await eventually('the rejection', async () => {
      const status = await world.clusterStatus();
      return status.rejected.length > 0 ? status : undefined;
    });
    assert.match(rejected[0]!.reason, /^replicas: expected a whole number from 0 to 1000, found -1$/);

    await signal('{"replicas": 2, "source": "someone"}');
    const history = await world.finishedOperations(2);
    assert.equal(history[1]!.outcome, 'failed');
    assert.match(history[1]!.detail, /^replicas: expected at least minReplicas \(3\), found 2$/);
    assert.equal(clusterState(), initialState);
    assert.equal(writes(), 0);
  });

  // The requestTarget update, as `temporal workflow update execute` sends it: the validator names
  // the field, the caller gets the error at once, and the workflow records nothing.
  const updateCases: [string, string, RegExp][] = [
    ['a negative target', '{"replicas": -1, "source": "someone"}', /replicas: expected a whole number from 0 to 1000, found -1/],
    ['a target of 20,000,000', '{"replicas": 20000000, "source": "someone"}', /replicas: expected a whole number from 0 to 1000, found 20000000/],
    ['a target as a string', '{"replicas": "7", "source": "someone"}', /replicas: expected a whole number from 0 to 1000, found \\?"7\\?"/],
    ['no source', '{"replicas": 7}', /source: expected who asks/],
  ];
  for (const [name, input, expected] of updateCases) {
    it(`update: ${name}: rejected at once naming the field, nothing recorded, cluster unchanged`, async () => {
      const rejectedBefore = (await world.clusterStatus()).rejected.length;
      const output = await run(temporalCliPath(), [
        'workflow', 'update', 'execute', '--address', world.config.temporal.address, '--namespace', world.config.temporal.namespace,
        '--workflow-id', world.clusterHandle().workflowId, '--name', 'requestTarget', '--input', input,
      ]).then(
        () => assert.fail('expected the update to be rejected'),
        (err: { stderr?: string; stdout?: string }) => `${err.stderr ?? ''}${err.stdout ?? ''}`,
      );
      assert.match(output, expected);
      assert.equal((await world.clusterStatus()).rejected.length, rejectedBefore);
      assert.equal(clusterState(), initialState);
    });
  }
});
