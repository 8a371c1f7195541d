// Capacity pre-flight I/O: reads what the predictions need from Elasticsearch (health per index, cluster settings,
// node roles and fs stats, shard store sizes, index settings), computes the verdict here and returns only the
// verdict, so nothing that grows with the shard count reaches workflow history.
import type { Client } from '@elastic/elasticsearch';
import type { ClusterFacts, CopyFacts, IndexFacts, NodeFacts } from '../domain/capacity/facts.js';
import type { HealthFacts, HealthStatus } from '../domain/capacity/health.js';
import { capacityVerdict, type CapacityVerdict, type PreflightPolicy } from '../domain/capacity/verdict.js';
import { effectiveExclusions, type ClusterSettings } from '../domain/exclusion-list.js';
import type { ClusterConnections } from './connections.js';
import { readNodes, readSettings, type CatShard } from './elasticsearch.js';

/** What a scale-in needs before it excludes a node: the verdict, and what the exclusion step reads. */
export interface NodePreflight {
  capacity: CapacityVerdict;
  /** The exclusion lists in force (attribute → entries). */
  exclusions: Record<string, string[]>;
  nodeIp?: string;
  nodeZone?: string;
}

export function createCapacityActivities(connections: ClusterConnections) {
  return {
    /**
     * The pre-flight of one node before its drain: read-only, idempotent. `policy` is the one the workflow loaded;
     * without it (a workflow that loaded its policy before pre-flight policies existed) the cluster's config is used.
     */
    async preflightNode(cluster: string, node: string, policy?: PreflightPolicy): Promise<NodePreflight> {
      const client = connections.elasticsearch(cluster);
      const [{ facts, health, settings }, nodes] = await Promise.all([readCapacityFacts(client), readNodes(client)]);
      const found = nodes.find((n) => n.name === node);
      const capacity = capacityVerdict(facts, health, node, policy ?? connections.clusterConfig(cluster).preflight);
      return { capacity, exclusions: effectiveExclusions(settings), ...(found && { nodeIp: found.ip }), ...(capacity.zone !== undefined && { nodeZone: capacity.zone }) };
    },
  };
}

/** Everything the predictions read, in five requests. */
export async function readCapacityFacts(client: Client): Promise<{ facts: ClusterFacts; health: HealthFacts; settings: ClusterSettings }> {
  const [settings, stats, shards, indexSettings, health] = await Promise.all([
    readSettings(client),
    client.nodes.stats({ metric: 'fs' }),
    client.cat.shards({ format: 'json', bytes: 'b', h: 'index,shard,prirep,state,node,store' }) as Promise<CatShard[]>,
    client.indices.getSettings({ flat_settings: true, expand_wildcards: 'open' }),
    client.cluster.health({ level: 'indices' }),
  ]);
  const nodes = Object.values(stats.nodes).map(
    (n): NodeFacts => ({
      name: n.name ?? '',
      roles: [...(n.roles ?? [])],
      attributes: { ...(n.attributes ?? {}) } as Record<string, string>,
      ...(n.host === undefined ? {} : { ip: n.host }),
      totalBytes: n.fs?.total?.total_in_bytes ?? 0,
      availableBytes: n.fs?.total?.available_in_bytes ?? 0,
    }),
  );
  const indices: Record<string, IndexFacts> = {};
  for (const [name, body] of Object.entries(indexSettings)) {
    const flat = flatIndexSettings(body.settings as Record<string, unknown> | undefined);
    indices[name] = { name, shards: Number(flat.number_of_shards ?? 1), copies: 1 + Number(flat.number_of_replicas ?? 0), settings: flat };
  }
  const copies = shards.flatMap((s): CopyFacts[] => {
    const node = currentNode(s);
    if (!node || s.index === undefined) return [];
    return [{ index: s.index, shard: Number(s.shard), primary: s.prirep === 'p', node, bytes: Number(s.store ?? 0) || 0 }];
  });
  const indexHealth = Object.entries(health.indices ?? {}).map(([name, h]) => ({ name, status: String(h.status).toLowerCase() as HealthStatus }));
  return {
    settings,
    facts: { nodes, copies, indices, settings: { ...settings.persistent, ...settings.transient } },
    health: { status: String(health.status).toLowerCase() as HealthStatus, indices: indexHealth.filter((i) => i.status !== 'green') },
  };
}

/** Where the copy will be: a relocation ("src -> ip id target") counts at its target; unassigned copies nowhere. */
function currentNode(s: CatShard): string | undefined {
  if (!s.node || s.state === 'UNASSIGNED') return undefined;
  const arrow = s.node.split(' -> ');
  return arrow.length === 2 ? arrow[1]!.split(' ').at(-1) : s.node;
}

/** Flat index settings without the "index." prefix, every value a string. */
function flatIndexSettings(settings: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings ?? {})) out[k.replace(/^index\./, '')] = Array.isArray(v) ? v.join(',') : String(v);
  return out;
}
