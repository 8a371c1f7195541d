import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioFile, parseScenario, scenarios } from '../../src/sandbox/index.js';

describe('sandbox: scenarios', function () {
  it('accepts the built-in scenarios', () => {
    for (const [key, scenario] of Object.entries(scenarios)) assert.deepEqual(parseScenario(scenario), scenario, key);
  });

  it('names the offending field in validation errors', () => {
    const base = scenarios['even-8']!;
    assert.throws(() => parseScenario({ ...base, namespace: undefined }), /namespace:/);
    assert.throws(() => parseScenario({ ...base, indices: [{ name: 'a', primaries: 1, replicas: -1 }] }), /indices\.0\.replicas:/);
    assert.throws(() => parseScenario({ ...base, zones: [] }), /zones:/);
    assert.throws(() => parseScenario({ ...base, timings: { relocationMs: 'fast' } }), /timings\.relocationMs:/);
    assert.throws(() => parseScenario({ ...base, zone: ['x'] }), /"zone"/);
    assert.throws(
      () => parseScenario({ ...base, indices: [base.indices[0], base.indices[0]] }),
      /indices\.1\.name: duplicate index name "articles"/,
    );
  });

  it('loads a YAML topology file, and reports the file in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-scenario-'));
    try {
      const good = join(dir, 'topology.yaml');
      await writeFile(
        good,
        [
          'namespace: search',
          'statefulSet: es-data',
          'zones: [eu-central-1a, eu-central-1b]',
          'indices:',
          '  - { name: logs, primaries: 2, replicas: 1 }',
          'awareness: { attributes: [zone] }',
          'timings: { relocationMs: 50 }',
        ].join('\n'),
      );
      const s = await loadScenarioFile(good);
      assert.deepEqual(s.zones, ['eu-central-1a', 'eu-central-1b']);
      assert.equal(s.timings?.relocationMs, 50);

      const bad = join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ namespace: 'search', statefulSet: 'Es_Data', zones: ['a'], indices: [] }));
      await assert.rejects(loadScenarioFile(bad), (err: Error) => err.message.startsWith(bad) && /statefulSet:/.test(err.message));
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
