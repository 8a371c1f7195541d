// The kube-apiserver's audit log (JSON lines, one event per request and stage): what a given user
// really asked for, and what it was answered.
import { readFileSync } from 'node:fs';
import { ruleKey, type RbacRule } from '../../../src/deploy-check/rbac.js';

export interface AuditEvent {
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string };
  objectRef?: { apiGroup?: string; resource?: string; subresource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number; reason?: string };
}

/** Completed requests made by `username`. */
export function auditEventsOf(auditLog: string, username: string): AuditEvent[] {
  return readFileSync(auditLog, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as AuditEvent)
    .filter((e) => e.stage === 'ResponseComplete' && e.user.username === username);
}

export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * The RBAC permissions the audited requests used: one rule per (API group, resource[/subresource],
 * verb), namespaced when the object lives in a namespace. The audit log names the RBAC verb itself.
 * Requests to non-resource URLs (discovery, /version) come back apart, as `nonResource`.
 */
export function rulesUsed(events: AuditEvent[]): { rules: RbacRule[]; nonResource: string[] } {
  const rules = new Map<string, RbacRule>();
  const nonResource = new Set<string>();
  for (const e of events) {
    if (!e.objectRef?.resource) {
      nonResource.add(`${e.verb} ${e.requestURI}`);
      continue;
    }
    const { apiGroup = '', resource, subresource, namespace } = e.objectRef;
    const rule: RbacRule = { apiGroup, resource: subresource ? `${resource}/${subresource}` : resource, verb: e.verb, namespaced: !!namespace };
    rules.set(ruleKey(rule), rule);
  }
  return { rules: [...rules.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r), nonResource: [...nonResource].sort() };
}
