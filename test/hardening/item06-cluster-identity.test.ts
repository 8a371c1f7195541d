// Issue 9 item 6: two config entries with the same namespace/StatefulSet in different Kubernetes
// clusters are two workflows; an ambiguous config is refused naming the field; `context` is
// honoured (also in-cluster); es-scaler never builds an unauthenticated Kubernetes client.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterConnections } from '../../src/activities/connections.js';
import { createKubernetesActivities } from '../../src/activities/kubernetes.js';
import { clusterWorkflowIdOf } from '../../src/temporal/submit-target.js';
import { defineConfig } from '../../src/config/load.js';
import { startSandbox, scenarios, type Sandbox } from '../../src/sandbox/index.js';
import { configProblems } from '../helpers/config-problems.js';
import { eventually } from '../helpers/eventually.js';
import { Harness, harnessConfig } from '../helpers/harness.js';
import { Observer } from '../helpers/observer.js';

const base = { elasticsearch: { url: 'http://es:9200' }, minReplicas: 1, maxReplicas: 10 };

const problems = (input: unknown): string => configProblems(input).join('\n');

describe('issue 9 item 6: cluster identity', function () {
  it('the same namespace/StatefulSet in two contexts gets two workflows', () => {
    const config = defineConfig({
      clusters: {
        eu: { ...base, kubernetes: { namespace: 'search', statefulSet: 'es-data', context: 'eu-prod' } },
        us: { ...base, kubernetes: { namespace: 'search', statefulSet: 'es-data', context: 'us-prod' } },
      },
    });
    assert.notEqual(clusterWorkflowIdOf(config, 'eu'), clusterWorkflowIdOf(config, 'us'));
    assert.equal(clusterWorkflowIdOf(config, 'eu'), 'cluster/eu-prod/search/es-data');
  });

  it('refuses two entries for one StatefulSet, naming the field', () => {
    const k = { namespace: 'search', statefulSet: 'es-data' };
    assert.match(problems({ clusters: { a: { ...base, kubernetes: k }, b: { ...base, kubernetes: k } } }), /^clusters\.b\.kubernetes: the same StatefulSet as clusters\.a/m);
  });

  it('never an anonymous client: apiServer needs a token file', () => {
    assert.match(problems({ clusters: { a: { ...base, kubernetes: { namespace: 'a', statefulSet: 'b', apiServer: 'https://k8s:6443' } } } }), /clusters\.a\.kubernetes\.tokenFile: expected a token file with apiServer/);
  });

  describe('against two simulated Kubernetes clusters with the same namespace/StatefulSet', function () {
    const sandboxes: Sandbox[] = [];
    const harnesses: Harness[] = [];
    let dir: string;
    afterEach(async () => {
      for (const h of harnesses.splice(0)) await h.closeWorkflowsAndWorker();
      for (const s of sandboxes.splice(0)) await s.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('scaling one leaves the other alone', async () => {
      for (let i = 0; i < 2; i++) sandboxes.push(await startSandbox(scenarios['even-8']!));
      const [one, two] = sandboxes as [Sandbox, Sandbox];
      const { config: c1, temporal } = await harnessConfig({
        cluster: 'one',
        taskQueue: 'identity-test',
        kubernetes: { namespace: 'search', statefulSet: 'es-data', apiServer: one.k8sUrl, tokenFile: one.k8sTokenFile },
        elasticsearchUrl: one.esUrl,
        policy: { pollInterval: '200ms' },
      });
      const config = defineConfig({
        temporal: c1.temporal,
        clusters: {
          one: { ...base, elasticsearch: { url: one.esUrl }, pollInterval: '200ms', kubernetes: { namespace: 'search', statefulSet: 'es-data', apiServer: one.k8sUrl, tokenFile: one.k8sTokenFile } },
          two: { ...base, elasticsearch: { url: two.esUrl }, pollInterval: '200ms', kubernetes: { namespace: 'search', statefulSet: 'es-data', apiServer: two.k8sUrl, tokenFile: two.k8sTokenFile } },
        },
      });
      const h1 = new Harness('one', config, temporal);
      const h2 = new Harness('two', config, temporal);
      harnesses.push(h1, h2);
      await h1.startWorker();
      await h1.submit(7);
      await h2.submit(6);
      const o1 = new Observer(one, 'search', 'es-data');
      const o2 = new Observer(two, 'search', 'es-data');
      try {
        await eventually('one at 7 and two at 6', async () => (await o1.replicas()) === 7 && (await o2.replicas()) === 6, 60_000, 200);
        await h1.finishedOperations(1);
        await h2.finishedOperations(1);
        assert.equal(await o1.replicas(), 7);
      } finally {
        await o1.close();
        await o2.close();
      }
    });

    it('honours kubernetes.context even where KUBERNETES_SERVICE_HOST is set (in a pod)', async () => {
      const sandbox = await startSandbox(scenarios['even-8']!);
      sandboxes.push(sandbox);
      dir = await mkdtemp(join(tmpdir(), 'es-scaler-kubeconfig-'));
      const kubeconfig = join(dir, 'config');
      await writeFile(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters: [{ name: sandbox, cluster: { server: "' + sandbox.k8sUrl + '", insecure-skip-tls-verify: true } }]',
          'users: [{ name: tester, user: { token: "' + sandbox.k8sToken + '" } }, { name: nobody, user: {} }]',
          'contexts: [{ name: sandbox, context: { cluster: sandbox, user: tester } }, { name: anonymous, context: { cluster: sandbox, user: nobody } }]',
          'current-context: anonymous',
        ].join('\n'),
      );
      const saved = { KUBECONFIG: process.env.KUBECONFIG, KUBERNETES_SERVICE_HOST: process.env.KUBERNETES_SERVICE_HOST };
      process.env.KUBECONFIG = kubeconfig;
      process.env.KUBERNETES_SERVICE_HOST = '10.255.255.1'; // would be the in-cluster API: must not be used
      try {
        const withContext = (context: string) =>
          createKubernetesActivities(new ClusterConnections(defineConfig({ clusters: { c: { ...base, kubernetes: { namespace: 'search', statefulSet: 'es-data', context } } } })));
        assert.equal(await withContext('sandbox').readReplicas('c'), 8);
        await assert.rejects(withContext('anonymous').readReplicas('c'), /no credentials .* never connects anonymously/);
        await assert.rejects(withContext('missing').readReplicas('c'), /kubernetes\.context: no context "missing"/);
      } finally {
        for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });
  });
});
