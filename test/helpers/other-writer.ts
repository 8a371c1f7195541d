// Another actor on the same cluster (an operator with kubectl, another tool with curl): writes
// through the official clients, as es-scaler's neighbours would.
import { Client } from '@elastic/elasticsearch';
import { AppsV1Api } from '@kubernetes/client-node';
import { kubeConfigForServer } from '../../src/util/kube-config.js';

export class OtherWriter {
  readonly es: Client;
  private readonly apps: AppsV1Api;

  constructor(
    target: { esUrl: string; k8sUrl: string; k8sToken: string },
    private readonly namespace: string,
    private readonly statefulSet: string,
  ) {
    this.es = new Client({ node: target.esUrl });
    this.apps = kubeConfigForServer(target.k8sUrl, { token: target.k8sToken }, { name: 'other-writer' }).makeApiClient(AppsV1Api);
  }

  /** `kubectl scale statefulset --replicas N`. */
  async scale(replicas: number): Promise<void> {
    const scale = await this.apps.readNamespacedStatefulSetScale({ name: this.statefulSet, namespace: this.namespace });
    await this.apps.replaceNamespacedStatefulSetScale({ name: this.statefulSet, namespace: this.namespace, body: { ...scale, spec: { replicas } } });
  }

  /** `PUT _cluster/settings` with flat keys. */
  async putSettings(scope: 'persistent' | 'transient', settings: Record<string, string | null>): Promise<void> {
    await this.es.cluster.putSettings({ [scope]: settings });
  }

  close(): Promise<void> {
    return this.es.close();
  }
}
