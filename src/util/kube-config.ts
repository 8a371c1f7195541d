import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { createConfiguration, KubeConfig, ServerConfiguration, type Configuration, type RequestContext, type SecurityAuthentication } from '@kubernetes/client-node';

/** How a client proves who it is to an API server: a bearer token, inline or read from a file. */
export type KubeCredentials = { token: string } | { tokenFile: string };

/**
 * A kubeconfig for one API server URL with a bearer token. A token file is re-read as it
 * rotates (the client reads it again after a minute), like a projected service-account token.
 * https is verified (with `caFile` when given); plain http is accepted for loopback test servers.
 */
export function kubeConfigForServer(server: string, credentials: KubeCredentials, options: { name?: string; caFile?: string } = {}): KubeConfig {
  const name = options.name ?? 'es-scaler';
  const user =
    'token' in credentials
      ? { name, token: credentials.token }
      : { name, authProvider: { name: 'tokenFile', config: { tokenFile: credentials.tokenFile } } };
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name, server, skipTLSVerify: server.startsWith('http:'), ...(options.caFile && { caFile: options.caFile }) }],
    users: [user],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return kubeConfig;
}

/**
 * Kubernetes API clients that reuse their connections. The client library makes a new agent, and
 * so a new TCP connection and TLS handshake, for every request; these clients go through one
 * keep-alive agent per set of TLS options instead (the options can change: an exec plugin may
 * hand out a new client certificate). Credentials are applied by the kubeconfig on every request
 * as before, so a rotated token is still read.
 */
export class ReusedConnections implements SecurityAuthentication {
  private readonly agents = new Map<string, http.Agent>();

  constructor(private readonly kubeConfig: KubeConfig) {}

  getName(): string {
    return 'kubeconfig, connections reused';
  }

  apiClient<T>(type: new (configuration: Configuration) => T): T {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error(`kubeconfig: no cluster for context "${this.kubeConfig.getCurrentContext()}"`);
    return new type(createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: this } }));
  }

  async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await this.kubeConfig.applySecurityAuthentication(context);
    const made = context.getAgent();
    // a proxy's agent (the cluster has a proxy-url) is used as made
    if (made && (made.constructor === https.Agent || made.constructor === http.Agent)) context.setAgent(this.reused(made));
  }

  /** Stops the kept connections. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private reused(made: http.Agent): http.Agent {
    // Node keeps the options an agent was made with, TLS material included, in `agent.options`
    const options = (made as http.Agent & { options: https.AgentOptions }).options;
    const hash = createHash('sha256').update(made.constructor.name);
    for (const part of [options.ca, options.cert, options.key, options.pfx, options.passphrase, options.servername, options.rejectUnauthorized]) {
      hash.update(`|${Array.isArray(part) ? part.join('\n') : String(part ?? '')}`);
    }
    const key = hash.digest('hex');
    let agent = this.agents.get(key);
    if (!agent) {
      const Agent = made.constructor as typeof https.Agent;
      agent = new Agent({ ...options, keepAlive: true });
      this.agents.set(key, agent);
    }
    return agent;
  }
}
