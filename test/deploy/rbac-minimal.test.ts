// The worker's Role grants exactly the Kubernetes calls its activities make: recorded by the
// sandbox while a real worker scales the cluster in (8 → 6, through a drain) and out (6 → 8), and
// records a Kubernetes Event with its recordEvent activity.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ClusterConnections } from '../../src/activities/connections.js';
import { createEventActivities } from '../../src/activities/events.js';
import { grantedRbacRules, missingRules, requiredRbacRules, ruleKey, unusedRules, type RoleLike } from '../../src/deploy-check/rbac.js';
import { loadYamlDocuments } from '../../src/deploy-check/manifests.js';
import { scenarios } from '../../src/sandbox/scenario.js';
import { packageRoot } from '../../src/util/paths.js';
import { World } from '../helpers/world.js';

describe('RBAC: the Role is sufficient and minimal for what the worker does', function () {
  let world: World | undefined;
  after(async () => world?.close());

  it('grants every recorded Kubernetes call, and nothing else', async () => {
    world = await World.start({ scenario: scenarios['even-8']! });
    await world.startWorker();
    await world.submit(6);
    const [scaleIn] = await world.finishedOperations(1);
    assert.equal(scaleIn!.outcome, 'succeeded', scaleIn!.detail);
    await world.submit(8);
    const [, scaleOut] = await world.finishedOperations(2);
    assert.equal(scaleOut!.outcome, 'succeeded', scaleOut!.detail);
    // The same activity the workflows call for their Events, run here directly so the grant is
    // exercised whichever moments the workflows report.
    const connections = new ClusterConnections(world.config);
    const { recordEvent } = createEventActivities(connections);
    const event = await new MockActivityEnvironment().run(recordEvent, world.cluster, { reason: 'CleanupDone' as const, message: 'rbac check' });
    await connections.close();
    assert.deepEqual(event, { recorded: true, name: (event as { name?: string }).name });

    const required = requiredRbacRules(world.sandbox.requests.filter((r) => r.api === 'k8s'));
    const base = join(packageRoot, 'deploy', 'kubernetes', 'base');
    const [role] = await loadYamlDocuments(join(base, 'role.yaml'));
    const granted = grantedRbacRules(role?.object as RoleLike, undefined);
    assert.deepEqual(required.map(ruleKey).sort(), [
      'apps/statefulsets/scale:get (namespaced)',
      'apps/statefulsets/scale:update (namespaced)',
      'core/pods:get (namespaced)',
      'events.k8s.io/events:create (namespaced)',
    ]);
    assert.deepEqual(missingRules(required, granted).map(ruleKey), [], 'calls the worker makes that the Role does not grant');
    assert.deepEqual(unusedRules(required, granted).map(ruleKey), [], 'grants the worker never uses');
  });
});
