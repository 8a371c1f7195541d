// Elasticsearch I/O: reading allocation state, editing exclusion lists, watching drains and joins.
// Every function is idempotent and safe to retry.
import type { Client } from '@elastic/elasticsearch';
import { drainVerdict, type DrainPoll } from '../domain/drain-safety.js';
import {
  addEntryBody,
  effectiveExclusions,
  removeEntryBody,
  scopeHolds,
  scopeInForce,
  type ClusterSettings,
  type ExclusionEntry,
  type SettingsBody,
  type SettingsScope,
} from '../domain/exclusion-list.js';
import { healthAtLeast, type ClusterHealth } from '../domain/health.js';
import { explainReasons, type AllocationExplanation } from './allocation-explain.js';
import type { ClusterConnections } from './connections.js';
import { watch } from './polling.js';
import { watchDrainUntilDecision, type DrainWatch, type DrainWatchRequest, type WatchRequest } from './drain-watch.js';
import type { StuckShardExplanation } from '../workflows/types.js';

/** The `_cat/shards` columns es-scaler reads; nothing else is transferred. */
const SHARD_COLUMNS = 'index,shard,prirep,state,node';
/** How often an exclusion edit is re-applied when another writer's concurrent PUT undid it. */
const EDIT_ATTEMPTS = 3;

/** A `_cat/shards` row in JSON, as much of it as es-scaler asks for. */
export interface CatShard {
  index?: string;
  shard?: string;
  prirep?: string;
  state?: string;
  node?: string | null;
  store?: string | null;
}

/** What an exclusion edit did: whether it wrote, where the entry lives, and any concurrent writer it noticed. */
export interface ExclusionEdit {
  changed: boolean;
  scope: SettingsScope;
  /** Set when another writer changed the same list around our write; our intent was re-applied. */
  conflict?: string;
}

export function createElasticsearchActivities(connections: ClusterConnections) {
  const es = (cluster: string) => connections.elasticsearch(cluster);

  return {
    /** The exclusions in force and the cluster's health: small, whatever the cluster's size. */
    async readExclusionsAndHealth(cluster: string): Promise<{ exclusions: Record<string, string[]>; health: ClusterHealth }> {
      const client = es(cluster);
      const [settings, health] = await Promise.all([readSettings(client), client.cluster.health()]);
      return { exclusions: effectiveExclusions(settings), health: health.status.toLowerCase() as ClusterHealth };
    },

    async addExclusion(cluster: string, entry: ExclusionEntry): Promise<ExclusionEdit> {
      return editExclusions(es(cluster), entry, (settings) => ({ scope: scopeInForce(settings, entry.attribute), body: addEntryBody(settings, entry.attribute, entry.value), present: true }));
    },

    /** Removes `entry` from `scope` (where the operation added it) or, when unknown, from the list in force. */
    async removeExclusion(cluster: string, entry: ExclusionEntry, scope?: SettingsScope): Promise<ExclusionEdit> {
      return editExclusions(es(cluster), entry, (settings) => {
        const where = scope ?? scopeInForce(settings, entry.attribute);
        return { scope: where, body: removeEntryBody(settings, entry.attribute, entry.value, where), present: false };
      });
    },

    /** Watches the drain of `node` with the exclusion method (drain-watch.ts says when it reports back). */
    async watchDrain(request: DrainWatchRequest): Promise<DrainWatch> {
      const client = es(request.cluster);
      return watchDrainUntilDecision(request, () => readDrain(client, request.node, request.entry));
    },

    /** The drain verdict now, in one read: the shrink's last check before it writes. */
    async readDrain(cluster: string, node: string): Promise<DrainPoll> {
      return readDrain(es(cluster), node);
    },

    /**
     * Asks Elasticsearch why a drain does not finish: _cluster/allocation/explain on a copy still on
     * `node`, or else on an unassigned copy (a drain also waits for those).
     */
    async explainStuckShards(cluster: string, node: string): Promise<StuckShardExplanation> {
      const client = es(cluster);
      const rows = (await client.cat.shards({ format: 'json', h: SHARD_COLUMNS })) as CatShard[];
      const onNode = rows.find((row) => holderOf(row) === node);
      const unassigned = rows.find((row) => row.state === 'UNASSIGNED');
      const row = onNode ?? unassigned;
      if (!row?.index || row.shard === undefined) return { stuck: false, reasons: [] };
      const explanation = await client.cluster.allocationExplain({
        index: row.index,
        shard: Number(row.shard),
        primary: row.prirep === 'p',
        ...(onNode && { current_node: node }),
      });
      return explainReasons(explanation as unknown as AllocationExplanation);
    },

    /**
     * Polls until `names` are all present in (or all gone from) the cluster; reports the count so far.
     * `ignoreIds` are node ids of an earlier incarnation (a pod with the same name still leaving):
     * such a node does not count as joined.
     */
    async watchNodes(request: WatchRequest & { names: string[]; present: boolean; lastMatching?: number; ignoreIds?: string[] }): Promise<{ matching: number }> {
      const client = es(request.cluster);
      const ignored = new Set(request.ignoreIds ?? []);
      return watch({
        ...request,
        poll: async () => {
          const inCluster = new Set((await readNodes(client)).filter((n) => !ignored.has(n.id)).map((n) => n.name));
          return { matching: request.names.filter((name) => inCluster.has(name) === request.present).length };
        },
        worthReporting: ({ matching }) => matching !== request.lastMatching || matching === request.names.length,
      });
    },

    /** The ids of the nodes named `names` now in the cluster. */
    async nodeIds(cluster: string, names: string[]): Promise<string[]> {
      const wanted = new Set(names);
      return (await readNodes(es(cluster))).filter((n) => wanted.has(n.name)).map((n) => n.id);
    },

    async watchHealth(request: WatchRequest & { atLeast: ClusterHealth }): Promise<{ health: ClusterHealth }> {
      const client = es(request.cluster);
      return watch({
        ...request,
        poll: async () => ({ health: (await client.cluster.health()).status.toLowerCase() as ClusterHealth }),
        worthReporting: ({ health }) => healthAtLeast(health, request.atLeast),
      });
    },
  };
}

