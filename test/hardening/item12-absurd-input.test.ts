// Issue 9 item 12: absurd input never reaches the cluster. Replicas are bounded (MAX_REPLICAS);
// URLs need a scheme and carry no credentials; timezones are spelled as Temporal's schedules want
// them; a worker started with a bad config says what is wrong, field by field, without a stack trace.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarios } from '../../src/sandbox/scenario.js';
import { setTargetSignal } from '../../src/workflows/messages.js';
import { configProblems } from '../helpers/config-problems.js';
import { eventually } from '../helpers/eventually.js';
import { WorkerProcess } from '../helpers/worker-process.js';
import { worldPerTest } from '../helpers/world.js';

const cluster = (extra: Record<string, unknown> = {}, es: Record<string, unknown> = {}) => ({
  clusters: { p: { kubernetes: { namespace: 'a', statefulSet: 'b' }, elasticsearch: { url: 'https://es:9200', ...es }, minReplicas: 1, maxReplicas: 10, ...extra } },
});

const problems = (input: unknown): string => configProblems(input).join('\n');

describe('issue 9 item 12: absurd input never reaches the cluster', function () {
  const startWorld = worldPerTest();

  it('config: replicas bounded, URLs with a scheme and without credentials, canonical timezones', () => {
    assert.match(problems(cluster({ maxReplicas: 20_000_000 })), /^clusters\.p\.maxReplicas: .*1000, found 20000000$/m);
    assert.match(problems(cluster({}, { url: 'es-data:9200' })), /^clusters\.p\.elasticsearch\.url: expected an http:\/\/ or https:\/\/ URL/m);
    assert.match(problems(cluster({}, { url: 'https://elastic:s3cret@es:9200' })), /^clusters\.p\.elasticsearch\.url: expected a URL without credentials/m);
    assert.doesNotMatch(problems(cluster({}, { url: 'https://elastic:s3cret@es:9200' })), /s3cret/, 'the secret is not echoed');
    assert.match(
      problems(cluster({ schedules: [{ name: 'night', cron: '0 22 * * *', timezone: 'europe/berlin', replicas: 2 }] })),
      /^clusters\.p\.schedules\[0\]\.timezone: expected an IANA timezone like "Europe\/Berlin", found "europe\/berlin"$/m,
    );
  });

  it('a signalled target of 20,000,000 is rejected and never reaches the StatefulSet', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    await world.submit(8);
    await world.finishedOperations(1);
    await world.clusterHandle().signal(setTargetSignal, { replicas: 20_000_000, source: 'typo' });
    await eventually('the rejection recorded', async () => (await world.clusterStatus()).rejected.length === 1);
    const status = await world.clusterStatus();
    assert.match(status.rejected[0]!.reason, /replicas: expected a whole number from 0 to 1000, found 20000000/);
    assert.equal(status.running, undefined);
    assert.equal(status.history.length, 1);
    assert.equal(await world.observer.replicas(), 8);
  });

  it('a worker with a bad config exits 2 naming the fields, without a stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'es-scaler-bad-config-'));
    try {
      const file = join(dir, 'es-scaler.yaml');
      await writeFile(file, 'clusters:\n  p:\n    kubernetes: { namespace: a, statefulSet: b }\n    elasticsearch: { url: "es:9200" }\n    minReplicas: 1\n    maxReplicas: 5000\n');
      const worker = await WorkerProcess.spawn(file);
      assert.ok(await worker.exited(15_000), 'the worker exits');
      assert.equal(worker.child.exitCode, 2, worker.output);
      assert.match(worker.output, /clusters\.p\.elasticsearch\.url: expected an http:\/\/ or https:\/\/ URL/);
      assert.match(worker.output, /clusters\.p\.maxReplicas: /);
      assert.doesNotMatch(worker.output, /^\s+at /m, 'no stack trace');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
