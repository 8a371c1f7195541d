// The replay test has teeth: a copy of the workflow code with two activity calls swapped no longer
// replays the recorded operations, and the replayer says it is non-determinism.
import assert from 'node:assert/strict';
import { loadHistories } from './histories.js';
import { isNonDeterminism, replayFailures } from './replayer.js';
import { buildChangedVersion, type ChangedVersion } from './workflow-copy.js';

const READ_REPLICAS = 'const fromReplicas = await calls.readReplicas(input.cluster);';
const LOAD_POLICY = 'const policy = await calls.loadClusterPolicy(input.cluster);';

describe('replay of a non-deterministic change', function () {
  this.timeout(240_000);
  let swapped: ChangedVersion | undefined;
  after(() => swapped?.remove());

  it('reading the replicas before the policy (two activity calls swapped) fails every recorded operation’s replay', async () => {
    swapped = await buildChangedVersion([
      { file: 'scale-operation.js', from: READ_REPLICAS, to: '' },
      { file: 'scale-operation.js', from: LOAD_POLICY, to: `${READ_REPLICAS}\n${LOAD_POLICY}` },
    ]);
    const histories = await loadHistories();
    const failures = await replayFailures(swapped.bundlePath, histories);

    for (const { file } of histories) {
      const error = failures.get(file);
      if (file.includes('-scaleOperation')) assert.ok(isNonDeterminism(error), `${file}: expected non-determinism, got ${error?.stack ?? 'a clean replay'}`);
      else assert.equal(error, undefined, `${file} runs no changed code and should still replay`);
    }
  });
});
