// Issue 9 item 10 (the workflow part): a target with a bad payload is rejected to the caller at
// once by the requestTarget update's validator, with the field named, and nothing is recorded.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { scenarios } from '../../src/sandbox/scenario.js';
import { temporalCliPath } from '../../src/temporal/dev-server.js';
import { setTargetUpdate } from '../../src/workflows/messages.js';
import type { TargetRequest } from '../../src/workflows/types.js';
import { worldPerTest } from '../helpers/world.js';

const run = promisify(execFile);

describe('issue 9 item 10: a bad target is rejected to the caller at once', function () {
  const startWorld = worldPerTest();

  it('the update validator names the field; the cluster workflow records nothing; a good update answers with the status', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    await world.submit(8); // starts the cluster workflow (a no-op target)
    await world.finishedOperations(1);
    const handle = world.clusterHandle();

    for (const [payload, expected] of [
      [{ replicas: -1, source: 'me' }, /replicas: expected a whole number from 0 to 1000, found -1/],
      [{ replicas: 20_000_000, source: 'me' }, /replicas: expected a whole number from 0 to 1000, found 20000000/],
      [{ replicas: '7', source: 'me' }, /replicas: expected a whole number .* found "7"/],
      [{ replicas: 7 }, /source: expected who asks/],
    ] as [unknown, RegExp][]) {
      await assert.rejects(handle.executeUpdate(setTargetUpdate, { args: [payload as TargetRequest] }), (err: Error) => {
        assert.match(`${err.message} ${(err as { cause?: Error }).cause?.message ?? ''}`, expected);
        return true;
      });
    }
    const status = await world.clusterStatus();
    assert.deepEqual(status.rejected, [], 'a rejected update leaves no trace in the workflow');
    assert.equal(status.desired?.replicas, 8);
    assert.equal(await world.observer.replicas(), 8);

    const accepted = await handle.executeUpdate(setTargetUpdate, { args: [{ replicas: 7, source: 'update-test' }] });
    assert.equal(accepted.desired?.replicas, 7);
  });

  it('`temporal workflow update execute` shows the validator’s message', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorker();
    await world.submit(8);
    await world.finishedOperations(1);
    const result = await run(temporalCliPath(), [
      'workflow', 'update', 'execute', '--address', world.config.temporal.address, '--namespace', world.config.temporal.namespace,
      '--workflow-id', world.clusterHandle().workflowId, '--name', 'requestTarget', '--input', '{"replicas": -3, "source": "me"}',
    ]).then(
      () => assert.fail('expected the update to be rejected'),
      (err: { stderr?: string; stdout?: string }) => `${err.stderr ?? ''}${err.stdout ?? ''}`,
    );
    assert.match(result, /replicas: expected a whole number from 0 to 1000, found -3/);
  });
});
