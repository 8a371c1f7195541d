import { KubeConfig } from '@kubernetes/client-node';

/**
 * A kubeconfig for one API server URL with no credentials (the sandbox, `kubectl proxy`). The
 * client refuses plain http unless told there is no TLS to verify; https is always verified.
 */
export function kubeConfigForServer(server: string, name = 'es-scaler'): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name, server, skipTLSVerify: server.startsWith('http:') }],
    users: [{ name }],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return kubeConfig;
}
