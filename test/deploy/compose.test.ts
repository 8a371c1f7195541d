import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { composeSchemaProblems, imagePinProblem, loadComposeFile } from '../../src/deploy-check/compose.js';
import { parseConfigText } from '../../src/config/load.js';
import { parseDuration } from '../../src/config/duration.js';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/search-attributes.js';
import { packageRoot } from '../../src/util/paths.js';
import { loadScenarioFile } from '../../src/sandbox/scenario.js';

interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: ({ type: string; source?: string; target?: string; read_only?: boolean } | string)[];
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  stop_grace_period?: string;
  ports?: (string | number | { published?: string | number; host_ip?: string })[];
}

function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

describe('docker-compose.yml', () => {
  const composePath = join(packageRoot, 'docker-compose.yml');
  let compose: Record<string, unknown>;
  let services: Record<string, Service>;

  before(() => {
    compose = loadComposeFile(composePath);
    services = compose.services as Record<string, Service>;
  });

  it('validates against the Compose Specification schema', () => {
    assert.deepEqual(composeSchemaProblems(compose), []);
  });

  it('the schema check rejects a broken file (it is not a no-op)', () => {
    const problems = composeSchemaProblems({
      services: { a: { image: 'x:1', healthcheck: { interval: 'five seconds' }, depends_on: { b: { condition: 'service_ready' } }, restart_policy: 'always' } },
    });
    assert.ok(problems.some((p) => p.includes('restart_policy')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('/healthcheck/interval') && p.includes('duration')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('/depends_on')), problems.join('\n'));
  });

  it('publishes every port on the loopback interface only', () => {
    const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, port })));
    assert.ok(published.length >= 6, 'Temporal, its UI, Elasticsearch, the Kubernetes API and the worker are reachable from the host');
    for (const { name, port } of published) {
      const hostIp = typeof port === 'object' ? port.host_ip : /^(\d+\.\d+\.\d+\.\d+|\[[^\]]+\]):/.exec(String(port))?.[1];
      assert.equal(hostIp, '127.0.0.1', `${name}: ${JSON.stringify(port)} is published on every interface`);
    }
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      assert.ok(service.image, `${name} names an image`);
      assert.equal(imagePinProblem(service.image), undefined, `${name}`);
    }
    assert.match(imagePinProblem('temporalio/temporal') ?? '', /no tag/);
    assert.match(imagePinProblem('temporalio/temporal:latest') ?? '', /moving tag/);
    assert.match(imagePinProblem('localhost:5000/es-scaler') ?? '', /no tag/);
    assert.equal(imagePinProblem('localhost:5000/es-scaler:0.1.0'), undefined);
    assert.equal(imagePinProblem(`node@sha256:${'a'.repeat(64)}`), undefined);
  });

  it('waits for healthy dependencies, and every dependency has a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.depends_on) continue;
      assert.ok(!Array.isArray(service.depends_on), `${name}: depends_on with conditions`);
      for (const [dependency, { condition }] of Object.entries(service.depends_on)) {
        assert.equal(condition, 'service_healthy', `${name} -> ${dependency}`);
        assert.ok(services[dependency]?.healthcheck?.test && !services[dependency]?.healthcheck?.disable, `${dependency} has a healthcheck`);
      }
    }
    assert.deepEqual(Object.keys(services.worker?.depends_on ?? {}).sort(), ['es-data-0', 'es-data-1', 'es-data-2', 'sandbox-k8s', 'temporal']);
  });

  it('runs a three-node Elasticsearch 8 cluster, one node per zone, with allocation awareness and security off', () => {
    const nodes = Object.entries(services).filter(([, s]) => s.image?.startsWith('docker.elastic.co/elasticsearch/elasticsearch:'));
    assert.equal(nodes.length, 3);
    const zones = nodes.map(([name, s]) => {
      const env = environment(s);
      assert.match(s.image!, /:8\.\d+\.\d+$/, `${name} runs Elasticsearch 8.x`);
      assert.equal(env['node.name'], name, `${name}: node.name is the service (pod) name`);
      assert.equal(env['cluster.routing.allocation.awareness.attributes'], 'zone');
      assert.equal(env['xpack.security.enabled'], 'false');
      assert.match(env.ES_JAVA_OPTS ?? '', /-Xmx\d+m/);
      return env['node.attr.zone'];
    });
    assert.deepEqual(zones.sort(), ['a', 'b', 'c']);
  });

  it('starts the Temporal dev server with the search attributes the workflows set', () => {
    const temporal = services.temporal!;
    assert.match(temporal.image ?? '', /^temporalio\/temporal:/);
    const command = temporal.command as string[];
    assert.deepEqual(command.slice(0, 2), ['server', 'start-dev']);
    const registered = command.flatMap((arg, i) => (command[i - 1] === '--search-attribute' ? [arg] : []));
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) assert.ok(registered.includes(`${name}=${type}`), `--search-attribute ${name}=${type}`);
  });

  it('builds the worker and the simulated Kubernetes API from deploy/Dockerfile', () => {
    for (const name of ['worker', 'sandbox-k8s']) {
      const build = services[name]?.build;
      assert.ok(build && typeof build === 'object', `${name} is built`);
      assert.ok(existsSync(resolve(packageRoot, build.context ?? '.', build.dockerfile ?? 'Dockerfile')), `${name}: Dockerfile exists`);
      assert.equal(resolve(packageRoot, build.context ?? '.', build.dockerfile ?? 'Dockerfile'), join(packageRoot, 'deploy', 'Dockerfile'));
    }
    assert.deepEqual(services['sandbox-k8s']!.command?.slice(0, 2), ['node', 'lib/src/sandbox/main.js']);
  });

  it('simulates a StatefulSet whose pods are the Elasticsearch containers, zone for zone', async () => {
    const sandbox = services['sandbox-k8s']!;
    const topologyMount = (sandbox.volumes as { source: string; target: string }[]).find((v) => v.target === sandbox.command![2]);
    assert.ok(topologyMount, 'the topology file given on the command line is mounted');
    const topology = await loadScenarioFile(resolve(packageRoot, topologyMount.source));
    const pods = topology.zones.map((zone, ordinal) => ({ name: `${topology.statefulSet}-${ordinal}`, zone }));
    const esNodes = Object.values(services)
      .map(environment)
      .filter((env) => 'node.attr.zone' in env)
      .map((env) => ({ name: env['node.name'], zone: env['node.attr.zone'] }));
    assert.deepEqual(pods, esNodes);
    assert.deepEqual(sandbox.command!.slice(3), ['--host', '0.0.0.0', '--k8s-port', '8001', '--k8s-token-file', '/etc/es-scaler/k8s-token']);
  });

  it('points the worker at a valid compose-specific config file that it mounts', () => {
    const worker = services.worker!;
    const env = environment(worker);
    const mount = worker.volumes?.find((v) => typeof v === 'object' && v.target === env.ES_SCALER_CONFIG);
    assert.ok(mount && typeof mount === 'object' && mount.source, `ES_SCALER_CONFIG ${env.ES_SCALER_CONFIG} is bind-mounted`);
    assert.equal(mount.read_only, true);
    const source = resolve(packageRoot, mount.source);
    assert.equal(source, join(packageRoot, 'deploy', 'compose', 'es-scaler.yaml'));
    const config = parseConfigText(readFileSync(source, 'utf8'), source);
    const [host] = config.temporal.address.split(':');
    assert.ok(host && services[host], `temporal.address ${config.temporal.address} is a compose service`);
    for (const [name, cluster] of Object.entries(config.clusters)) {
      for (const url of [cluster.kubernetes.apiServer, cluster.elasticsearch.url]) {
        assert.ok(url, `${name}: URL set`);
        assert.ok(services[new URL(url).hostname], `${name}: ${url} is a compose service`);
      }
    }
  });

  it('hardens the worker container like the Kubernetes Deployment', () => {
    const worker = services.worker!;
    assert.equal(worker.user, '10001:10001');
    assert.equal(worker.read_only, true);
    assert.deepEqual(worker.cap_drop, ['ALL']);
    const grace = parseDuration(environment(worker).ES_SCALER_SHUTDOWN_GRACE ?? '60s');
    const stop = parseDuration(worker.stop_grace_period ?? '10s');
    assert.ok(grace !== undefined && stop !== undefined && stop > grace, 'stop_grace_period exceeds the shutdown grace');
  });
});
