// An upgrade mid-drain: an operation started by this build (version N) is held in its drain, the
// worker is stopped as a rolling update stops it, and version N+1 (made at test time from this
// build, with one more activity call before the shrink, guarded by patched()) finishes it. The
// same change without patched() cannot replay what N recorded: that is why every change is patched.
import assert from 'node:assert/strict';
import { scenarios } from '../../src/sandbox/scenario.js';
import { operationStatusQuery } from '../../src/workflows/messages.js';
import { holdDrainAt, resumeInNewWorker, worldPerTest } from '../helpers/world.js';
import { loadHistories } from './histories.js';
import { isNonDeterminism, replayFailures } from './replayer.js';
import { buildChangedVersion, type ChangedVersion, type CodeEdit } from './workflow-copy.js';

const PATCH_ID = 'read-replicas-before-shrink';
const NOTE = 'replicas right before the shrink: ';

/** N+1's change to scale-in: read the StatefulSet once more before each shrink and note it. */
function nextVersionEdits(withPatch: boolean): CodeEdit[] {
  const readAndNote = `op.note('${NOTE}' + (await calls.readReplicas(policy.cluster)));`;
  // scale-in.js imports patched() already (the voting exclusion step is behind one).
  return [
    {
      file: 'scale-in.js',
      from: "op.enter('shrinking', pod);",
      to: `${withPatch ? `if (patched('${PATCH_ID}')) ` : ''}${readAndNote}\nop.enter('shrinking', pod);`,
    },
  ];
}

/** Whether a core_patch marker is the one of `patchId` (its details' payloads name the patch). */
function markerNames(marker: { details?: unknown }, patchId: string): boolean {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) texts.push(Buffer.from(value).toString('utf8'));
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(marker.details);
  return texts.some((text) => text.includes(patchId));
}

describe('upgrade mid-drain', function () {
  this.timeout(300_000);
  const startWorld = worldPerTest();
  let patchedNext: ChangedVersion | undefined;
  let unpatchedNext: ChangedVersion | undefined;

  before(async () => {
    patchedNext = await buildChangedVersion(nextVersionEdits(true));
    unpatchedNext = await buildChangedVersion(nextVersionEdits(false));
  });
  after(async () => {
    await patchedNext?.remove();
    await unpatchedNext?.remove();
  });

  it('version N+1 with the change behind patched() finishes a drain that version N started', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    await world.startWorkerProcess();
    const draining = await holdDrainAt(world, 7);
    assert.deepEqual(world.sandbox.exclusions(), { _name: 'es-data-7' });

    await world.stopWorkerProcess();
    await resumeInNewWorker(world, 7, patchedNext!.workerMain);

    const status = await world.operationHandle(draining.workflowId).query(operationStatusQuery);
    assert.ok(status.events.some((e) => e.message === `${NOTE}8`), 'N+1’s new step ran in the operation N started');
    const history = await world.operationHandle(draining.workflowId).fetchHistory();
    const markers = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch' && markerNames(e.markerRecordedEventAttributes, PATCH_ID));
    assert.equal(markers.length, 1, 'N+1 recorded its patch marker once');
  });

  it('N+1 with patched() replays every history version N recorded; without patched() it breaks those that shrank', async () => {
    const histories = await loadHistories();
    assert.deepEqual([...(await replayFailures(patchedNext!.bundlePath, histories))].map(([file, e]) => `${file}: ${e.message}`), []);

    const failures = await replayFailures(unpatchedNext!.bundlePath, histories);
    for (const scenario of ['scale-in', 'worker-crash']) {
      const file = histories.find((h) => h.file.includes(`/${scenario}-scaleOperation`))!.file;
      assert.ok(isNonDeterminism(failures.get(file)), `${file}: expected non-determinism, got ${failures.get(file)?.message ?? 'a clean replay'}`);
    }
  });
});
