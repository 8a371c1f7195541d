// Which metric names the worker's Prometheus endpoint serves, read from the code that creates the
// metrics, and which names a PromQL expression uses: for the alert and dashboard tests. Dev-time
// only (TypeScript's parser and Prometheus's own PromQL grammar); the worker never imports this.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import ts from 'typescript';

const CREATORS: Record<string, 'counter' | 'gauge' | 'histogram'> = {
  createCounter: 'counter',
  createUpDownCounter: 'gauge',
  createGauge: 'gauge',
  createHistogram: 'histogram',
};

export interface CreatedMetric {
  name: string;
  kind: 'counter' | 'gauge' | 'histogram';
  file: string;
}

/**
 * Every metric the TypeScript files under `dir` create through a Temporal MetricMeter
 * (`createCounter('name', ...)` and friends). A creation whose name is not a string literal throws:
 * the alert tests must know every name.
 */
export async function createdMetrics(dir: string): Promise<CreatedMetric[]> {
  const found: CreatedMetric[] = [];
  for (const file of await typeScriptFiles(dir)) {
    const source = ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && Object.hasOwn(CREATORS, node.expression.name.text)) {
        const [name] = node.arguments;
        const where = `${relative(dir, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (!name || !ts.isStringLiteralLike(name)) throw new Error(`${where}: the metric name is not a string literal`);
        found.push({ name: name.text, kind: CREATORS[node.expression.name.text]!, file: where });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/**
 * The series names Prometheus scrapes for these metrics, as the SDK's exporter writes them with
 * the worker's settings (src/worker/runtime.ts: no `_total` or unit suffixes): a histogram is its
 * `_bucket`, `_sum` and `_count` series.
 */
export function exportedSeriesNames(metrics: CreatedMetric[]): Set<string> {
  const names = new Set<string>();
  for (const { name, kind } of metrics) {
    if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}

const strict = parser.configure({ strict: true });

/** The metric names an expression selects. Throws with the position when it does not parse, or selects without a name. */
export function metricNamesIn(expression: string): string[] {
  let tree;
  try {
    tree = strict.parse(expression);
  } catch (err) {
    throw new Error(`PromQL does not parse (${(err as Error).message}): ${expression}`);
  }
  const names: string[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.name !== 'VectorSelector') continue;
    const selector = cursor.node;
    const identifier = selector.getChild('Identifier');
    if (!identifier) throw new Error(`a selector without a metric name: ${expression.slice(selector.from, selector.to)}`);
    names.push(expression.slice(identifier.from, identifier.to));
  } while (cursor.next());
  return names;
}

/** A Grafana query with its template variables replaced by values Prometheus accepts. */
export function withGrafanaVariables(expression: string): string {
  return expression
    .replace(/\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g, '5m')
    .replace(/\$\{(\w+)(:\w+)?\}|\$(\w+)/g, '.*');
}

async function typeScriptFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await typeScriptFiles(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}
