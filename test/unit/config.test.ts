import assert from 'node:assert/strict';
import { parseConfigText } from '../../src/config/load.js';
import { configProblems } from '../helpers/config-problems.js';
import { cronSpecProblem } from '../../src/config/cron.js';

const VALID = `
clusters:
  production:
    kubernetes: { namespace: search, statefulSet: es-data }
    elasticsearch: { url: "http://127.0.0.1:9200", auth: { apiKeyEnv: ES_API_KEY } }
    minReplicas: 6
    maxReplicas: 12
    pollInterval: 5s
    schedules:
      - { name: night, cron: "0 22 * * *", timezone: Europe/Berlin, replicas: 6 }
      - { name: morning, cron: "30 5 * * MON-FRI", timezone: Europe/Berlin, replicas: 10 }
`;

function problemsOf(text: string): string[] {
  const problems = configProblems(text);
  assert.ok(problems.length > 0, 'expected a ConfigError');
  return problems;
}

describe('config file', () => {
  it('loads a valid file with defaults filled in', () => {
    const config = parseConfigText(VALID);
    const cluster = config.clusters.production!;
    assert.equal(cluster.pollInterval, 5_000);
    assert.equal(cluster.stallAfter, 15 * 60_000);
    assert.equal(cluster.exclusionAttribute, '_name');
    assert.deepEqual(cluster.preflight, {
      zoneEmpties: 'warn',
      awareness: 'refuse',
      health: 'refuse',
      disk: 'refuse',
      shardLimits: 'refuse',
      masterEligible: 'refuse',
      allocationFilters: 'refuse',
      requiredHealth: 'green',
      diskMarginPercent: 5,
    });
    assert.equal(cluster.sweepStaleExclusions, false);
    assert.equal(config.temporal.taskQueue, 'es-scaler');
  });

  it('reads the deprecated awarenessPolicy as preflight.awareness and preflight.zoneEmpties', () => {
    const withAlias = (value: string) => parseConfigText(VALID.replace('minReplicas: 6', `minReplicas: 6\n    awarenessPolicy: ${value}`)).clusters.production!;
    assert.deepEqual([withAlias('refuse').preflight.awareness, withAlias('refuse').preflight.zoneEmpties], ['refuse', 'refuse']);
    assert.deepEqual([withAlias('allow').preflight.awareness, withAlias('allow').preflight.zoneEmpties], ['warn', 'warn']);
    assert.equal('awarenessPolicy' in withAlias('allow'), false, 'only preflight carries the policy on');
  });

  const cases: [string, (text: string) => string, RegExp][] = [
    ['awarenessPolicy beside preflight.awareness', (t) => t.replace('minReplicas: 6', 'minReplicas: 6\n    awarenessPolicy: allow\n    preflight: { awareness: warn }'), /^clusters\.production\.awarenessPolicy: deprecated alias of preflight\.awareness and preflight\.zoneEmpties: set those, not both/],
    ['bad preflight policy', (t) => t.replace('minReplicas: 6', 'minReplicas: 6\n    preflight: { disk: ignore }'), /^clusters\.production\.preflight\.disk: expected one of "refuse"\|"warn"\|"allow", found "ignore"$/],
    ['unknown preflight check', (t) => t.replace('minReplicas: 6', 'minReplicas: 6\n    preflight: { memory: warn }'), /^clusters\.production\.preflight: unknown field "memory"$/],
    ['minReplicas not a number', (t) => t.replace('minReplicas: 6', 'minReplicas: six'), /^clusters\.production\.minReplicas: expected number, found "six"$/],
    ['non-integer maxReplicas', (t) => t.replace('maxReplicas: 12', 'maxReplicas: 7.5'), /^clusters\.production\.maxReplicas: expected int, found 7\.5$/],
    ['min above max', (t) => t.replace('minReplicas: 6', 'minReplicas: 13'), /^clusters\.production\.minReplicas: expected at most maxReplicas \(12\), found 13$/],
    ['schedule target below min', (t) => t.replace('replicas: 6 }', 'replicas: 4 }'), /^clusters\.production\.schedules\[0\]\.replicas: expected between minReplicas \(6\) and maxReplicas \(12\), found 4$/],
    ['bad cron', (t) => t.replace('0 22 * * *', '0 25 * * *'), /^clusters\.production\.schedules\[0\]\.cron: expected a valid hour \(0-23\) in "0 25 \* \* \*", found "25"$/],
    ['unknown timezone', (t) => t.replace('timezone: Europe/Berlin, replicas: 10', 'timezone: Mars/Olympus, replicas: 10'), /^clusters\.production\.schedules\[1\]\.timezone: expected an IANA timezone/],
    ['bad duration', (t) => t.replace('pollInterval: 5s', 'pollInterval: soon'), /^clusters\.production\.pollInterval: expected a duration like/],
    ['unknown field', (t) => t.replace('minReplicas: 6', 'minReplicas: 6\n    minReplica: 6'), /^clusters\.production: unknown field "minReplica"$/],
    ['bad exclusion attribute', (t) => t.replace('minReplicas: 6', 'minReplicas: 6\n    exclusionAttribute: _host'), /^clusters\.production\.exclusionAttribute: expected one of "_name"\|"_ip", found "_host"$/],
    ['bad elasticsearch url', (t) => t.replace('"http://127.0.0.1:9200"', '"not a url"'), /^clusters\.production\.elasticsearch\.url: /],
    ['inline secret instead of a reference', (t) => t.replace('apiKeyEnv: ES_API_KEY', 'apiKey: s3cr3t'), /^clusters\.production\.elasticsearch\.auth: /],
    ['duplicate schedule name', (t) => t.replace('name: morning', 'name: night'), /^clusters\.production\.schedules\[1\]\.name: duplicate schedule name "night"$/],
    ['broken YAML', (t) => t.replace('minReplicas: 6', 'minReplicas: [6'), /^YAML: /],
    // Schedules: each problem names the schedule's field.
    ['schedule target above max', (t) => t.replace('replicas: 10 }', 'replicas: 13 }'), /^clusters\.production\.schedules\[1\]\.replicas: expected between minReplicas \(6\) and maxReplicas \(12\), found 13$/],
    ['schedule target not a number', (t) => t.replace('replicas: 10 }', 'replicas: ten }'), /^clusters\.production\.schedules\[1\]\.replicas: expected number, found "ten"$/],
    ['schedule without cron', (t) => t.replace('cron: "0 22 * * *", ', ''), /^clusters\.production\.schedules\[0\]\.cron: expected string, found nothing$/],
    ['cron with six fields', (t) => t.replace('0 22 * * *', '0 0 22 * * *'), /^clusters\.production\.schedules\[0\]\.cron: expected 5 cron fields .*found 6/],
    ['cron restricting both day fields', (t) => t.replace('0 22 * * *', '0 22 1 * MON'), /^clusters\.production\.schedules\[0\]\.cron: expected "\*" in day of month or day of week/],
    ['timezone abbreviation instead of IANA name', (t) => t.replace('timezone: Europe/Berlin, replicas: 6', 'timezone: CET, replicas: 6'), /^clusters\.production\.schedules\[0\]\.timezone: expected an IANA timezone like "Europe\/Berlin", found "CET"$/],
    ['schedule name with upper case', (t) => t.replace('name: night', 'name: Night'), /^clusters\.production\.schedules\[0\]\.name: expected a Kubernetes name/],
    ['paused in the file', (t) => t.replace('replicas: 6 }', 'replicas: 6, paused: true }'), /^clusters\.production\.schedules\[0\]: unknown field "paused" \(pausing is operational state: use `es-scaler schedules pause`/],
    ['zero stallAfter', (t) => t.replace('pollInterval: 5s', 'pollInterval: 5s\n    stallAfter: 0s'), /^clusters\.production\.stallAfter: expected a duration like .*found "0s"$/],
    ['bad awarenessPolicy', (t) => t.replace('minReplicas: 6', 'minReplicas: 6\n    awarenessPolicy: ignore'), /^clusters\.production\.awarenessPolicy: expected one of "refuse"\|"allow", found "ignore"$/],
    ['sweepStaleExclusions not a boolean', (t) => t.replace('minReplicas: 6', 'minReplicas: 6\n    sweepStaleExclusions: "yes"'), /^clusters\.production\.sweepStaleExclusions: expected boolean, found "yes"$/],
    ['bad StatefulSet name', (t) => t.replace('statefulSet: es-data', 'statefulSet: ES_Data'), /^clusters\.production\.kubernetes\.statefulSet: expected a Kubernetes name/],
    ['missing elasticsearch', (t) => t.replace(/ {4}elasticsearch: .*\n/, ''), /^clusters\.production\.elasticsearch: expected object, found nothing$/],
    ['cluster name not a Kubernetes name', (t) => t.replace('  production:', '  Prod_1:'), /^clusters\.Prod_1: the name "Prod_1" is not allowed: expected a Kubernetes name/],
    ['no clusters', () => 'clusters: {}\n', /^clusters: expected at least one cluster$/],
  ];
  for (const [name, edit, expected] of cases) {
    it(`names the field: ${name}`, () => {
      const problems = problemsOf(edit(VALID));
      assert.ok(problems.some((p) => expected.test(p)), `got:\n${problems.join('\n')}`);
    });
  }

  it('cron syntax', () => {
    assert.equal(cronSpecProblem('*/15 0-6,22-23 * JAN-MAR 1-5'), undefined);
    assert.match(cronSpecProblem('0 22 * *')!, /expected 5 cron fields/);
    assert.match(cronSpecProblem('0 22 * * 8')!, /day of week/);
    assert.match(cronSpecProblem('5-1 22 * * *')!, /minute/);
    assert.equal(cronSpecProblem('0 22 * * 7'), undefined, 'Sunday as 7');
    assert.equal(cronSpecProblem('0 3 1 * *'), undefined, 'day of month alone');
  });

  it('has no paused field: pausing is operational (schedules pause), not configuration', () => {
    const schedule = parseConfigText(VALID).clusters.production!.schedules[0]!;
    assert.deepEqual(Object.keys(schedule).sort(), ['cron', 'name', 'replicas', 'timezone']);
  });
});
