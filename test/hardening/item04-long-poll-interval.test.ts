// Issue 9 item 4 (F9): every poll interval the config accepts works. With pollInterval above the
// watch slice (30 s), the waits used to call their activity back to back: hundreds of requests a
// second and a history growing by thousands of events a minute.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { scenarios } from '../../src/sandbox/scenario.js';
import { configProblems } from '../helpers/config-problems.js';
import { worldPerTest } from '../helpers/world.js';

describe('issue 9 item 4: a 45 s poll interval', function () {
  const startWorld = worldPerTest();

  it('waits without a busy loop: a handful of requests and history events while nodes start, then a clean cancel', async () => {
    const six = { ...scenarios['even-8']!, zones: scenarios['even-8']!.zones.slice(0, 6), timings: { podStartMs: 60_000 } };
    const world = await startWorld({ scenario: six, cluster: { pollInterval: '45s', stallAfter: '15m' } });
    await world.startWorker();
    await world.submit(8);
    const { workflowId } = await world.runningOperation((s) => s.phase === 'waiting-nodes', 30_000);

    const before = world.sandbox.requests.length;
    await sleep(5_000);
    const requests = world.sandbox.requests.length - before;
    assert.ok(requests <= 10, `${requests} requests in 5 s while waiting (a busy loop makes thousands)`);

    const handle = world.operationHandle(workflowId);
    const events = (await handle.fetchHistory()).events?.length ?? 0;
    assert.ok(events < 60, `${events} history events after the wait began`);

    await handle.cancel();
    const result = await handle.result();
    assert.equal(result.outcome, 'cancelled');
    assert.deepEqual(await world.observer.exclusions(), {});
  });

  it('refuses poll intervals and stall times that cannot work, naming the field', () => {
    const config = (extra: string) => `clusters:\n  p:\n    kubernetes: { namespace: a, statefulSet: b }\n    elasticsearch: { url: "http://es:9200" }\n    minReplicas: 1\n    maxReplicas: 3\n${extra}`;
    const problems = (text: string) => configProblems(text).join('\n');
    assert.match(problems(config('    pollInterval: 10m\n')), /clusters\.p\.pollInterval: expected between 100ms and 5m, found "10m"/);
    assert.match(problems(config('    pollInterval: 10ms\n')), /clusters\.p\.pollInterval: expected between 100ms and 5m/);
    assert.match(problems(config('    stallAfter: 2d\n')), /clusters\.p\.stallAfter: expected a duration/);
    assert.match(problems(config('    stallAfter: 48h\n')), /clusters\.p\.stallAfter: expected between 1s and 24h/);
    assert.match(problems(config('    pollInterval: 1m\n    stallAfter: 90s\n')), /clusters\.p\.stallAfter: expected at least twice pollInterval \(2m\)/);
    assert.equal(problems(config('    pollInterval: 45s\n    stallAfter: 15m\n')), '');
  });
});
