// Issue 9: no credential value ever enters workflow history. A scale-in runs with Elasticsearch
// basic auth from the environment and the Kubernetes bearer token from a file; then the full
// history of every workflow the scenario ran is fetched and searched for both secrets.
import assert from 'node:assert/strict';
import { scenarios } from '../../src/sandbox/scenario.js';
import { historyText } from '../helpers/history-text.js';
import { worldPerTest } from '../helpers/world.js';

const PASSWORD = 'pa55-never-in-history-7f3c';

describe('issue 9: credentials never enter workflow history', function () {
  const startWorld = worldPerTest();
  const saved = { user: process.env.ES_TEST_USER, password: process.env.ES_TEST_PASSWORD };
  before(() => {
    process.env.ES_TEST_USER = 'elastic';
    process.env.ES_TEST_PASSWORD = PASSWORD;
  });
  after(() => {
    process.env.ES_TEST_USER = saved.user;
    process.env.ES_TEST_PASSWORD = saved.password;
    if (saved.user === undefined) delete process.env.ES_TEST_USER;
    if (saved.password === undefined) delete process.env.ES_TEST_PASSWORD;
  });

  it('the histories of the cluster workflow and every operation hold neither the password nor the token', async () => {
    const world = await startWorld({ scenario: scenarios['even-8']! });
    world.config.clusters.production!.elasticsearch.auth = { usernameEnv: 'ES_TEST_USER', passwordEnv: 'ES_TEST_PASSWORD' };
    await world.startWorker();
    // one operation at a time: two targets sent together may merge into one operation under load
    await world.submit(7);
    await world.finishedOperations(1, 60_000);
    await world.submit(6);
    const records = await world.finishedOperations(2, 60_000);
    assert.ok(records.some((r) => r.outcome === 'succeeded'));
    assert.ok(world.sandbox.requests.length > 0);

    const ids = [world.clusterHandle().workflowId, ...records.map((r) => r.workflowId)];
    for (const id of ids) {
      const history = await historyText(world.client.workflow.getHandle(id));
      assert.ok(history.length > 1_000, `${id} has a history`);
      for (const secret of [PASSWORD, world.sandbox.k8sToken]) {
        assert.ok(!history.includes(secret), `${id}'s history contains a credential`);
        assert.ok(!history.includes(Buffer.from(secret).toString('base64')), `${id}'s history contains a credential, base64-encoded`);
      }
    }
  });
});
