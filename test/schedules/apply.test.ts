// `es-scaler schedules apply` reconciles the config file into Temporal Schedules on the real dev
// server: create, no-op, update one, delete one; pauses survive; foreign schedules are never touched.
import assert from 'node:assert/strict';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import { EsClusterKey } from '../../src/workflows/search-attributes.js';
import { runCli } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { scheduleWorldPerTest, type ScheduleInput } from '../helpers/schedules.js';

const NIGHT: ScheduleInput = { name: 'night', cron: '0 22 * * *', timezone: 'Europe/Berlin', replicas: 6 };
const MORNING: ScheduleInput = { name: 'morning', cron: '30 5 * * MON-FRI', timezone: 'Europe/Berlin', replicas: 8 };

describe('schedules apply', function () {
  const fixture = scheduleWorldPerTest();

  const apply = async (file: string, ...flags: string[]) => {
    const result = await runCli(['schedules', 'apply', ...flags, '--config', file]);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  };
  const describe = (id: string) => fixture.world.client.schedule.getHandle(id).describe();

  it('creates, then is a no-op, updates the edited schedule (the others only get the new file’s digest), deletes the removed one, keeps pauses, never touches others', async () => {
    await fixture.schedules.createForeign({ scheduleId: 'production/backup', spec: { cronExpressions: ['0 1 * * *'] }, memo: { owner: 'team-backup' } });
    await fixture.schedules.createForeign({
      scheduleId: 'production/other-deployment',
      spec: { cronExpressions: ['0 2 * * *'] },
      memo: { managedBy: 'es-scaler', taskQueue: 'another-es-scaler', cluster: 'production', schedule: 'other-deployment' },
    });
    const foreignBefore = await Promise.all(['production/backup', 'production/other-deployment'].map(describe));

    // 1. create
    let out = await apply(await fixture.schedules.writeConfig([NIGHT, MORNING]));
    assert.match(out, /^ACTION\s+SCHEDULE\s+CHANGES$/m);
    assert.match(out, /^created\s+production\/morning\s+8 replicas at "30 5 \* \* MON-FRI" Europe\/Berlin$/m);
    assert.match(out, /^created\s+production\/night\s+6 replicas at "0 22 \* \* \*" Europe\/Berlin$/m);
    const night = await describe('production/night');
    assert.equal(night.action.workflowType, 'requestScale');
    assert.equal(night.action.taskQueue, fixture.world.config.temporal.taskQueue);
    assert.equal(night.action.workflowId, 'schedule/production/night');
    assert.deepEqual(night.action.args, [{ cluster: 'production', replicas: 6, source: 'schedule:production/night' }]);
    assert.equal((night.action.typedSearchAttributes as TypedSearchAttributes).get(EsClusterKey), 'production');
    assert.equal(night.typedSearchAttributes.get(EsClusterKey), 'production');
    assert.deepEqual(night.memo, { managedBy: 'es-scaler', taskQueue: fixture.world.config.temporal.taskQueue, cluster: 'production', schedule: 'night' });
    assert.equal(night.spec.timezone, 'Europe/Berlin');
    assert.equal(night.spec.calendars?.[0]?.hour[0]?.start, 22);
    assert.equal(night.state.paused, false);

    // 2. the same file again: nothing to do
    out = await apply(await fixture.schedules.writeConfig([NIGHT, MORNING]));
    assert.equal(out.trim(), 'no changes (2 schedules up to date)');

    // 3. an operator pauses the night; the file's night cron changes; dry run first
    const pause = await runCli(['schedules', 'pause', 'production/night', '--note', 'reindexing until Friday', '--config', await fixture.schedules.writeConfig([NIGHT, MORNING])]);
    assert.equal(pause.code, 0, pause.stderr);
    assert.match(pause.stdout, /^production\/night: paused; note: reindexing until Friday$/m);
    const morningSpec = (await describe('production/morning')).spec;
    const edited = await fixture.schedules.writeConfig([{ ...NIGHT, cron: '0 23 * * *' }, MORNING]);
    out = await apply(edited, '--dry-run');
    assert.match(out, /^would update\s+production\/night\s+cron: "0 22 \* \* \*" → "0 23 \* \* \*"$/m);
    assert.match(out, /dry run: nothing changed/);
    assert.equal((await describe('production/night')).spec.calendars?.[0]?.hour[0]?.start, 22);

    out = await apply(edited);
    assert.match(out, /^updated\s+production\/night\s+cron: "0 22 \* \* \*" → "0 23 \* \* \*"$/m);
    assert.match(out, /^updated\s+production\/morning\s+configDigest: "[0-9a-f]{16}" → "[0-9a-f]{16}"$/m, 'every schedule carries the digest of the file it came from');
    const updated = await describe('production/night');
    assert.equal(updated.spec.calendars?.[0]?.hour[0]?.start, 23);
    assert.deepEqual(updated.state, { paused: true, note: 'reindexing until Friday', remainingActions: undefined }, 'apply keeps the pause');
    assert.deepEqual((await describe('production/morning')).spec, morningSpec, 'the morning’s spec untouched');
    assert.equal((await apply(edited)).trim(), 'no changes (2 schedules up to date)');

    // 4. the morning leaves the file (deletion finds it through the server's schedule list)
    await eventually('the schedule list to show the morning', async () => {
      for await (const s of fixture.world.client.schedule.list()) if (s.scheduleId === 'production/morning') return true;
      return false;
    }, 10_000, 200);
    out = await apply(await fixture.schedules.writeConfig([{ ...NIGHT, cron: '0 23 * * *' }]));
    assert.match(out, /^deleted\s+production\/morning\s+no longer in the config file$/m);
    await assert.rejects(describe('production/morning'), ScheduleNotFoundError);
    await describe('production/night');

    // 5. an empty schedule list deletes the rest; others' schedules stay exactly as they were
    await eventually('the schedule list to show the night', async () => {
      for await (const s of fixture.world.client.schedule.list()) if (s.scheduleId === 'production/night') return true;
      return false;
    }, 10_000, 200);
    out = await apply(await fixture.schedules.writeConfig([]));
    assert.match(out, /^deleted\s+production\/night/m);
    const foreignAfter = await Promise.all(['production/backup', 'production/other-deployment'].map(describe));
    assert.deepEqual(foreignAfter.map((d) => [d.scheduleId, d.info.lastUpdatedAt, d.state.paused]), foreignBefore.map((d) => [d.scheduleId, d.info.lastUpdatedAt, d.state.paused]));
  });

  it('refuses, changing nothing, when a file entry’s id is held by a schedule it does not manage', async () => {
    await fixture.schedules.createForeign({ scheduleId: 'production/night', spec: { cronExpressions: ['0 1 * * *'] }, memo: { owner: 'team-backup' } });
    const result = await runCli(['schedules', 'apply', '--config', await fixture.schedules.writeConfig([NIGHT, MORNING])]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^CONFLICT\s+production\/night\s+the id is taken by a schedule of something other than es-scaler; not touching it$/m);
    assert.match(result.stdout, /^would create\s+production\/morning/m);
    assert.equal(result.stderr.trim(), 'es-scaler: production/night: id taken by a schedule es-scaler does not manage; nothing was applied');
    await assert.rejects(describe('production/morning'), ScheduleNotFoundError);
    assert.equal((await describe('production/night')).action.workflowType, 'someoneElsesWorkflow');
  });

  it('pause and unpause a whole cluster; unknown names are bad input', async () => {
    const file = await fixture.schedules.writeConfig([NIGHT, MORNING]);
    await apply(file);
    const pause = await runCli(['schedules', 'pause', 'production', '--config', file]);
    assert.equal(pause.code, 0, pause.stderr);
    assert.match(pause.stdout, /^production\/morning: paused; note: paused by .+ with es-scaler$/m);
    assert.deepEqual(await Promise.all(['production/morning', 'production/night'].map(async (id) => (await describe(id)).state.paused)), [true, true]);

    const unpause = await runCli(['schedules', 'unpause', 'production/night', '--note', 'reindex done', '--config', file]);
    assert.equal(unpause.code, 0, unpause.stderr);
    assert.deepEqual((await describe('production/night')).state, { paused: false, note: 'reindex done', remainingActions: undefined });
    assert.equal((await describe('production/morning')).state.paused, true);

    const unknown = await runCli(['schedules', 'pause', 'production/weekend', '--config', file]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr.trim(), 'es-scaler: schedule: unknown schedule "weekend" of cluster "production" (configured: night, morning)');
    const unknownCluster = await runCli(['schedules', 'pause', 'staging', '--config', file]);
    assert.equal(unknownCluster.code, 2);
    assert.match(unknownCluster.stderr, /^es-scaler: cluster: unknown cluster "staging"/);
  });
});
