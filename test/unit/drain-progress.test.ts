import assert from 'node:assert/strict';
import { DrainProgress } from '../../src/domain/drain-progress.js';

describe('drain progress', () => {
  it('counts a stall from the last time the shard count went down', () => {
    const progress = new DrainProgress(0);
    assert.equal(progress.observe({ shardsLeft: 10, at: 1_000 }), true);
    assert.equal(progress.observe({ shardsLeft: 10, at: 5_000 }), false);
    assert.equal(progress.isStalled(5_000, 5_000), false);
    assert.equal(progress.isStalled(6_000, 5_000), true);
    assert.equal(progress.observe({ shardsLeft: 9, at: 6_500 }), true);
    assert.equal(progress.isStalled(7_000, 5_000), false);
    assert.equal(progress.remainingBeforeStall(7_000, 5_000), 4_500);
  });

  it('a rising count (shards allocated back) is not progress', () => {
    const progress = new DrainProgress(0);
    progress.observe({ shardsLeft: 3, at: 0 });
    assert.equal(progress.observe({ shardsLeft: 4, at: 100 }), false);
    assert.equal(progress.since, 0);
  });
});
