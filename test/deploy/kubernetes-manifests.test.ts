import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import {
  loadKustomization as loadKustomizationIn,
  loadKustomizeResources,
  loadYamlDocuments,
  validateKubernetesObject,
  type KubernetesObject,
  type LoadedDocument,
} from '../../src/deploy-check/manifests.js';
import { parseConfigText } from '../../src/config/load.js';
import { parseDuration } from '../../src/config/duration.js';
import { packageRoot } from '../../src/util/paths.js';

const kubernetesDir = join(packageRoot, 'deploy', 'kubernetes');
const baseDir = join(kubernetesDir, 'base');

// Just the fields these tests read; the objects themselves are validated against the real schema.
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Container {
  name: string;
  image: string;
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: number | string } };
  readinessProbe?: { httpGet?: { path: string; port: number | string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    privileged?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
    seccompProfile?: { type: string };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string; optional?: boolean; items?: { key: string; path: string }[] };
  emptyDir?: object;
}
interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  containers: Container[];
  volumes?: Volume[];
}
interface Deployment extends KubernetesObject {
  spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}
interface Binding extends KubernetesObject {
  roleRef: { apiGroup: string; kind: string; name: string };
  subjects: { kind: string; name: string; namespace?: string }[];
}

async function yamlFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
}

const loadKustomization = () => loadKustomizationIn(baseDir);
const loadBase = () => loadKustomizeResources(baseDir);

function only<T extends KubernetesObject>(docs: LoadedDocument[], kind: string): T {
  const found = docs.filter((d) => d.object.kind === kind);
  assert.equal(found.length, 1, `expected exactly one ${kind} in the base, found ${found.length}`);
  return found[0]!.object as T;
}

