import assert from 'node:assert/strict';
import { parseConfigText } from '../../src/config/load.js';
import {
  CATCHUP_WINDOW_MS,
  desiredSchedules,
  isManagedBy,
  observedSpec,
  scheduleOptions,
  scheduleUpdate,
  type DesiredSchedule,
} from '../../src/schedules/desired.js';
import { reconcile, type ObservedSchedule } from '../../src/schedules/reconcile.js';
import { configDigest } from '../../src/schedules/config-digest.js';
import { renderTable } from '../../src/client/table.js';
import { formatInTimezone } from '../../src/client/format-time.js';

const CONFIG = `
temporal: { taskQueue: es-scaler-prod }
clusters:
  production:
    kubernetes: { namespace: search, statefulSet: es-data }
    elasticsearch: { url: "http://127.0.0.1:9200" }
    minReplicas: 6
    maxReplicas: 12
    schedules:
      - { name: night, cron: "0  22 * * *", timezone: Europe/Berlin, replicas: 6 }
      - { name: morning, cron: "30 5 * * MON-FRI", timezone: Europe/Berlin, replicas: 10 }
  logs:
    kubernetes: { namespace: logging, statefulSet: es-logs }
    elasticsearch: { url: "http://127.0.0.1:9201" }
    minReplicas: 3
    maxReplicas: 5
`;

/** The schedule as the server would describe it after es-scaler created it. */
function asCreated(d: DesiredSchedule): ObservedSchedule {
  const options = scheduleOptions(d);
  const description = {
    spec: { calendars: [{ comment: options.spec.cronExpressions![0]!.split('#')[1] }], intervals: [], skip: [], timezone: options.spec.timezone },
    action: { ...options.action, workflowType: String(options.action.workflowType) },
    policies: { overlap: 'SKIP', catchupWindow: Number(options.policies!.catchupWindow), pauseOnFailure: false },
  } as unknown as Parameters<typeof observedSpec>[0];
  return { scheduleId: d.scheduleId, managed: isManagedBy(d.scheduleId, options.memo, 'es-scaler-prod'), spec: observedSpec(description) };
}

describe('schedules: the config digest', () => {
  it('is the same for the same meaning (formatting, comments, key order), different for any change', () => {
    const config = parseConfigText(CONFIG);
    assert.match(configDigest(config), /^[0-9a-f]{16}$/);
    assert.equal(configDigest(parseConfigText(`# a comment\n${CONFIG.replace('minReplicas: 6\n    maxReplicas: 12', 'maxReplicas: 12\n    minReplicas: 6')}`)), configDigest(config));
    assert.notEqual(configDigest(parseConfigText(CONFIG.replace('maxReplicas: 5', 'maxReplicas: 6'))), configDigest(config));
  });
});

describe('schedules: desired state from the config file', () => {
  const desired = desiredSchedules(parseConfigText(CONFIG));

  it('one schedule per file entry, id <cluster>/<schedule>, starting requestScale with the target', () => {
    assert.deepEqual(desired.map((d) => d.scheduleId), ['production/morning', 'production/night']);
    const night = desired[1]!;
    assert.deepEqual(night.spec, {
      cron: '0 22 * * *',
      timezone: 'Europe/Berlin',
      cluster: 'production',
      replicas: 6,
      source: 'schedule:production/night',
      workflowType: 'requestScale',
      workflowId: 'schedule/production/night',
      taskQueue: 'es-scaler-prod',
      catchupWindowMs: CATCHUP_WINDOW_MS,
      jitterMs: 30_000,
      configDigest: configDigest(parseConfigText(CONFIG)),
    });
    const options = scheduleOptions(night);
    assert.deepEqual(options.action.args, [{ cluster: 'production', replicas: 6, source: 'schedule:production/night' }]);
    assert.deepEqual(options.spec, { cronExpressions: ['0 22 * * * #0 22 * * *'], timezone: 'Europe/Berlin', jitter: 30_000 });
    assert.deepEqual(options.memo, { managedBy: 'es-scaler', taskQueue: 'es-scaler-prod', cluster: 'production', schedule: 'night' });
  });

  it('an update keeps the pause state and note', () => {
    const update = scheduleUpdate(desired[1]!, { paused: true, note: 'maintenance until Friday' });
    assert.deepEqual(update.state, { paused: true, note: 'maintenance until Friday', remainingActions: undefined });
  });

  it('recognises only its own schedules: marker, same task queue, id matching the marker', () => {
    const marker = { managedBy: 'es-scaler', taskQueue: 'q', cluster: 'production', schedule: 'night' };
    assert.equal(isManagedBy('production/night', marker, 'q'), true);
    assert.equal(isManagedBy('production/night', marker, 'other-queue'), false, 'another deployment');
    assert.equal(isManagedBy('production/morning', marker, 'q'), false, 'id does not match the marker');
    assert.equal(isManagedBy('production/night', { owner: 'team-x' }, 'q'), false, 'no marker');
    assert.equal(isManagedBy('production/night', undefined, 'q'), false);
  });
});

