// The short campaign that runs in `npm test`: a few seeded runs, their table printed. The long
// campaign is `npm run campaign -- --runs N [--seed S]` (README, Reliability).
import assert from 'node:assert/strict';
import { replayCommand, runCampaign, summaryTable } from './campaign.js';

const SEED = Number(process.env.ES_SCALER_CAMPAIGN_SEED ?? 9_000);
const RUNS = Number(process.env.ES_SCALER_CAMPAIGN_RUNS ?? 6);

describe('campaign: seeded random runs against the invariants (issue 9)', function () {
  this.timeout(RUNS * 150_000);

  it(`${RUNS} runs from seed ${SEED}: no zombie, no pod removed with shards, no lost target, every workflow closed`, async () => {
    const summary = await runCampaign({ seed: SEED, runs: RUNS, log: (line) => console.log(`      ${line}`) });
    console.log(summaryTable(summary).replace(/^/gm, '      '));
    const replays = summary.failing.map((r) => `seed ${r.seed}: ${replayCommand(r.seed)}`).join('\n');
    assert.equal(summary.zombies, 0, replays);
    assert.equal(summary.podsRemovedWithShards, 0, replays);
    assert.equal(summary.lostTargets, 0, replays);
    assert.equal(summary.unsettled, 0, replays);
    assert.equal(summary.violations, 0, replays);
  });
});
