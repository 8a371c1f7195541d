// What the demo reads from the cluster to show and check the outcome, through the official clients
// (as anyone with kubectl and curl would see it): StatefulSet replicas, Elasticsearch data nodes,
// every cluster.routing.allocation.exclude.* entry, and health.
import type { Client as ElasticsearchClient } from '@elastic/elasticsearch';
import type { AppsV1Api } from '@kubernetes/client-node';
import { readSettings } from '../activities/elasticsearch.js';
import { effectiveExclusions } from '../domain/exclusion-list.js';

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
  const entries = effectiveExclusions(await readSettings(es));
  return Object.fromEntries(Object.entries(entries).map(([attribute, values]) => [attribute, values.join(',')]));
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
