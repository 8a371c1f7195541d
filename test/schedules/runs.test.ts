// Schedules that run: a triggered schedule scales the sandbox cluster through the cluster workflow;
// a night and a morning schedule seconds apart never drain concurrently and end at the morning
// target; `schedules list` shows next runs in each schedule's own timezone and the last run.
import assert from 'node:assert/strict';
import type { TypedSearchAttributes } from '@temporalio/common';
import { applySchedules } from '../../src/schedules/apply.js';
import { formatInTimezone } from '../../src/client/format-time.js';
import { scenarios } from '../../src/sandbox/scenario.js';
import { operationStatusQuery } from '../../src/workflows/messages.js';
import { EsClusterKey } from '../../src/workflows/search-attributes.js';
import { runCli } from '../helpers/cli.js';
import { assertAllShardsAssigned } from '../helpers/cluster-assertions.js';
import { eventually } from '../helpers/eventually.js';
import { ScheduleFixture, type ScheduleInput } from '../helpers/schedules.js';
import { World } from '../helpers/world.js';

describe('schedules that run', function () {
  let world: World | undefined;
  let schedules: ScheduleFixture | undefined;

  afterEach(async () => {
    await schedules?.cleanup();
    await world?.close();
    schedules = undefined;
    world = undefined;
  });

  async function applied(list: ScheduleInput[], options: { worker: boolean }) {
    world = await World.start({ scenario: scenarios['even-8']! });
    if (options.worker) await world.startWorker();
    schedules = new ScheduleFixture(world);
    const result = await applySchedules(world.client, schedules.config(list), { dryRun: false });
    assert.equal(result.changes.filter((c) => c.action === 'create').length, list.length);
    return { world, schedules };
  }

  it('a schedule triggered now starts an operation that reaches its target; list shows the run', async () => {
    const { world, schedules } = await applied([{ name: 'night', cron: '0 22 * * *', timezone: 'UTC', replicas: 7 }], { worker: true });
    await world.client.schedule.getHandle('production/night').trigger();

    const [record] = await world.finishedOperations(1);
    assert.equal(record!.outcome, 'succeeded', record!.detail);
    assert.equal(record!.source, 'schedule:production/night');
    assert.equal(record!.target, 7);
    assert.equal(world.sandbox.replicas(), 7);
    assert.deepEqual(world.sandbox.exclusions(), {});

    const run = (await world.client.schedule.getHandle('production/night').describe()).info.recentActions.at(-1)!.action.workflow;
    assert.match(run.workflowId, /^schedule\/production\/night-/);
    const requestScale = await world.client.workflow.getHandle(run.workflowId).describe();
    assert.equal(requestScale.type, 'requestScale');
    assert.equal((requestScale.typedSearchAttributes as TypedSearchAttributes).get(EsClusterKey), 'production');

    const list = await runCli(['schedules', 'list', '--config', await schedules.writeConfig([{ name: 'night', cron: '0 22 * * *', timezone: 'UTC', replicas: 7 }])]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^production\/night\s+7\s+0 22 \* \* \*\s+UTC\s+.*22:00 GMT\+00:00\s+active\s+\w{3} \d{4}-\d\d-\d\d \d\d:\d\d GMT\+00:00 completed$/m);
  });

  it('night (→ 6) and morning (→ 8) seconds apart: no concurrent drains, morning target, no leftover exclusion', async () => {
    const { world } = await applied(
      [
        { name: 'night', cron: '0 22 * * *', timezone: 'Europe/Berlin', replicas: 6 },
        { name: 'morning', cron: '0 6 * * *', timezone: 'Europe/Berlin', replicas: 8 },
      ],
      { worker: true },
    );
    let mostExcluded = 0;
    const sampler = setInterval(() => {
      const entries = Object.values(world.sandbox.exclusions()).flatMap((list) => list.split(',').filter(Boolean));
      mostExcluded = Math.max(mostExcluded, entries.length);
    }, 5);
    try {
      // The morning comes while the night is under way: es-data-7 already gone, es-data-6 next.
      await world.client.schedule.getHandle('production/night').trigger();
      await eventually('the night to remove es-data-7', () => world.sandbox.replicas() === 7, 30_000, 5);
      await world.client.schedule.getHandle('production/morning').trigger();

      const [night, morning] = await world.finishedOperations(2, 60_000);
      assert.equal(night!.source, 'schedule:production/night');
      assert.ok(['superseded', 'succeeded'].includes(night!.outcome), `${night!.outcome}: ${night!.detail}`);
      assert.equal(morning!.source, 'schedule:production/morning');
      assert.equal(morning!.outcome, 'succeeded', morning!.detail);
      const morningStatus = await world.operationHandle(morning!.workflowId).query(operationStatusQuery);
      assert.ok(morningStatus.addedPods.includes('es-data-7'), `the morning grew the cluster back: ${JSON.stringify(morningStatus.addedPods)}`);

      const [nightRun, morningRun] = await Promise.all([night, morning].map((r) => world.operationHandle(r!.workflowId).describe()));
      assert.ok(nightRun!.closeTime! <= morningRun!.startTime, 'the night operation ended before the morning one started');
    } finally {
      clearInterval(sampler);
    }
    assert.ok(mostExcluded <= 1, `at most one node excluded at any time, saw ${mostExcluded}`);
    assert.equal(world.sandbox.replicas(), 8);
    assert.deepEqual(world.sandbox.exclusions(), {});
    await assertAllShardsAssigned(world.sandbox);
  });

  it('list shows the next runs in each schedule’s own timezone, pauses with their note, and pending file changes', async () => {
    const night: ScheduleInput = { name: 'night', cron: '30 1 * * *', timezone: 'Asia/Kolkata', replicas: 6 };
    const morning: ScheduleInput = { name: 'morning', cron: '0 7 * * MON-FRI', timezone: 'America/New_York', replicas: 8 };
    const { world, schedules } = await applied([night, morning], { worker: false });
    await world.client.schedule.getHandle('production/morning').pause('holiday week');

    const list = await runCli(['schedules', 'list', '--config', await schedules.writeConfig([{ ...night, replicas: 7 }, morning])]);
    assert.equal(list.code, 0, list.stderr);
    const out = list.stdout;
    assert.match(out, /^SCHEDULE\s+REPLICAS\s+CRON\s+TIMEZONE\s+NEXT RUNS\s+STATE\s+LAST RUN$/m);
    assert.match(out, /^production\/night\s+6\s+30 1 \* \* \*\s+Asia\/Kolkata\s+\w{3} \d{4}-\d\d-\d\d 01:30 GMT\+05:30\s+active\s+never$/m);
    assert.match(out, /^production\/morning\s+8\s+0 7 \* \* MON-FRI\s+America\/New_York\s+(Mon|Tue|Wed|Thu|Fri) \d{4}-\d\d-\d\d 07:00 GMT-0[45]:00\s+paused\s+never$/m);
    assert.match(out, /GMT-0[45]:00\s+note: holiday week$/m);
    for (const [id, timezone] of [['production/night', 'Asia/Kolkata'], ['production/morning', 'America/New_York']] as const) {
      const next = (await world.client.schedule.getHandle(id).describe()).info.nextActionTimes.slice(0, 3);
      for (const at of next) assert.ok(out.includes(formatInTimezone(at, timezone)), `${id}: ${formatInTimezone(at, timezone)} in\n${out}`);
    }
    assert.match(out, /the config file differs \(run `es-scaler schedules apply`\):\n(.*\n)? {2}production\/night: update: replicas: 6 → 7; configDigest: /);
  });
});
