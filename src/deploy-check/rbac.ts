// RBAC as data: which permissions a set of recorded Kubernetes API requests needs, and which the
// deploy manifests grant. Pure functions, so a test can compare the two both ways: every request
// the worker made is allowed (sufficiency) and every grant was used (minimality).

/** One HTTP request a component made, as recorded by the sandbox. */
export interface RecordedRequest {
  api: 'k8s' | 'es';
  method: string;
  /** Path with optional query string, e.g. `/api/v1/namespaces/search/pods?labelSelector=app%3Des`. */
  path: string;
}

/** One permission: an RBAC verb on a resource (with subresource, `statefulsets/scale`) of an API group. */
export interface RbacRule {
  /** `''` for the core group. */
  apiGroup: string;
  resource: string;
  verb: string;
  /** True for a namespaced object (granted by a Role), false for a cluster-scoped one (ClusterRole). */
  namespaced: boolean;
}

/** The `rules` part of a Role or ClusterRole manifest. */
export interface PolicyRuleLike {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface RoleLike {
  kind?: string;
  rules?: PolicyRuleLike[] | null;
}

/**
 * Paths that every authenticated client may call through the default `system:discovery` and
 * `system:public-info-viewer` ClusterRoles; they need no grant from our manifests.
 */
const DEFAULT_ALLOWED_NON_RESOURCE = [/^\/api\/?$/, /^\/api\/v1\/?$/, /^\/apis\/?$/, /^\/apis\/[^/]+\/?$/, /^\/apis\/[^/]+\/[^/]+\/?$/, /^\/version\/?$/, /^\/(healthz|livez|readyz)(\/.*)?$/, /^\/openapi\/.*$/];

/**
 * The RBAC rules needed for the Kubernetes requests among `requests` (Elasticsearch requests are
 * ignored), de-duplicated and sorted. GET on a collection is `list` (`watch` with `watch=true`),
 * GET or HEAD on a named object `get`, PUT `update`, PATCH `patch`, POST `create`, DELETE on a
 * named object `delete` and on a collection `deletecollection`.
 * Discovery and health paths are skipped (see DEFAULT_ALLOWED_NON_RESOURCE); any other path that
 * is not a resource path throws, so an unexpected call is never silently ignored.
 */
export function requiredRbacRules(requests: readonly RecordedRequest[]): RbacRule[] {
  const rules: RbacRule[] = [];
  for (const request of requests) {
    if (request.api !== 'k8s') continue;
    const rule = ruleForRequest(request.method, request.path);
    if (rule) rules.push(rule);
  }
  return uniqueSorted(rules);
}

/**
 * Flattens a namespaced Role's and a ClusterRole's rules into one rule per (group, resource, verb).
 * Role rules are `namespaced: true`, ClusterRole rules `namespaced: false`. Wildcards (`*`) are kept
 * as they are; `resourceNames` narrowing and `nonResourceURLs` rules are not represented.
 * Either argument may be undefined when a deployment has no Role or no ClusterRole.
 */
export function grantedRbacRules(role: RoleLike | undefined, clusterRole: RoleLike | undefined): RbacRule[] {
  if (role?.kind !== undefined && role.kind !== 'Role') throw new Error(`grantedRbacRules: expected a Role, found kind ${role.kind}`);
  if (clusterRole?.kind !== undefined && clusterRole.kind !== 'ClusterRole') {
    throw new Error(`grantedRbacRules: expected a ClusterRole, found kind ${clusterRole.kind}`);
  }
  return uniqueSorted([...flatten(role, true), ...flatten(clusterRole, false)]);
}

/** Rules in `required` that no rule in `granted` allows (a ClusterRole grant also covers namespaced needs). */
export function missingRules(required: readonly RbacRule[], granted: readonly RbacRule[]): RbacRule[] {
  return required.filter((need) => !granted.some((grant) => allows(grant, need)));
}

/** Rules in `granted` that match no rule in `required` exactly: permissions nothing used. */
export function unusedRules(required: readonly RbacRule[], granted: readonly RbacRule[]): RbacRule[] {
  return granted.filter((grant) => !required.some((need) => sameRule(grant, need)));
}

/** A readable key, e.g. `apps/statefulsets/scale:patch (namespaced)`, `core/nodes:get (cluster)`. */
export function ruleKey(rule: RbacRule): string {
  return `${rule.apiGroup || 'core'}/${rule.resource}:${rule.verb} (${rule.namespaced ? 'namespaced' : 'cluster'})`;
}

function ruleForRequest(method: string, rawPath: string): RbacRule | undefined {
  const [pathPart, query = ''] = rawPath.split('?', 2) as [string, string?];
  const path = pathPart.replace(/\/+$/, '') || '/';
  if (DEFAULT_ALLOWED_NON_RESOURCE.some((pattern) => pattern.test(path))) return undefined;

  const segments = path.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
  let rest: string[];
  let apiGroup: string;
  if (segments[0] === 'api' && segments.length >= 3) {
    apiGroup = '';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    apiGroup = segments[1]!;
    rest = segments.slice(3);
  } else {
    throw new Error(`requiredRbacRules: ${method} ${rawPath} is not a Kubernetes resource path`);
  }

  // Legacy watch paths: /apis/<group>/<version>/watch/...
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }

