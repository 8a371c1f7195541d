// deploy/helm/es-scaler, rendered by the real Helm CLI: it lints, every object it renders is valid
// Kubernetes, its values follow values.schema.json, and with its defaults it renders the objects
// of the kustomize base (deploy/kubernetes/base), so the two ways to deploy cannot drift apart.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { CHART_DIR, lintChart, renderChart, type RenderedObject } from '../../src/deploy-check/helm.js';
import {
  loadKustomization,
  loadKustomizeResources,
  loadYamlDocuments,
  validateKubernetesObject,
  type KubernetesObject,
} from '../../src/deploy-check/manifests.js';
import { parseConfigText } from '../../src/config/load.js';
import { packageRoot } from '../../src/util/paths.js';

const baseDir = join(packageRoot, 'deploy', 'kubernetes', 'base');
const monitoringDir = join(packageRoot, 'deploy', 'monitoring');
const allOptional = { metrics: { serviceMonitor: { enabled: true }, prometheusRule: { enabled: true }, grafanaDashboard: { enabled: true } } };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function ofKind(rendered: RenderedObject[], kind: string): Json[] {
  return rendered.filter((r) => r.object.kind === kind).map((r) => r.object as Json);
}

function only(rendered: RenderedObject[], kind: string): Json {
  const found = ofKind(rendered, kind);
  assert.equal(found.length, 1, `exactly one ${kind}, found ${found.length}`);
  return found[0]!;
}

const HELM_ONLY_LABELS = ['app.kubernetes.io/instance', 'app.kubernetes.io/version', 'app.kubernetes.io/managed-by', 'helm.sh/chart'];

/** An object with what only Helm adds taken out: its bookkeeping labels, the checksum annotation, parsed config. */
function comparable(object: KubernetesObject, namespace: string): Json {
  const copy = structuredClone(object) as Json;
  const dropHelmLabels = (labels?: Record<string, string>) => {
    for (const label of HELM_ONLY_LABELS) delete labels?.[label];
  };
  copy.metadata.namespace ??= namespace;
  dropHelmLabels(copy.metadata.labels);
  dropHelmLabels(copy.spec?.selector?.matchLabels);
  dropHelmLabels(copy.spec?.selector);
  dropHelmLabels(copy.spec?.template?.metadata?.labels);
  if (copy.spec?.template?.metadata?.annotations) {
    delete copy.spec.template.metadata.annotations['checksum/config'];
    if (Object.keys(copy.spec.template.metadata.annotations).length === 0) delete copy.spec.template.metadata.annotations;
  }
  for (const subject of copy.subjects ?? []) subject.namespace ??= namespace;
  if (copy.kind === 'ConfigMap') copy.data = Object.fromEntries(Object.entries(copy.data as Record<string, string>).map(([k, v]) => [k, parse(v)]));
  return copy;
}

