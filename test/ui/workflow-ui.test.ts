// Issue 11: what the Temporal UI shows during the incident night, read through the client API as
// the UI reads it: the operation's current details (node, zone, shards left, stall reason, the
// deadline), its static summary, a summary on every activity, heartbeat details, and the
// ScaleOutcome search attribute once the morning target has superseded it.
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { scenarios } from '../../src/sandbox/scenario.js';
import { ScaleDirectionKey, ScaleOutcomeKey } from '../../src/workflows/search-attributes.js';
import { eventually } from '../helpers/eventually.js';
import { worldPerTest } from '../helpers/world.js';

async function currentDetails(handle: WorkflowHandle): Promise<string> {
  return (await handle.query(workflowMetadataQuery)).currentDetails ?? '';
}

/** The summaries of the activities a workflow scheduled, as the UI shows them on the bars. */
async function activitySummaries(handle: WorkflowHandle): Promise<string[]> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).flatMap((e) => {
    const data = e.activityTaskScheduledEventAttributes ? e.userMetadata?.summary?.data : undefined;
    return data ? [JSON.parse(Buffer.from(data).toString('utf8')) as string] : [];
  });
}

describe('issue 11: what the Temporal UI shows during the incident night', function () {
  const startWorld = worldPerTest();

  it('details, summaries, heartbeats and search attributes name the node, shards left, the reason and the deadline', async () => {
    const world = await startWorld({ scenario: scenarios.incident!, cluster: { awarenessPolicy: 'allow', stallAfter: '10m', minReplicas: 3 } });
    await world.startWorker();
    await world.submit(6, 'schedule:production/night');
    const { workflowId, status } = await world.runningOperation((s) => s.stall !== undefined, 60_000);
    const operation = world.operationHandle(workflowId);

    const details = await currentDetails(operation);
    assert.match(details, /draining es-data-6 \(zone eu-central-1a\): waiting for \d+ shard copies to move \(0 moving\), nothing moving, stalled since \d\d:\d\d:\d\d UTC — fails at \d\d:\d\d:\d\d UTC \(stallAfter 10m\) unless a newer target arrives/);
    assert.match(details, /Elasticsearch says:\n\n- `\[awareness\] there are \[3\] copies of this shard/, "the reasons, one per line, as code so the UI shows them as written");
    assert.ok(status.shardsLeft! > 0);
    assert.ok(status.stall!.reasons[0]!.startsWith('[awareness]'), 'decider reasons first, no boilerplate sentence before them');

    const description = await operation.describe();
    assert.match((await description.staticSummary()) ?? '', /production: scale to 6 replicas \(schedule:production\/night\)/);
    assert.equal(description.typedSearchAttributes.get(ScaleDirectionKey), 'in');

    const summaries = await activitySummaries(operation);
    for (const expected of ['pre-flight es-data-6', 'exclude _name:es-data-6', 'drain es-data-6', 'ask Elasticsearch why es-data-6 does not drain']) {
      assert.ok(summaries.includes(expected), `activity summary "${expected}" in ${JSON.stringify(summaries)}`);
    }
    // The watch is called again after every report; a fresh call has not heartbeated yet, so look until one has.
    const heartbeat = await eventually('a heartbeat of the pending drain watch', async () => {
      const pending = (await operation.describe()).raw.pendingActivities?.find((a) => a.activityType?.name === 'watchDrain');
      return pending?.heartbeatDetails?.payloads?.[0]?.data ?? undefined;
    });
    assert.match(Buffer.from(heartbeat).toString('utf8'), /"node":"es-data-6".*"shardsLeft":\d+/);

    assert.match(await currentDetails(world.clusterHandle()), /desired: 6 replicas \(schedule:production\/night\)[\s\S]*running: .*op-1-\w+ → 6/);

    await world.submit(8, 'schedule:production/morning');
    await eventually('the night operation superseded', async () => (await operation.describe()).status.name === 'COMPLETED');
    assert.equal((await operation.describe()).typedSearchAttributes.get(ScaleOutcomeKey), 'superseded');
    const list = world.client.workflow.list({ query: `ScaleOutcome = 'superseded' AND WorkflowId = '${workflowId}'` });
    await eventually('the list query finds it', async () => {
      for await (const found of list) if (found.workflowId === workflowId) return true;
      return false;
    });
  });
});