function envValue(container: Container, name: string): string | undefined {
  return container.env?.find((e) => e.name === name)?.value;
}

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  let docs: LoadedDocument[];
  let deployment: Deployment;
  let pod: PodSpec;
  let worker: Container;

  before(async () => {
    docs = await loadBase();
    deployment = only<Deployment>(docs, 'Deployment');
    pod = deployment.spec.template.spec;
    assert.equal(pod.containers.length, 1, 'one container');
    worker = pod.containers[0]!;
  });

  describe('schema', () => {
    it('lists in kustomization.yaml exactly the manifest files of the base', async () => {
      const present = (await yamlFiles(baseDir)).filter((f) => f !== 'kustomization.yaml');
      const listed = [...((await loadKustomization()).resources ?? [])].sort();
      assert.deepEqual(listed, present);
    });

    it('validates every object of the base and the examples against the Kubernetes schemas, with no unknown fields', async () => {
      const all = [...docs];
      for (const file of await yamlFiles(join(kubernetesDir, 'examples'))) all.push(...(await loadYamlDocuments(join(kubernetesDir, 'examples', file))));
      assert.ok(all.length >= 8, `expected the whole base and the examples, found ${all.length} objects`);
      const problems: string[] = [];
      for (const { file, index, object } of all) {
        for (const problem of await validateKubernetesObject(object)) problems.push(`${posix.basename(file)}#${index} ${object.kind}: ${problem}`);
      }
      assert.deepEqual(problems, []);
    });

    it('catches a wrong type and a misspelt field (the validator is not a no-op)', async () => {
      const broken = structuredClone(deployment) as Deployment;
      const container = broken.spec.template.spec.containers[0]!;
      (container.securityContext as Record<string, unknown>).runAsUser = 'nobody';
      (container.securityContext as Record<string, unknown>).readOnlyRootFilesytem = true;
      const problems = await validateKubernetesObject(broken);
      assert.ok(problems.some((p) => p.startsWith('schema:') && p.includes('runAsUser')), problems.join('\n'));
      assert.ok(problems.includes('unknown field: spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem'), problems.join('\n'));
    });

    it('keeps namespaces out of the resource files and sets one in kustomization.yaml', async () => {
      const kustomization = await loadKustomization();
      assert.match(kustomization.namespace ?? '', /^[a-z0-9-]+$/);
      for (const { file, object } of docs) assert.equal(object.metadata?.namespace, undefined, `${posix.basename(file)} sets a namespace`);
      // Subjects without a namespace get the kustomization's one, where the ServiceAccount lives.
      for (const binding of docs.filter((d) => d.object.kind.endsWith('Binding')).map((d) => d.object as Binding)) {
        for (const subject of binding.subjects) assert.equal(subject.namespace, undefined, `${binding.kind} subject ${subject.name}`);
      }
    });
  });

  describe('security', () => {
    it('runs as a non-root numeric user with a read-only root filesystem and no privileges', () => {
      assert.equal(pod.securityContext?.runAsNonRoot, true);
      assert.equal(pod.securityContext?.runAsUser, 10001);
      assert.equal(pod.securityContext?.seccompProfile?.type, 'RuntimeDefault');
      assert.ok(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC, 'no host namespaces');
      const sc = worker.securityContext;
      assert.equal(sc?.runAsNonRoot, true);
      assert.equal(sc?.runAsUser, 10001);
      assert.equal(sc?.readOnlyRootFilesystem, true);
      assert.equal(sc?.allowPrivilegeEscalation, false);
      assert.notEqual(sc?.privileged, true);
      assert.deepEqual(sc?.capabilities?.drop, ['ALL']);
      assert.equal(sc?.capabilities?.add, undefined);
    });

    it('gives the read-only container a writable /tmp', () => {
      const tmp = worker.volumeMounts?.find((m) => m.mountPath === '/tmp');
      assert.ok(tmp, '/tmp is mounted');
      assert.ok(pod.volumes?.find((v) => v.name === tmp.name)?.emptyDir, '/tmp is an emptyDir');
    });

    it('lets the worker finish its shutdown grace before the kubelet kills it', () => {
      const grace = envValue(worker, 'ES_SCALER_SHUTDOWN_GRACE');
      assert.ok(grace, 'ES_SCALER_SHUTDOWN_GRACE is set');
      const graceMs = parseDuration(grace);
      assert.ok(graceMs !== undefined, `ES_SCALER_SHUTDOWN_GRACE parses: ${grace}`);
      assert.ok(pod.terminationGracePeriodSeconds !== undefined, 'terminationGracePeriodSeconds is set');
      assert.ok(
        pod.terminationGracePeriodSeconds * 1000 >= graceMs + 15_000,
        `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds}s leaves at least 15s over the shutdown grace ${grace}`,
      );
    });

    it('takes secrets only from Secret references, never inline', () => {
      const apiKey = worker.env?.find((e) => e.name === 'TEMPORAL_API_KEY');
      assert.deepEqual(apiKey?.valueFrom?.secretKeyRef, { name: 'es-scaler-temporal', key: 'api-key', optional: true });
      for (const env of worker.env ?? []) {
        if (/KEY|PASSWORD|TOKEN|SECRET/i.test(env.name)) assert.equal(env.value, undefined, `${env.name} has an inline value`);
      }
      assert.ok(!docs.some((d) => d.object.kind === 'Secret'), 'the base ships no Secret');
    });

    it('sets resource requests and limits', () => {
      for (const resource of ['cpu', 'memory']) {
        assert.ok(worker.resources?.requests?.[resource], `requests.${resource}`);
        assert.ok(worker.resources?.limits?.[resource], `limits.${resource}`);
      }
    });

    it('pins the image to a version', () => {
      assert.match(worker.image, /:[^:/]*[0-9][^:/]*$/, `image ${worker.image} has a version tag`);
      assert.doesNotMatch(worker.image, /:latest$/);
    });
  });

  describe('wiring', () => {
    it('probes /healthz for liveness and /readyz for readiness on the health port', () => {
      const healthPort = Number(envValue(worker, 'ES_SCALER_HEALTH_PORT') ?? 8080);
      const named = worker.ports?.find((p) => p.containerPort === healthPort)?.name;
      for (const [probe, path] of [
        [worker.livenessProbe, '/healthz'],
        [worker.readinessProbe, '/readyz'],
      ] as const) {
        assert.equal(probe?.httpGet?.path, path);
        assert.ok(probe.httpGet.port === healthPort || probe.httpGet.port === named, `${path} probes port ${String(probe.httpGet.port)}`);
      }
    });

    it('mounts a valid config file where ES_SCALER_CONFIG points', () => {
      const configPath = envValue(worker, 'ES_SCALER_CONFIG');
      assert.equal(configPath, '/etc/es-scaler/es-scaler.yaml');
      const mount = worker.volumeMounts?.find((m) => m.mountPath === posix.dirname(configPath));
      assert.ok(mount, 'the config directory is mounted');
      const volume = pod.volumes?.find((v) => v.name === mount.name);
      const configMap = only<KubernetesObject & { data: Record<string, string> }>(docs, 'ConfigMap');
      assert.equal(volume?.configMap?.name, configMap.metadata?.name);
      const text = configMap.data[posix.basename(configPath)];
      assert.ok(text, `the ConfigMap has the key ${posix.basename(configPath)}`);
      const config = parseConfigText(text, 'configmap.yaml');
      assert.deepEqual(Object.keys(config.clusters), ['production']);
    });

    it('manages clusters in the namespace its Role is created in', async () => {
      const namespace = (await loadKustomization()).namespace;
      const config = parseConfigText(only<KubernetesObject & { data: Record<string, string> }>(docs, 'ConfigMap').data['es-scaler.yaml']!);
      for (const [name, cluster] of Object.entries(config.clusters)) assert.equal(cluster.kubernetes.namespace, namespace, `cluster ${name}`);
    });

    it('mounts every file the config file references from a Secret', () => {
      const config = parseConfigText(only<KubernetesObject & { data: Record<string, string> }>(docs, 'ConfigMap').data['es-scaler.yaml']!);
      const files: string[] = [];
      for (const cluster of Object.values(config.clusters)) {
        const auth = cluster.elasticsearch.auth as Record<string, string> | undefined;
        for (const [field, value] of Object.entries(auth ?? {})) if (field.endsWith('File')) files.push(value);
        if (cluster.elasticsearch.caFile) files.push(cluster.elasticsearch.caFile);
      }
      assert.ok(files.length > 0);
      for (const file of files) {
        const mount = worker.volumeMounts?.find((m) => m.mountPath === posix.dirname(file));
        assert.ok(mount?.readOnly, `${posix.dirname(file)} is mounted read-only`);
        const secret = pod.volumes?.find((v) => v.name === mount.name)?.secret;
        assert.ok(secret, `${file} comes from a Secret`);
        const keys = secret.items?.map((i) => i.path) ?? [posix.basename(file)];
        assert.ok(keys.includes(posix.basename(file)), `${file} is a key of Secret ${secret.secretName}`);
      }
    });

    it('runs under its own ServiceAccount, bound to the Role, with nothing cluster-wide', () => {
      const account = only<KubernetesObject & { automountServiceAccountToken?: boolean }>(docs, 'ServiceAccount');
      assert.equal(pod.serviceAccountName, account.metadata?.name);
      assert.notEqual(account.automountServiceAccountToken, false);
      assert.notEqual(pod.automountServiceAccountToken, false);
      const role = only(docs, 'Role');
      const roleBinding = only<Binding>(docs, 'RoleBinding');
      assert.deepEqual(roleBinding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata?.name });
      assert.deepEqual(roleBinding.subjects, [{ kind: 'ServiceAccount', name: account.metadata?.name }]);
      assert.ok(!docs.some((d) => d.object.kind === 'ClusterRole' || d.object.kind === 'ClusterRoleBinding'), 'no cluster-wide grants');
    });

    it('exposes /metrics through a Service that selects the worker pods', () => {
      const service = only<KubernetesObject & { spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: number | string }[] } }>(
        docs,
        'Service',
      );
      const metricsPort = Number(envValue(worker, 'ES_SCALER_METRICS_PORT') ?? 9464);
      assert.deepEqual(service.spec.ports.map((p) => [p.name, p.port]), [['metrics', metricsPort]]);
      const target = service.spec.ports[0]!.targetPort;
      assert.ok(target === metricsPort || worker.ports?.find((p) => p.name === target)?.containerPort === metricsPort, 'targetPort is the metrics port');
      for (const [label, value] of Object.entries(service.spec.selector)) assert.equal(deployment.spec.template.metadata.labels[label], value, `selector ${label}`);
      assert.equal(service.metadata?.annotations?.['prometheus.io/scrape'], 'true');
      assert.equal(service.metadata?.annotations?.['prometheus.io/port'], String(metricsPort));
      assert.equal(service.metadata?.annotations?.['prometheus.io/path'], '/metrics');
    });

    it('selects its own pods', () => {
      for (const [label, value] of Object.entries(deployment.spec.selector.matchLabels)) {
        assert.equal(deployment.spec.template.metadata.labels[label], value, `matchLabels ${label}`);
      }
    });
  });
});
