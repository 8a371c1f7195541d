import { KubeConfig } from '@kubernetes/client-node';

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
