// Every recorded history replays against the workflow bundle that `npm run build` made: a change
// to the workflow code that is not deterministic for workflows already running fails here.
import assert from 'node:assert/strict';
import { WORKFLOW_BUNDLE_PATH } from '../../src/worker/workflow-bundle.js';
import { loadHistories } from './histories.js';
import { replayFailures } from './replayer.js';
import { RECORDED_SCENARIOS } from './scenarios.js';

describe('replay of the recorded histories', function () {
  it('has the cluster workflow and at least one operation of every recorded scenario', async () => {
    const files = (await loadHistories()).map((h) => h.file);
    for (const { name } of RECORDED_SCENARIOS) {
      assert.ok(files.some((f) => f.endsWith(`/${name}-clusterWorkflow.json`)), `no cluster workflow history of ${name}`);
      assert.ok(files.some((f) => f.includes(`/${name}-scaleOperation`)), `no operation history of ${name}`);
    }
  });

  it('replays every recorded history against the current workflow bundle without non-determinism', async () => {
    const failures = await replayFailures(WORKFLOW_BUNDLE_PATH, await loadHistories());
    assert.deepEqual([...failures].map(([file, error]) => `${file}: ${error.message}`), []);
  });
});