describe('Helm chart (deploy/helm/es-scaler)', function () {
  let defaults: RenderedObject[];
  before(async () => {
    defaults = await renderChart();
  });

  it('passes helm lint --strict', async () => {
    const output = await lintChart();
    assert.match(output, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders only valid Kubernetes objects, with the optional ones enabled too', async () => {
    const all = await renderChart({ values: allOptional });
    assert.deepEqual(all.map((r) => r.object.kind).sort(), ['ConfigMap', 'ConfigMap', 'Deployment', 'PrometheusRule', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'ServiceMonitor']);
    const problems: string[] = [];
    for (const { source, object } of all) for (const problem of await validateKubernetesObject(object)) problems.push(`${source} ${object.kind}: ${problem}`);
    assert.deepEqual(problems, []);
  });

  describe('values.schema.json', () => {
    let validate: ReturnType<Ajv['compile']>;
    let values: Json;
    before(async () => {
      validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(JSON.parse(await readFile(join(CHART_DIR, 'values.schema.json'), 'utf8')) as object);
      values = parse(await readFile(join(CHART_DIR, 'values.yaml'), 'utf8')) as Json;
    });

    it('accepts the chart’s values.yaml, whose config is a valid es-scaler config', () => {
      assert.ok(validate(values), JSON.stringify(validate.errors));
      const config = parseConfigText(JSON.stringify(values.config), 'values.yaml config');
      assert.deepEqual(Object.keys(config.clusters), ['production']);
    });

    it('rejects wrong values, naming the field', () => {
      const broken = (change: (v: Json) => void) => {
        const copy = structuredClone(values);
        change(copy);
        assert.equal(validate(copy), false, 'rejected');
        return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('; ');
      };
      assert.match(broken((v) => (v.image.digest = 'sha256:abc')), /\/image\/digest must match pattern/);
      assert.match(broken((v) => (v.ports.metrics = '9464')), /\/ports\/metrics must be integer/);
      assert.match(broken((v) => (v.shutdownGrace = 60)), /\/shutdownGrace must be string/);
      assert.match(broken((v) => (v.replicas = 2)), /must NOT have additional properties/);
      assert.match(broken((v) => delete v.config.clusters.production.kubernetes.namespace), /\/config\/clusters\/production\/kubernetes must have required property 'namespace'/);
    });

    it('is enforced by helm itself: bad values render nothing', async () => {
      await assert.rejects(renderChart({ values: { ports: { health: 8080, metrics: 'metrics' } } }), /values don't meet the specifications of the schema.*at '\/ports\/metrics': got string, want integer/s);
    });
  });

  describe('agrees with the kustomize base', () => {
    let base: KubernetesObject[];
    let namespace: string;
    before(async () => {
      namespace = (await loadKustomization(baseDir)).namespace!;
      base = (await loadKustomizeResources(baseDir)).map((d) => d.object);
    });

    it('renders the same kinds as the base, and no Secret', () => {
      assert.deepEqual(defaults.map((r) => r.object.kind).sort(), base.map((o) => o.kind).sort());
      assert.ok(!defaults.some((r) => r.object.kind === 'Secret'));
    });

    for (const kind of ['ServiceAccount', 'ConfigMap', 'Role', 'RoleBinding', 'Service', 'Deployment']) {
      it(`renders the base's ${kind}, field for field`, () => {
        const fromBase = base.filter((o) => o.kind === kind);
        assert.equal(fromBase.length, 1);
        assert.deepEqual(comparable(only(defaults, kind) as KubernetesObject, namespace), comparable(fromBase[0]!, namespace));
      });
    }
  });

  describe('rolls the Deployment when the config changes', () => {
    const checksum = (rendered: RenderedObject[]) => only(rendered, 'Deployment').spec.template.metadata.annotations['checksum/config'] as string;

    it('changes checksum/config with the config, and only with it', async () => {
      const values = parse(await readFile(join(CHART_DIR, 'values.yaml'), 'utf8')) as Json;
      assert.match(checksum(defaults), /^[0-9a-f]{64}$/);
      const config = structuredClone(values.config);
      config.clusters.production.minReplicas = 5;
      const changed = await renderChart({ values: { config } });
      assert.notEqual(checksum(changed), checksum(defaults));
      assert.equal(parse(only(changed, 'ConfigMap').data['es-scaler.yaml']).clusters.production.minReplicas, 5);
      const unrelated = await renderChart({ values: { resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '1Gi' } } } });
      assert.equal(checksum(unrelated), checksum(defaults));
    });
  });

  describe('options', () => {
    it('creates a Role and RoleBinding in every namespace the config scales, bound to the release’s ServiceAccount', async () => {
      const values = parse(await readFile(join(CHART_DIR, 'values.yaml'), 'utf8')) as Json;
      const production = values.config.clusters.production;
      const config = {
        ...values.config,
        clusters: { a: production, b: { ...production, kubernetes: { namespace: 'logs', statefulSet: 'es-logs' } }, c: production },
      };
      const rendered = await renderChart({ release: 'scaler', namespace: 'ops', values: { config } });
      const roles = ofKind(rendered, 'Role');
      assert.deepEqual(roles.map((r) => r.metadata.namespace), ['logs', 'search']);
      const baseRole = (await loadYamlDocuments(join(baseDir, 'role.yaml')))[0]!.object as Json;
      for (const role of roles) assert.deepEqual(role.rules, baseRole.rules, `Role in ${role.metadata.namespace as string}`);
      const account = only(rendered, 'ServiceAccount');
      assert.deepEqual([account.metadata.name, account.metadata.namespace], ['scaler-es-scaler', 'ops']);
      for (const binding of ofKind(rendered, 'RoleBinding')) {
        assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'scaler-es-scaler', namespace: 'ops' }]);
        assert.equal(binding.roleRef.name, 'scaler-es-scaler');
      }
      assert.equal(only(rendered, 'Deployment').spec.template.spec.serviceAccountName, 'scaler-es-scaler');
    });

    it('pins the image by digest, and uses the mTLS files of the Temporal Secret when asked', async () => {
      const digest = `sha256:${'a'.repeat(64)}`;
      const rendered = await renderChart({ values: { image: { repository: 'registry.example.com/es-scaler', tag: '0.1.0', digest, pullPolicy: 'IfNotPresent' }, temporalMtls: true } });
      const container = only(rendered, 'Deployment').spec.template.spec.containers[0];
      assert.equal(container.image, `registry.example.com/es-scaler:0.1.0@${digest}`);
      const env = Object.fromEntries((container.env as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
      const mount = (container.volumeMounts as { name: string; mountPath: string }[]).find((m) => m.name === 'temporal-tls')!;
      for (const name of ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA']) assert.ok(env[name]?.startsWith(`${mount.mountPath}/`), `${name}=${env[name]}`);
    });

    it('renders deploy/monitoring’s alerts and dashboard as they are in the repository', async () => {
      const rendered = await renderChart({ values: allOptional });
      const [rule] = await loadYamlDocuments(join(monitoringDir, 'prometheus-rule.yaml'));
      assert.deepEqual(only(rendered, 'PrometheusRule').spec, rule!.object.spec);
      const dashboard = ofKind(rendered, 'ConfigMap').find((c) => c.metadata.labels.grafana_dashboard === '1')!;
      assert.deepEqual(JSON.parse(dashboard.data['es-scaler.json'] as string), JSON.parse(await readFile(join(monitoringDir, 'grafana-dashboard.json'), 'utf8')));
      const monitor = only(rendered, 'ServiceMonitor');
      const service = only(rendered, 'Service');
      for (const [label, value] of Object.entries(monitor.spec.selector.matchLabels as Record<string, string>)) assert.equal(service.metadata.labels[label], value, label);
      assert.equal(monitor.spec.endpoints[0].port, service.spec.ports[0].name);
    });
  });
});
