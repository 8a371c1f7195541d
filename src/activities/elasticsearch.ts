// Elasticsearch I/O: reading allocation state, editing exclusion lists, watching drains and joins.
// Every function is idempotent and safe to retry.
import type { Client } from '@elastic/elasticsearch';
import {
  addEntryBody,
  effectiveExclusions,
  removeEntryBody,
  type ClusterSettings,
  type ExclusionEntry,
  type SettingsBody,
} from '../domain/exclusion-list.js';
import { healthAtLeast, type ClusterHealth } from '../domain/health.js';
import type { NodeView, ShardCopy } from '../domain/zone-preflight.js';
import type { ClusterConnections } from './connections.js';
import { watch } from './polling.js';
import type { AllocationState, DrainPoll, StuckShardExplanation } from '../workflows/types.js';

const AWARENESS_ATTRIBUTES = 'cluster.routing.allocation.awareness.attributes';
const FORCED_VALUES = /^cluster\.routing\.allocation\.awareness\.force\.(.+)\.values$/;

interface CatShard {
  index?: string;
  shard?: string;
  prirep?: string;
  state?: string;
  node?: string | null;
}

export interface WatchRequest {
  cluster: string;
  pollIntervalMs: number;
  returnAfterMs: number;
}

export function createElasticsearchActivities(connections: ClusterConnections) {
  const es = (cluster: string) => connections.elasticsearch(cluster);

  return {
    async readAllocationState(cluster: string): Promise<AllocationState> {
      const client = es(cluster);
      const [settings, nodes, shards, health] = await Promise.all([
        readSettings(client),
        readNodes(client),
        client.cat.shards({ format: 'json' }) as Promise<CatShard[]>,
        client.cluster.health(),
      ]);
      return {
        nodes,
        shards: shardCopies(shards),
        exclusions: effectiveExclusions(settings),
        awareness: awarenessOf(settings),
        health: health.status.toLowerCase() as ClusterHealth,
      };
    },

    async addExclusion(cluster: string, entry: ExclusionEntry): Promise<{ changed: boolean }> {
      const client = es(cluster);
      return putIfNeeded(client, addEntryBody(await readSettings(client), entry.attribute, entry.value));
    },

    async removeExclusion(cluster: string, entry: ExclusionEntry): Promise<{ changed: boolean }> {
      const client = es(cluster);
      return putIfNeeded(client, removeEntryBody(await readSettings(client), entry.attribute, entry.value));
    },

    /** Polls the shards left on `node` until their number differs from `lastShardsLeft`. */
    async watchDrain(request: WatchRequest & { node: string; lastShardsLeft?: number }): Promise<DrainPoll> {
      const client = es(request.cluster);
      return watch({
        ...request,
        poll: async () => shardsOnNode((await client.cat.shards({ format: 'json' })) as CatShard[], request.node),
        worthReporting: (poll) => poll.shardsLeft !== request.lastShardsLeft || poll.shardsLeft === 0,
      });
    },

    /** Asks Elasticsearch why the shards on `node` stay: _cluster/allocation/explain on one of them. */
    async explainStuckShards(cluster: string, node: string): Promise<StuckShardExplanation> {
      const client = es(cluster);
      const copy = shardCopies((await client.cat.shards({ format: 'json' })) as CatShard[]).find((s) => s.node === node);
      if (!copy) return { stuck: false, reasons: [] };
      const explanation = await client.cluster.allocationExplain({
        index: copy.index,
        shard: copy.shard,
        primary: copy.primary,
        current_node: node,
      });
      return explainReasons(explanation as unknown as AllocationExplanation);
    },

    /** Polls until `names` are all present in (or all gone from) the cluster; reports the count so far. */
    async watchNodes(request: WatchRequest & { names: string[]; present: boolean; lastMatching?: number }): Promise<{ matching: number }> {
      const client = es(request.cluster);
      return watch({
        ...request,
        poll: async () => {
          const inCluster = new Set((await readNodes(client)).map((n) => n.name));
          return { matching: request.names.filter((name) => inCluster.has(name) === request.present).length };
        },
        worthReporting: ({ matching }) => matching !== request.lastMatching || matching === request.names.length,
      });
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

async function putIfNeeded(client: Client, body: SettingsBody | undefined): Promise<{ changed: boolean }> {
  if (!body) return { changed: false };
  await client.cluster.putSettings(body as Parameters<Client['cluster']['putSettings']>[0]);
  return { changed: true };
}

async function readNodes(client: Client): Promise<NodeView[]> {
  const info = await client.nodes.info();
  return Object.values(info.nodes).map((node) => ({
    name: node.name,
    ip: node.ip,
    attributes: (node.attributes ?? {}) as Record<string, string>,
  }));
}

function awarenessOf(settings: ClusterSettings) {
  const effective = { ...settings.persistent, ...settings.transient };
  const forcedValues: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(effective)) {
    const match = FORCED_VALUES.exec(key);
    if (match) forcedValues[match[1]!] = splitList(value);
  }
  return { attributes: splitList(effective[AWARENESS_ATTRIBUTES]), forcedValues };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}

/** `_cat/shards` prints a relocating copy's node as "source -> ip id target". */
function holderOf(row: CatShard): string | undefined {
  return row.node ? row.node.split(' ')[0] : undefined;
}

function shardCopies(rows: CatShard[]): ShardCopy[] {
  const copies = new Map<string, number>();
  for (const row of rows) copies.set(`${row.index}/${row.shard}`, (copies.get(`${row.index}/${row.shard}`) ?? 0) + 1);
  return rows.flatMap((row) => {
    const node = holderOf(row);
    if (!node || !row.index || row.shard === undefined) return [];
    return [{ index: row.index, shard: Number(row.shard), primary: row.prirep === 'p', node, copies: copies.get(`${row.index}/${row.shard}`)! }];
  });
}

function shardsOnNode(rows: CatShard[], node: string): DrainPoll {
  const onNode = rows.filter((row) => holderOf(row) === node);
  return { shardsLeft: onNode.length, relocating: onNode.filter((row) => row.state === 'RELOCATING').length };
}

interface DeciderDecision {
  decider: string;
  decision: string;
  explanation: string;
}

interface AllocationExplanation {
  can_remain_on_current_node?: string;
  can_remain_decisions?: DeciderDecision[];
  can_move_to_other_node?: string;
  move_explanation?: string;
  node_allocation_decisions?: { node_name: string; deciders?: DeciderDecision[] }[];
}

/** The distinct NO decisions, as "[decider] explanation", most telling first. */
function explainReasons(explanation: AllocationExplanation): StuckShardExplanation {
  const reasons = new Set<string>();
  if (explanation.move_explanation) reasons.add(explanation.move_explanation);
  for (const d of explanation.can_remain_decisions ?? []) if (d.decision === 'NO') reasons.add(`[${d.decider}] ${d.explanation}`);
  for (const node of explanation.node_allocation_decisions ?? []) {
    for (const d of node.deciders ?? []) if (d.decision === 'NO') reasons.add(`[${d.decider}] ${d.explanation}`);
  }
  return { stuck: explanation.can_move_to_other_node === 'no', reasons: [...reasons] };
}