describe('schedules: reconcile', () => {
  const desired = desiredSchedules(parseConfigText(CONFIG));

  it('creates what is missing', () => {
    const changes = reconcile(desired, []);
    assert.deepEqual(changes.map((c) => [c.action, c.scheduleId]), [['create', 'production/morning'], ['create', 'production/night']]);
    assert.deepEqual(changes[1]!.changes, ['6 replicas at "0 22 * * *" Europe/Berlin']);
  });

  it('what it created reads back as unchanged: applying twice is a no-op', () => {
    assert.deepEqual(reconcile(desired, desired.map(asCreated)), []);
  });

  it('updates the schedules whose fields changed, naming the fields; each carries the new file’s digest', () => {
    const editedConfig = parseConfigText(CONFIG.replace('0  22 * * *', '0 23 * * *').replace('replicas: 10', 'replicas: 11'));
    const digests = `configDigest: "${configDigest(parseConfigText(CONFIG))}" → "${configDigest(editedConfig)}"`;
    const changes = reconcile(desiredSchedules(editedConfig), desired.map(asCreated));
    assert.deepEqual(changes.map((c) => [c.action, c.scheduleId, c.changes]), [
      ['update', 'production/morning', ['replicas: 10 → 11', digests]],
      ['update', 'production/night', ['cron: "0 22 * * *" → "0 23 * * *"', digests]],
    ]);
  });

  it('a spec edited outside es-scaler is put back', () => {
    const observed = desired.map(asCreated);
    observed[0] = { ...observed[0]!, spec: { ...observed[0]!.spec, cron: '(edited outside es-scaler)', timezone: 'UTC' } };
    const [change] = reconcile(desired, observed);
    assert.equal(change!.action, 'update');
    assert.deepEqual(change!.changes, ['cron: "(edited outside es-scaler)" → "30 5 * * MON-FRI"', 'timezone: "UTC" → "Europe/Berlin"']);
  });

  it('deletes its own schedules the file no longer lists, never anyone else’s', () => {
    const observed = [
      ...desired.map(asCreated),
      { ...asCreated(desired[0]!), scheduleId: 'logs/weekend' },
      { scheduleId: 'production/backup', managed: false, owner: 'something other than es-scaler', spec: {} },
    ];
    const changes = reconcile(desired, observed);
    assert.deepEqual(changes.map((c) => [c.action, c.scheduleId]), [['delete', 'logs/weekend']]);
  });

  it('an id held by a schedule it does not manage is a conflict, not an update', () => {
    const observed = [{ scheduleId: 'production/night', managed: false, owner: 'something other than es-scaler', spec: {} }];
    const changes = reconcile(desired, observed);
    assert.deepEqual(changes.map((c) => [c.action, c.scheduleId]), [['create', 'production/morning'], ['conflict', 'production/night']]);
    assert.match(changes[1]!.changes[0]!, /something other than es-scaler/);
  });
});

describe('CLI text helpers', () => {
  it('tables pad columns and continue multi-line cells', () => {
    const text = renderTable(['ACTION', 'SCHEDULE', 'CHANGES'], [
      ['update', 'production/night', ['cron: a → b', 'replicas: 6 → 5']],
      ['delete', 'logs/x', 'gone'],
    ]);
    assert.equal(
      text,
      [
        'ACTION  SCHEDULE          CHANGES',
        'update  production/night  cron: a → b',
        '                          replicas: 6 → 5',
        'delete  logs/x            gone',
      ].join('\n'),
    );
  });

  it('times show in the schedule’s timezone with its offset', () => {
    const at = new Date('2026-07-01T20:00:00Z');
    assert.equal(formatInTimezone(at, 'Europe/Berlin'), 'Wed 2026-07-01 22:00 GMT+02:00');
    assert.equal(formatInTimezone(at, 'Asia/Kolkata'), 'Thu 2026-07-02 01:30 GMT+05:30');
    assert.equal(formatInTimezone(at, 'UTC'), 'Wed 2026-07-01 20:00 GMT+00:00');
  });
});
