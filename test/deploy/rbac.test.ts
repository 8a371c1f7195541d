import assert from 'node:assert/strict';
import {
  grantedRbacRules,
  missingRules,
  requiredRbacRules,
  ruleKey,
  unusedRules,
  type RbacRule,
  type RecordedRequest,
  type RoleLike,
} from '../../src/deploy-check/rbac.js';

const k8s = (method: string, path: string): RecordedRequest => ({ api: 'k8s', method, path });
const keys = (rules: RbacRule[]) => rules.map(ruleKey);

describe('requiredRbacRules', () => {
  it('maps each method and path shape to its RBAC verb and resource', () => {
    const rules = requiredRbacRules([
      k8s('GET', '/apis/apps/v1/namespaces/search/statefulsets/es-data'),
      k8s('GET', '/apis/apps/v1/namespaces/search/statefulsets/es-data/scale'),
      k8s('PUT', '/apis/apps/v1/namespaces/search/statefulsets/es-data/scale'),
      k8s('PATCH', '/apis/apps/v1/namespaces/search/statefulsets/es-data/scale'),
      k8s('GET', '/api/v1/namespaces/search/pods?labelSelector=app%3Des-data'),
      k8s('GET', '/api/v1/namespaces/search/pods/es-data-3'),
      k8s('GET', '/api/v1/nodes/node-a-1'),
    ]);
    assert.deepEqual(keys(rules), [
      'apps/statefulsets/scale:get (namespaced)',
      'apps/statefulsets/scale:patch (namespaced)',
      'apps/statefulsets/scale:update (namespaced)',
      'apps/statefulsets:get (namespaced)',
      'core/nodes:get (cluster)',
      'core/pods:get (namespaced)',
      'core/pods:list (namespaced)',
    ]);
    assert.deepEqual(rules.find((r) => r.resource === 'nodes'), { apiGroup: '', resource: 'nodes', verb: 'get', namespaced: false });
  });

  it('maps writes, deletes and watches', () => {
    const rules = requiredRbacRules([
      k8s('POST', '/api/v1/namespaces/search/pods'),
      k8s('DELETE', '/api/v1/namespaces/search/pods/es-data-0'),
      k8s('DELETE', '/api/v1/namespaces/search/pods?labelSelector=x'),
      k8s('GET', '/api/v1/namespaces/search/pods?watch=true&resourceVersion=10'),
      k8s('GET', '/apis/apps/v1/watch/namespaces/search/statefulsets'),
      k8s('GET', '/api/v1/nodes'),
    ]);
    assert.deepEqual(keys(rules), [
      'apps/statefulsets:watch (namespaced)',
      'core/nodes:list (cluster)',
      'core/pods:create (namespaced)',
      'core/pods:delete (namespaced)',
      'core/pods:deletecollection (namespaced)',
      'core/pods:watch (namespaced)',
    ]);
  });

  it('treats Namespace objects as cluster-scoped', () => {
    const rules = requiredRbacRules([
      k8s('GET', '/api/v1/namespaces/search'),
      k8s('GET', '/api/v1/namespaces'),
      k8s('PUT', '/api/v1/namespaces/search/finalize'),
    ]);
    assert.deepEqual(keys(rules), ['core/namespaces/finalize:update (cluster)', 'core/namespaces:get (cluster)', 'core/namespaces:list (cluster)']);
  });

  it('de-duplicates, ignores Elasticsearch requests and discovery paths', () => {
    const rules = requiredRbacRules([
      k8s('GET', '/api/v1/nodes/node-a-1'),
      k8s('get', '/api/v1/nodes/node-b-1/'),
      { api: 'es', method: 'PUT', path: '/_cluster/settings' },
      k8s('GET', '/version'),
      k8s('GET', '/apis/apps/v1'),
      k8s('GET', '/api'),
    ]);
    assert.deepEqual(keys(rules), ['core/nodes:get (cluster)']);
  });

  it('refuses paths that are neither resources nor default-allowed', () => {
    assert.throws(() => requiredRbacRules([k8s('GET', '/metrics')]), /not a Kubernetes resource path/);
    assert.throws(() => requiredRbacRules([k8s('GET', '/api/v1/namespaces/search/pods/a/log/extra')]), /not a Kubernetes resource path/);
    assert.throws(() => requiredRbacRules([k8s('OPTIONS', '/api/v1/nodes/a')]), /no RBAC verb/);
  });
});

describe('grantedRbacRules', () => {
  const role: RoleLike = {
    kind: 'Role',
    rules: [
      { apiGroups: ['apps'], resources: ['statefulsets', 'statefulsets/scale'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'], resourceNames: [] },
    ],
  };
  const clusterRole: RoleLike = {
    kind: 'ClusterRole',
    rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }, { nonResourceURLs: ['/metrics'], verbs: ['get'] }],
  };

  it('flattens every group x resource x verb, Role rules namespaced and ClusterRole rules not', () => {
    assert.deepEqual(keys(grantedRbacRules(role, clusterRole)), [
      'apps/statefulsets/scale:get (namespaced)',
      'apps/statefulsets/scale:patch (namespaced)',
      'apps/statefulsets:get (namespaced)',
      'apps/statefulsets:patch (namespaced)',
      'core/nodes:get (cluster)',
      'core/pods:list (namespaced)',
    ]);
  });

  it('accepts a missing Role or ClusterRole and refuses swapped arguments', () => {
    assert.deepEqual(keys(grantedRbacRules(undefined, clusterRole)), ['core/nodes:get (cluster)']);
    assert.deepEqual(grantedRbacRules(undefined, undefined), []);
    assert.throws(() => grantedRbacRules(clusterRole, role), /expected a Role, found kind ClusterRole/);
  });
});

describe('missingRules and unusedRules', () => {
  const need = (apiGroup: string, resource: string, verb: string, namespaced: boolean): RbacRule => ({ apiGroup, resource, verb, namespaced });

  it('finds needs no grant covers, with wildcards and cluster grants covering namespaced needs', () => {
    const required = [need('apps', 'statefulsets/scale', 'update', true), need('', 'nodes', 'get', false), need('', 'pods', 'list', true)];
    assert.deepEqual(missingRules(required, [need('apps', '*/scale', '*', true), need('', 'pods', 'list', false)]), [need('', 'nodes', 'get', false)]);
    // A Role cannot grant a cluster-scoped resource.
    assert.deepEqual(missingRules([need('', 'nodes', 'get', false)], [need('', 'nodes', 'get', true)]), [need('', 'nodes', 'get', false)]);
    assert.deepEqual(missingRules(required, [need('*', '*', '*', false)]), []);
  });

  it('finds grants that no request used', () => {
    const required = [need('', 'pods', 'list', true)];
    const granted = [need('', 'pods', 'list', true), need('', 'pods', 'get', true), need('', 'pods', 'list', false)];
    assert.deepEqual(keys(unusedRules(required, granted)), ['core/pods:get (namespaced)', 'core/pods:list (cluster)']);
  });
});
