// deploy/kubernetes/base applied for real, with kubectl's kustomize, in a namespace of the test's
// own; and the files a pod of the Deployment would find mounted for its ServiceAccount.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { packageRoot } from '../../../src/util/paths.js';
import type { ControlPlane } from './control-plane.js';

const run = promisify(execFile);
export const DEPLOY_BASE = join(packageRoot, 'deploy', 'kubernetes', 'base');
/** The ServiceAccount (and Role, RoleBinding) name in deploy/kubernetes/base. */
export const WORKER_SERVICE_ACCOUNT = 'es-scaler';

export interface ApplyOptions {
  /** JSON patches (RFC 6902) on the Role, e.g. to take one permission away. */
  rolePatch?: { op: string; path: string; value?: unknown }[];
}

/**
 * `kubectl apply -k` of an overlay that only sets the namespace (and optionally patches the Role),
 * as a user's overlay of the base would. The namespace is created first.
 */
export async function applyDeployBase(cp: ControlPlane, namespace: string, options: ApplyOptions = {}): Promise<string> {
  await cp.admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  const overlay = mkdtempSync(join(cp.dir, 'overlay-'));
  try {
    const kustomization: Record<string, unknown> = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace,
      resources: [relative(overlay, DEPLOY_BASE)],
    };
    if (options.rolePatch) {
      kustomization.patches = [{ target: { kind: 'Role', name: WORKER_SERVICE_ACCOUNT }, patch: JSON.stringify(options.rolePatch) }];
    }
    writeFileSync(join(overlay, 'kustomization.yaml'), stringify(kustomization));
    const { stdout } = await run(cp.kubectl, ['--kubeconfig', cp.adminKubeconfig, 'apply', '-k', overlay]);
    return stdout;
  } finally {
    rmSync(overlay, { recursive: true, force: true });
  }
}

/**
 * What the kubelet mounts into a pod of the es-scaler Deployment: a token of its ServiceAccount
 * (TokenRequest API), the cluster CA and the namespace, under
 * `<root>/var/run/secrets/kubernetes.io/serviceaccount/`. Returns `root`.
 */
export async function mountServiceAccount(cp: ControlPlane, namespace: string, root: string): Promise<string> {
  const core = cp.admin.makeApiClient(CoreV1Api);
  const request = await core.createNamespacedServiceAccountToken({
    name: WORKER_SERVICE_ACCOUNT,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`no token issued for ServiceAccount ${namespace}/${WORKER_SERVICE_ACCOUNT}`);
  const dir = join(root, 'var', 'run', 'secrets', 'kubernetes.io', 'serviceaccount');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'token'), token);
  writeFileSync(join(dir, 'ca.crt'), readFileSync(cp.caFile));
  writeFileSync(join(dir, 'namespace'), namespace);
  return root;
}

/** The environment of a container in a pod: the API server's address, and where the mounts are. */
export function inClusterEnvironment(cp: ControlPlane, serviceAccountRoot: string): NodeJS.ProcessEnv {
  return {
    KUBERNETES_SERVICE_HOST: cp.host,
    KUBERNETES_SERVICE_PORT: String(cp.port),
    ES_SCALER_SERVICEACCOUNT_ROOT: serviceAccountRoot,
  };
}
