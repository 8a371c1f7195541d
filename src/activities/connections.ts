// Clients for each configured cluster. Credentials are read from the worker's environment or
// mounted files each time a client is asked for, so a rotated secret is picked up without a
// restart; they never travel through workflow inputs or history.
import { readFileSync } from 'node:fs';
import type { Client as ElasticsearchClient, ClientOptions } from '@elastic/elasticsearch';
import type { AppsV1Api, CoreV1Api, EventsV1Api, KubeConfig } from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import type { ClusterConfig, Config } from '../config/schema.js';
import { searchClient } from './search-client.js';
import type { ClusterPolicy } from '../workflows/types.js';

export interface KubernetesTarget {
  apps: AppsV1Api;
  core: CoreV1Api;
  events: EventsV1Api;
  namespace: string;
  statefulSet: string;
}

export class ClusterConnections {
  private readonly elasticsearchClients = new Map<string, { fingerprint: string; client: ElasticsearchClient }>();
  private readonly kubernetesClients = new Map<string, KubernetesTarget>();

  constructor(private readonly config: Config) {}

  clusterConfig(cluster: string): ClusterConfig {
    const found = this.config.clusters[cluster];
    if (!found) {
      throw ApplicationFailure.nonRetryable(
        `cluster: unknown cluster "${cluster}" (configured: ${Object.keys(this.config.clusters).join(', ')})`,
        'UnknownCluster',
      );
    }
    return found;
  }

  policy(cluster: string): ClusterPolicy {
    const c = this.clusterConfig(cluster);
    return {
      cluster,
      namespace: c.kubernetes.namespace,
      statefulSet: c.kubernetes.statefulSet,
      minReplicas: c.minReplicas,
      maxReplicas: c.maxReplicas,
      exclusionAttribute: c.exclusionAttribute,
      preflight: c.preflight,
      sweepStaleExclusions: c.sweepStaleExclusions,
      pollIntervalMs: c.pollInterval,
      stallAfterMs: c.stallAfter,
      drainMethod: c.drainMethod,
    };
  }

  elasticsearch(cluster: string): ElasticsearchClient {
    const { elasticsearch, engine } = this.clusterConfig(cluster);
    const options: ClientOptions = { node: elasticsearch.url, requestTimeout: 30_000 };
    if (elasticsearch.auth) options.auth = readAuth(elasticsearch.auth);
    if (elasticsearch.caFile) options.tls = { ca: readFileSync(elasticsearch.caFile, 'utf8') };
    const fingerprint = JSON.stringify([engine, options.auth, options.tls]);
    const cached = this.elasticsearchClients.get(cluster);
    if (cached?.fingerprint === fingerprint) return cached.client;
    void cached?.client.close();
    const client = searchClient(engine, options);
    this.elasticsearchClients.set(cluster, { fingerprint, client });
    return client;
  }

  async kubernetes(cluster: string): Promise<KubernetesTarget> {
    const cached = this.kubernetesClients.get(cluster);
    if (cached) return cached;
    const { kubernetes } = this.clusterConfig(cluster);
    // Loaded on first use: importing the Kubernetes client takes a good part of the worker's start-up.
    const [{ AppsV1Api, CoreV1Api, EventsV1Api, KubeConfig }, { kubeConfigForServer }] = await Promise.all([
      import('@kubernetes/client-node'),
      import('../util/kube-config.js'),
    ]);
    const kubeConfig = kubernetes.apiServer
      ? kubeConfigForServer(kubernetes.apiServer, { tokenFile: kubernetes.tokenFile! }, { name: cluster, caFile: kubernetes.caFile })
      : ambientKubeConfig(new KubeConfig(), kubernetes.context);
    requireCredentials(kubeConfig, cluster);
    const target = {
      apps: kubeConfig.makeApiClient(AppsV1Api),
      core: kubeConfig.makeApiClient(CoreV1Api),
      events: kubeConfig.makeApiClient(EventsV1Api),
      namespace: kubernetes.namespace,
      statefulSet: kubernetes.statefulSet,
    };
    this.kubernetesClients.set(cluster, target);
    return target;
  }

  async close(): Promise<void> {
    await Promise.all([...this.elasticsearchClients.values()].map(({ client }) => client.close()));
    this.elasticsearchClients.clear();
  }
}

/**
 * A named kubeconfig context always wins (KUBECONFIG / ~/.kube/config), also inside a cluster:
 * it names another cluster than the one the worker runs in. Without one: the worker's service
 * account in a cluster, else the kubeconfig's current context.
 * ES_SCALER_SERVICEACCOUNT_ROOT, if set, is a folder that holds the service-account files under
 * their usual path (var/run/secrets/kubernetes.io/serviceaccount/): for a worker that runs outside
 * a pod with a pod's identity, as the real-Kubernetes tests do.
 */
function ambientKubeConfig(kubeConfig: KubeConfig, context: string | undefined): KubeConfig {
  if (context) {
    kubeConfig.loadFromDefault();
    if (!kubeConfig.getContextObject(context)) {
      throw ApplicationFailure.nonRetryable(
        `kubernetes.context: no context "${context}" in the worker's kubeconfig (has: ${kubeConfig.getContexts().map((c) => c.name).join(', ') || 'none'})`,
        'BadKubernetesContext',
      );
    }
    kubeConfig.setCurrentContext(context);
  } else if (process.env.KUBERNETES_SERVICE_HOST) {
    kubeConfig.loadFromCluster(process.env.ES_SCALER_SERVICEACCOUNT_ROOT ?? '');
  } else {
    kubeConfig.loadFromDefault();
  }
  return kubeConfig;
}

/** es-scaler never talks to an API server anonymously: a user without any credential is a config error. */
function requireCredentials(kubeConfig: KubeConfig, cluster: string): void {
  const user = kubeConfig.getCurrentUser();
  const hasCredential = !!user && !!(user.token || user.authProvider || user.exec || user.certData || user.certFile || user.username);
  if (!hasCredential) {
    throw ApplicationFailure.nonRetryable(
      `kubernetes: no credentials for cluster "${cluster}" (context "${kubeConfig.getCurrentContext()}" has a user without token, certificate or exec plugin); es-scaler never connects anonymously`,
      'MissingCredentials',
    );
  }
}

type AuthRef = NonNullable<ClusterConfig['elasticsearch']['auth']>;

function readAuth(ref: AuthRef): NonNullable<ClientOptions['auth']> {
  if ('apiKeyEnv' in ref) return { apiKey: fromEnv(ref.apiKeyEnv) };
  if ('apiKeyFile' in ref) return { apiKey: fromFile(ref.apiKeyFile) };
  if ('usernameEnv' in ref) return { username: fromEnv(ref.usernameEnv), password: fromEnv(ref.passwordEnv) };
  return { username: fromFile(ref.usernameFile), password: fromFile(ref.passwordFile) };
}

function fromEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw ApplicationFailure.nonRetryable(`elasticsearch.auth: environment variable ${name} is not set on the worker`, 'MissingCredentials');
  return value;
}

function fromFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw ApplicationFailure.nonRetryable(`elasticsearch.auth: cannot read ${path} on the worker: ${(err as Error).message}`, 'MissingCredentials');
  }
}