  let namespaced = false;
  // /namespaces/<ns>/<resource>... is namespaced; /namespaces and /namespaces/<ns>[/status|/finalize]
  // address the cluster-scoped Namespace objects themselves.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    namespaced = true;
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length > 0) {
    throw new Error(`requiredRbacRules: ${method} ${rawPath} is not a Kubernetes resource path`);
  }

  const params = new URLSearchParams(query);
  const verb = legacyWatch ? 'watch' : verbFor(method.toUpperCase(), name !== undefined, params.get('watch'));
  if (!verb) throw new Error(`requiredRbacRules: no RBAC verb for ${method} ${rawPath}`);
  return { apiGroup, resource: subresource ? `${resource}/${subresource}` : resource, verb, namespaced };
}

function verbFor(method: string, named: boolean, watchParam: string | null): string | undefined {
  const watching = watchParam === 'true' || watchParam === '1';
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watching) return 'watch';
      return named ? 'get' : 'list';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'POST':
      return 'create';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

function flatten(role: RoleLike | undefined, namespaced: boolean): RbacRule[] {
  const out: RbacRule[] = [];
  for (const rule of role?.rules ?? []) {
    if (rule.nonResourceURLs?.length) continue;
    for (const apiGroup of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        for (const verb of rule.verbs ?? []) out.push({ apiGroup, resource, verb, namespaced });
      }
    }
  }
  return out;
}

function allows(grant: RbacRule, need: RbacRule): boolean {
  if (grant.namespaced && !need.namespaced) return false;
  return matches(grant.apiGroup, need.apiGroup) && matchesResource(grant.resource, need.resource) && matches(grant.verb, need.verb);
}

function matches(granted: string, needed: string): boolean {
  return granted === '*' || granted === needed;
}

// RBAC resource wildcards: "*" is every resource, "*" + "/scale" that subresource of any resource.
function matchesResource(granted: string, needed: string): boolean {
  if (granted === '*' || granted === needed) return true;
  if (granted.startsWith('*/')) return needed.includes('/') && needed.slice(needed.indexOf('/')) === granted.slice(1);
  return false;
}

function sameRule(a: RbacRule, b: RbacRule): boolean {
  return a.apiGroup === b.apiGroup && a.resource === b.resource && a.verb === b.verb && a.namespaced === b.namespaced;
}

function uniqueSorted(rules: RbacRule[]): RbacRule[] {
  const byKey = new Map<string, RbacRule>();
  for (const rule of rules) byKey.set(ruleKey(rule), rule);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, rule]) => rule);
}
