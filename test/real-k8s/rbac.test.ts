// The Role in deploy/kubernetes/base against the real API server: it grants exactly the (verb,
// resource, subresource) set the worker's requests used, as the kube-apiserver's audit log recorded
// them; and without any single one of its grants, a scale-in fails with the 403 named, nothing left
// excluded.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPORTING_CONTROLLER } from '../../src/activities/events.js';
import { loadYamlDocuments } from '../../src/deploy-check/manifests.js';
import { grantedRbacRules, missingRules, ruleKey, unusedRules, type PolicyRuleLike, type RoleLike } from '../../src/deploy-check/rbac.js';
import { scenarios } from '../../src/sandbox/scenario.js';
import { eventually } from '../helpers/eventually.js';
import { auditEventsOf, rulesUsed, serviceAccountUser } from '../helpers/kube/audit.js';
import { DEPLOY_BASE, WORKER_SERVICE_ACCOUNT } from '../helpers/kube/deploy.js';
import { controlPlaneForSuite } from '../helpers/kube/suite.js';
import { kubeWorldPerTest } from '../helpers/kube/world.js';

const EVEN_8 = scenarios['even-8']!;
const role = (await loadYamlDocuments(join(DEPLOY_BASE, 'role.yaml')))[0]!.object as unknown as RoleLike & { rules: PolicyRuleLike[] };

/** The Role's rules with one verb of one rule taken away (the rule dropped when it has no verb left). */
function withoutGrant(ruleIndex: number, verb: string): PolicyRuleLike[] {
  return role.rules
    .map((rule, i) => (i === ruleIndex ? { ...rule, verbs: rule.verbs!.filter((v) => v !== verb) } : rule))
    .filter((rule) => rule.verbs!.length > 0);
}

describe('real Kubernetes: RBAC of deploy/kubernetes/base, from the audit log', function () {
  this.timeout(240_000);
  const controlPlane = controlPlaneForSuite();
  const startWorld = kubeWorldPerTest(controlPlane);

  it('the Role grants exactly what the worker used while scaling 8 → 6 → 8', async () => {
    const world = await startWorld({ scenario: EVEN_8 });
    await world.startWorkerProcess();
    await world.submit(6);
    const [scaleIn] = await world.finishedOperations(1, 120_000);
    assert.equal(scaleIn!.outcome, 'succeeded', scaleIn!.detail);
    await world.submit(8);
    const [, scaleOut] = await world.finishedOperations(2, 120_000);
    assert.equal(scaleOut!.outcome, 'succeeded', scaleOut!.detail);

    const events = auditEventsOf(world.controlPlane.auditLog, serviceAccountUser(world.namespace, WORKER_SERVICE_ACCOUNT));
    assert.ok(events.length > 0, 'the audit log has the worker’s requests');
    assert.deepEqual(events.filter((e) => e.responseStatus?.code === 403).map((e) => `${e.verb} ${e.requestURI}`), [], 'no request was forbidden');
    const { rules: used, nonResource } = rulesUsed(events);
    assert.deepEqual(nonResource, [], 'no discovery or other non-resource calls');
    const granted = grantedRbacRules(role, undefined);
    assert.deepEqual(missingRules(used, granted).map(ruleKey), [], 'calls the worker made that the Role does not grant');
    assert.deepEqual(unusedRules(used, granted).map(ruleKey), [], 'grants the worker never used');
  });

  for (const [ruleIndex, rule] of role.rules.entries()) {
    for (const verb of rule.verbs ?? []) {
      const grant = `${verb} ${rule.resources!.join(',')} (apiGroup "${rule.apiGroups!.join(',')}")`;
      // Events are best effort by design (src/activities/events.ts): without that grant the scale-in
      // goes on, and what fails is the Event an on-call engineer would look for.
      const bestEffort = rule.resources!.includes('events');
      const expectation = bestEffort ? 'no Event is recorded, the worker logs the 403, the scale-in still succeeds' : 'scale-in 8 → 7 fails with that 403, nothing left excluded';
      it(`without "${grant}": ${expectation}`, async () => {
        const world = await startWorld({ scenario: EVEN_8, rolePatch: [{ op: 'replace', path: '/rules', value: withoutGrant(ruleIndex, verb) }] });
        await world.startWorkerProcess();
        await world.submit(7);
        const worker = serviceAccountUser(world.namespace, WORKER_SERVICE_ACCOUNT);
        const [group, resource, subresource] = [rule.apiGroups![0]!, ...rule.resources![0]!.split('/')];
        await eventually(`the API server to answer 403 to "${grant}"`, () =>
          auditEventsOf(world.controlPlane.auditLog, worker).some(
            (e) => e.responseStatus?.code === 403 && e.verb === verb && (e.objectRef?.apiGroup ?? '') === group && e.objectRef?.resource === resource && e.objectRef.subresource === subresource,
          ),
        );
        const [record] = await world.finishedOperations(1, 45_000);
        assert.deepEqual(await world.exclusions(), {}, `nothing left excluded (operation ${record!.outcome}: ${record!.detail})`);
        if (bestEffort) {
          assert.equal(record!.outcome, 'succeeded', record!.detail);
          assert.match(world.workerOutput(), /Kubernetes Event not recorded[^\n]*403/);
          const events = await world.core.listNamespacedEvent({ namespace: world.namespace, fieldSelector: `involvedObject.kind=StatefulSet,involvedObject.name=${world.statefulSet}` });
          const ours = events.items.filter((e) => e.reportingComponent === REPORTING_CONTROLLER);
          assert.deepEqual(ours.map((e) => e.reason), [], 'no Event from es-scaler on the StatefulSet (the StatefulSet controller writes its own)');
          return;
        }
        assert.equal(record!.outcome, 'failed', record!.detail);
        assert.match(record!.detail, /403|forbidden/i);
        assert.match(record!.detail, new RegExp(`cannot ${verb} resource .{0,3}${rule.resources![0]!.replace('/', '\\/')}`));
        assert.ok((await world.replicas()) >= 7);
      });
    }
  }
});
