// deploy/monitoring: every alert and dashboard query parses as PromQL (Prometheus's own grammar)
// and selects only series the worker exports, as read from the code that creates its metrics.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createdMetrics, exportedSeriesNames, metricNamesIn, withGrafanaVariables, type CreatedMetric } from '../../src/deploy-check/metrics.js';
import { loadYamlDocuments, validateKubernetesObject } from '../../src/deploy-check/manifests.js';
import { parseDuration } from '../../src/config/duration.js';
import { scenarios } from '../../src/sandbox/scenario.js';
import { packageRoot } from '../../src/util/paths.js';
import { eventually } from '../helpers/eventually.js';
import { World } from '../helpers/world.js';

const monitoringDir = join(packageRoot, 'deploy', 'monitoring');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Panel {
  id: number;
  title: string;
  type: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { refId: string; expr: string }[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string | { query: string } }[] };
}

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

describe('monitoring (deploy/monitoring)', () => {
  let metrics: CreatedMetric[];
  let exported: Set<string>;
  before(async () => {
    metrics = await createdMetrics(join(packageRoot, 'src'));
    exported = exportedSeriesNames(metrics);
  });

  describe('the names the worker exports, from the code', () => {
    it('finds the operation metrics and the readiness gauge, each created in one place', () => {
      for (const name of ['es_scaler_operations_started', 'es_scaler_operations_completed', 'es_scaler_drain_shards_left', 'es_scaler_drain_duration', 'es_scaler_worker_ready']) {
        assert.ok(metrics.some((m) => m.name === name), `${name} in ${metrics.map((m) => m.name).join(', ')}`);
      }
      assert.equal(new Set(metrics.map((m) => m.name)).size, metrics.length, `one creation per name: ${metrics.map((m) => `${m.name} (${m.file})`).join(', ')}`);
      assert.ok(exported.has('es_scaler_drain_duration_bucket') && !exported.has('es_scaler_drain_duration'), 'a histogram is scraped as _bucket/_sum/_count');
    });

    it('parses PromQL strictly and lists the metrics an expression selects', () => {
      assert.deepEqual(metricNamesIn('sum by (le) (rate(a_bucket{x=~".*"}[5m])) / on() group_left b'), ['a_bucket', 'b']);
      assert.throws(() => metricNamesIn('sum(rate(a[5m])'), /PromQL does not parse/);
      assert.throws(() => metricNamesIn('{__name__="a"}'), /a selector without a metric name/);
      assert.equal(withGrafanaVariables('increase(a{c=~"$cluster"}[$__rate_interval])'), 'increase(a{c=~".*"}[5m])');
    });
  });

  describe('a running worker', function () {
    let world: World | undefined;
    after(async () => world?.close());

    it('serves es_scaler_worker_ready 1 once it polls, under exactly the name the code gives it', async () => {
      world = await World.start({ scenario: scenarios['even-8']! });
      const worker = await world.startWorkerProcess();
      const body = await eventually('the readiness gauge', async () => {
        const { body } = await worker.get('/metrics');
        return /^es_scaler_worker_ready(\{[^}]*\})? 1$/m.test(body) ? body : undefined;
      });
      const served = new Set(body.split('\n').filter((l) => l.startsWith('es_scaler_')).map((l) => /^\w+/.exec(l)![0]));
      for (const name of served) assert.ok(exported.has(name), `${name} is served but not found in the code`);
    });
  });

  describe('PrometheusRule', () => {
    let rules: Rule[];
    before(async () => {
      const docs = await loadYamlDocuments(join(monitoringDir, 'prometheus-rule.yaml'));
      assert.equal(docs.length, 1);
      assert.deepEqual(await validateKubernetesObject(docs[0]!.object), []);
      const spec = docs[0]!.object.spec as { groups: { name: string; rules: Rule[] }[] };
      rules = spec.groups.flatMap((g) => g.rules);
    });

    it('alerts on a stalled drain, a failed operation, a stale exclusion or one left in place, an unready or absent worker, and no run in 25 h', () => {
      const byAlert = new Map(rules.map((r) => [r.alert, r]));
      assert.deepEqual([...byAlert.keys()].sort(), [
        'EsScalerDrainStalled',
        'EsScalerExclusionLeftInPlace',
        'EsScalerNoRecentOperation',
        'EsScalerOperationFailed',
        'EsScalerStaleExclusion',
        'EsScalerWorkerAbsent',
        'EsScalerWorkerNotReady',
      ]);
      assert.match(byAlert.get('EsScalerNoRecentOperation')!.expr, /\[25h\]/);
      assert.match(byAlert.get('EsScalerDrainStalled')!.expr, /es_scaler_drain_stalls/);
      assert.match(byAlert.get('EsScalerOperationFailed')!.expr, /outcome="failed"/);
    });

    it('has expressions that parse and select only series the worker exports', () => {
      for (const rule of rules) {
        for (const name of metricNamesIn(rule.expr)) assert.ok(exported.has(name), `${rule.alert}: ${name} is not exported by the worker (${[...exported].join(', ')})`);
      }
    });

    it('gives every alert a severity, a summary, a description, a runbook section that exists, and a valid `for`', async () => {
      const runbook = await readFile(join(packageRoot, 'docs', 'runbook.md'), 'utf8');
      const anchors = new Set([...runbook.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
      for (const rule of rules) {
        assert.match(rule.labels?.severity ?? '', /^(warning|critical)$/, `${rule.alert} severity`);
        assert.ok(rule.annotations?.summary && rule.annotations.description, `${rule.alert} summary and description`);
        const [file, anchor] = (rule.annotations.runbook ?? '').split('#');
        assert.equal(file, 'docs/runbook.md', `${rule.alert} runbook`);
        assert.ok(anchors.has(anchor!), `${rule.alert}: docs/runbook.md has no section #${anchor} (${[...anchors].join(', ')})`);
        if (rule.for !== undefined) assert.notEqual(parseDuration(rule.for), undefined, `${rule.alert} for: ${rule.for}`);
      }
    });
  });

  describe('Grafana dashboard', () => {
    let dashboard: Dashboard;
    let panels: Panel[];
    before(async () => {
      dashboard = JSON.parse(await readFile(join(monitoringDir, 'grafana-dashboard.json'), 'utf8')) as Dashboard;
      panels = allPanels(dashboard.panels);
    });

    it('has queries that parse and select only series the worker exports, in every panel', () => {
      const targets = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
      assert.ok(targets.length >= panels.length, 'every panel queries something');
      const used = new Set<string>();
      for (const { panel, expr } of targets) {
        const names = metricNamesIn(withGrafanaVariables(expr));
        assert.ok(names.length > 0, `${panel}: ${expr}`);
        for (const name of names) {
          assert.ok(exported.has(name), `${panel}: ${name} is not exported by the worker`);
          used.add(name);
        }
      }
      const notShown = [...exported].filter((n) => !used.has(n) && !n.endsWith('_sum') && !n.endsWith('_count'));
      assert.deepEqual(notShown, [], 'every es-scaler metric has a panel');
    });

    it('takes its cluster list from an exported metric and has unique panel ids on the grid', () => {
      const cluster = dashboard.templating.list.find((v) => v.name === 'cluster')!;
      const query = typeof cluster.query === 'string' ? cluster.query : cluster.query!.query;
      const [, metric] = /^label_values\((\w+), cluster\)$/.exec(query) ?? [];
      assert.ok(metric && exported.has(metric), query);
      assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, 'unique ids');
      for (const p of panels) assert.ok(p.gridPos.x + p.gridPos.w <= 24 && p.gridPos.w > 0 && p.gridPos.h > 0, `${p.title} fits the 24-column grid`);
    });
  });
});