/**
 * Read, write, read again. Elasticsearch has no compare-and-set on cluster settings, so the read
 * sits right before the write (nothing in between), and the read after it checks that our intent
 * held: if another writer's PUT, based on an older read, undid our edit, it is re-applied on the
 * list as it is now (keeping their entries) and the conflict is reported.
 */
async function editExclusions(
  client: Client,
  entry: ExclusionEntry,
  plan: (settings: ClusterSettings) => { scope: SettingsScope; body: SettingsBody | undefined; present: boolean },
): Promise<ExclusionEdit> {
  let changed = false;
  let conflict: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const { scope, body, present } = plan(await readSettings(client));
    if (body) {
      await client.cluster.putSettings(body as Parameters<Client['cluster']['putSettings']>[0]);
      changed = true;
    }
    const after = await readSettings(client);
    if (scopeHolds(after, entry.attribute, entry.value, scope) === present) return { changed, scope, ...(conflict && { conflict }) };
    conflict = `another writer changed ${scope} cluster.routing.allocation.exclude.${entry.attribute} at the same time and undid our ${present ? 'addition' : 'removal'} of ${entry.value}; re-applied on the list as it is now`;
    if (attempt >= EDIT_ATTEMPTS) throw new Error(`${conflict} ${attempt} times; giving up for now (the activity is retried)`);
  }
}

/** What a drain poll reads of the node's stats: nothing that grows with the cluster's shard count. */
const DRAIN_NODE_STATS = 'nodes.*.name,nodes.*.indices.shard_stats.total_count,nodes.*.indices.recovery.current_as_source';

interface DrainNodeStats {
  nodes?: Record<string, { name?: string; indices?: { shard_stats?: { total_count?: number }; recovery?: { current_as_source?: number } } }>;
}

/**
 * One look at a drain, in requests whose size does not grow with the cluster: the node's own stats
 * (the copies it holds, a relocating one included, and the recoveries copying from it) and the
 * cluster's unassigned count; with `entry`, also whether that exclusion is still in force (another
 * writer may have dropped it). An engine without shard_stats (OpenSearch, Elasticsearch before
 * 7.15) is read from `_cat/shards`, as before.
 */
async function readDrain(client: Client, node: string, entry?: ExclusionEntry): Promise<DrainPoll> {
  const [stats, health, settings] = await Promise.all([
    client.nodes.stats({ node_id: node, metric: 'indices', filter_path: DRAIN_NODE_STATS }) as Promise<DrainNodeStats>,
    client.cluster.health({ filter_path: 'unassigned_shards' }),
    entry ? readSettings(client) : undefined,
  ]);
  const found = Object.values(stats.nodes ?? {}).find((n) => n.name === node);
  const held = found?.indices?.shard_stats?.total_count;
  const verdict =
    found && held === undefined
      ? await readDrainFromShardTable(client, node, health.unassigned_shards)
      : drainVerdict({ nodePresent: found !== undefined, shardsLeft: held ?? 0, relocating: found?.indices?.recovery?.current_as_source ?? 0, unassigned: health.unassigned_shards });
  if (!entry || !settings) return verdict;
  return { ...verdict, entryInForce: effectiveExclusions(settings)[entry.attribute]?.includes(entry.value) ?? false };
}

/** The node's copies counted from the whole shard table: for engines whose node stats lack shard_stats. */
async function readDrainFromShardTable(client: Client, node: string, unassigned: number): Promise<DrainPoll> {
  const rows = (await client.cat.shards({ format: 'json', h: SHARD_COLUMNS })) as CatShard[];
  const onNode = rows.filter((row) => holderOf(row) === node);
  return drainVerdict({ nodePresent: true, shardsLeft: onNode.length, relocating: onNode.filter((row) => row.state === 'RELOCATING').length, unassigned });
}

/** `GET _cluster/settings`, flat, every value a string. */
export async function readSettings(client: Client): Promise<ClusterSettings> {
  const settings = await client.cluster.getSettings({ flat_settings: true });
  return { persistent: flatStrings(settings.persistent), transient: flatStrings(settings.transient) };
}

/** Flat settings come back as strings, or arrays for list settings: normalise to strings. */
function flatStrings(settings: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings ?? {})) out[key] = Array.isArray(value) ? value.join(',') : String(value);
  return out;
}

/** A node as `_nodes` describes it: what the exclusion and join steps read. */
export interface NodeView {
  id: string;
  name: string;
  ip: string;
  attributes: Record<string, string>;
  roles?: string[];
}

export async function readNodes(client: Client): Promise<NodeView[]> {
  const info = await client.nodes.info({ filter_path: 'nodes.*.name,nodes.*.ip,nodes.*.attributes,nodes.*.roles' });
  return Object.entries(info.nodes ?? {}).map(([id, node]) => ({
    id,
    name: node.name,
    ip: node.ip,
    attributes: (node.attributes ?? {}) as Record<string, string>,
    ...(node.roles && { roles: node.roles as string[] }),
  }));
}

/** `_cat/shards` prints a relocating copy's node as "source -> ip id target". */
function holderOf(row: CatShard): string | undefined {
  return row.node ? row.node.split(' ')[0] : undefined;
}
