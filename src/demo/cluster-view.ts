// What the demo reads from the cluster to show and check the outcome, through the official clients
// (as anyone with kubectl and curl would see it): StatefulSet replicas, Elasticsearch data nodes,
// every cluster.routing.allocation.exclude.* entry, and health.
import type { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import type { AppsV1Api } from '@kubernetes/client-node';

const EXCLUDE_PREFIX = 'cluster.routing.allocation.exclude.';

export interface ClusterView {
  replicas: number;
  esNodes: string[];
  /** attribute → comma-separated values, transient over persistent, empty values left out. */
  exclusions: Record<string, string>;
  health: string;
}

export interface ViewClients {
  es: ElasticsearchClient;
  apps: AppsV1Api;
  namespace: string;
  statefulSet: string;
}

export async function readExclusions(es: ElasticsearchClient): Promise<Record<string, string>> {
  const settings = await es.cluster.getSettings({ flat_settings: true });
  const merged: Record<string, string> = {};
  for (const scope of [settings.persistent, settings.transient]) {
    for (const [key, value] of Object.entries(scope ?? {})) {
      if (!key.startsWith(EXCLUDE_PREFIX)) continue;
      const text = Array.isArray(value) ? value.join(',') : String(value);
      merged[key.slice(EXCLUDE_PREFIX.length)] = text;
    }
  }
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== ''));
}

export async function readClusterView({ es, apps, namespace, statefulSet }: ViewClients): Promise<ClusterView> {
  const [scale, nodes, exclusions, health] = await Promise.all([
    apps.readNamespacedStatefulSetScale({ name: statefulSet, namespace }),
    es.cat.nodes({ format: 'json', h: 'name,node.role' }) as Promise<{ name?: string; 'node.role'?: string }[]>,
    readExclusions(es),
    es.cluster.health(),
  ]);
  return {
    replicas: scale.spec?.replicas ?? 0,
    esNodes: nodes
      .filter((n) => (n['node.role'] ?? 'd').includes('d'))
      .map((n) => n.name ?? '?')
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    exclusions,
    health: String(health.status).toLowerCase(),
  };
}

/** "_ip=10.42.0.16" or "none". */
export function exclusionsText(exclusions: Record<string, string>): string {
  const entries = Object.entries(exclusions);
  return entries.length === 0 ? 'none' : entries.map(([attr, values]) => `${attr}=${values}`).join(', ');
}
