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

export interface WatchRequest {
  cluster: string;
  pollIntervalMs: number;
  returnAfterMs: number;
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

    /**
     * Polls the drain of `node` until its verdict changes from `last` (or it is drained). Drained
     * means the data is safe elsewhere (F7): the node is still in the cluster, holds no copy, and
     * no copy anywhere is unassigned (one that may have been on it, the way ECK counts them).
     */
    async watchDrain(request: WatchRequest & { node: string; last?: DrainPoll; entry?: ExclusionEntry }): Promise<DrainPoll> {
      const client = es(request.cluster);
      return watch({
        ...request,
        about: { node: request.node },
        poll: () => readDrain(client, request.node, request.entry),
        worthReporting: (poll) => poll.drained || poll.entryInForce === false || drainChanged(poll, request.last),
      });
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

/** One look at a drain; with `entry`, also whether that exclusion is still in force (another writer may have dropped it). */
async function readDrain(client: Client, node: string, entry?: ExclusionEntry): Promise<DrainPoll> {
  const [rows, nodes, health, settings] = await Promise.all([
    client.cat.shards({ format: 'json', h: SHARD_COLUMNS }) as Promise<CatShard[]>,
    client.cat.nodes({ format: 'json', h: 'name' }) as Promise<{ name?: string }[]>,
    client.cluster.health(),
    entry ? readSettings(client) : undefined,
  ]);
  const onNode = rows.filter((row) => holderOf(row) === node);
  const verdict = drainVerdict({
    nodePresent: nodes.some((n) => n.name === node),
    shardsLeft: onNode.length,
    relocating: onNode.filter((row) => row.state === 'RELOCATING').length,
    unassigned: health.unassigned_shards,
  });
  if (!entry || !settings) return verdict;
  return { ...verdict, entryInForce: effectiveExclusions(settings)[entry.attribute]?.includes(entry.value) ?? false };
}

export function drainChanged(poll: DrainPoll, last: DrainPoll | undefined): boolean {
  return !last || poll.shardsLeft !== last.shardsLeft || poll.unassigned !== last.unassigned || poll.nodePresent !== last.nodePresent;
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
