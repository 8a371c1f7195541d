// `schedules pause|unpause` and the note (issue 9, item 10): an empty note was accepted, printed
// "paused", and left the schedule running (the server takes an empty note as "no change"); a
// second pause kept the first pause's note. Now: an empty note is refused, nothing changes; the
// note of the latest pause or unpause wins.
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { scheduleWorldPerTest, type ScheduleInput } from '../helpers/schedules.js';

const NIGHT: ScheduleInput = { name: 'night', cron: '0 22 * * *', timezone: 'Europe/Berlin', replicas: 6 };

describe('schedules pause notes', function () {
  const fixture = scheduleWorldPerTest();
  const state = async () => (await fixture.world.client.schedule.getHandle('production/night').describe()).state;
  const cli = async (file: string, ...args: string[]) => runCli([...args, '--config', file]);

  it('refuses an empty note, changing nothing; the latest note wins, also on a paused schedule', async () => {
    const file = await fixture.schedules.writeConfig([NIGHT]);
    assert.equal((await cli(file, 'schedules', 'apply')).code, 0);

    const empty = await cli(file, 'schedules', 'pause', 'production/night', '--note', '');
    assert.equal(empty.code, 2, empty.stdout);
    assert.match(empty.stderr, /^es-scaler: option '--note <text>' argument '' is invalid\. note: empty; say why/);
    assert.equal(empty.stdout, '');
    assert.equal((await state()).paused, false, 'still active');

    const first = await cli(file, 'schedules', 'pause', 'production/night', '--note', 'reindexing until Friday');
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(await state(), { paused: true, note: 'reindexing until Friday', remainingActions: undefined });

    const again = await cli(file, 'schedules', 'pause', 'production/night', '--note', 'reindexing until Monday');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^production\/night: paused \(it already was\); note: reindexing until Monday$/m);
    assert.deepEqual(await state(), { paused: true, note: 'reindexing until Monday', remainingActions: undefined });

    const yaml = await cli(file, 'schedules', 'list', '-o', 'yaml');
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.deepEqual(
      (parse(yaml.stdout) as { scheduleId: string; state: string; note: string }[]).map((e) => [e.scheduleId, e.state, e.note]),
      [['production/night', 'paused', 'reindexing until Monday']],
    );
    const wide = await cli(file, 'schedules', 'list', '-o', 'wide');
    assert.match(wide.stdout, /^SCHEDULE\s+REPLICAS\s+CRON\s+TIMEZONE\s+NEXT RUNS\s+STATE\s+LAST RUN\s+LAST WORKFLOW\s+PENDING$/m);

    const unpause = await cli(file, 'schedules', 'unpause', 'production/night', '--note', '   ');
    assert.equal(unpause.code, 2);
    assert.equal((await state()).paused, true, 'still paused');
  });
});
