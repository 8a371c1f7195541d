// The Elasticsearch REST API (8.x-shaped) over the simulated cluster.
import { createHash } from 'node:crypto';
import { formatBytes, renderCat, type CatColumn, type Cell } from './cat.js';
import { EsException, esError, illegalArgument, indexNotFound } from './es-errors.js';
import type { EsCluster, HealthCounts } from './es-cluster.js';
import { outgoingRecoveries } from './deciders.js';
import { explainAllocation, type ExplainRequest } from './explain.js';
import { shutdownApi } from './node-shutdown.js';
import { votingExclusionsApi } from './voting-exclusions.js';
import type { Faults } from './faults.js';
import { flag, Router, startApiServer, type ApiRequest, type ApiResponse, type ApiServer, type RecordedRequest } from './http.js';
import { docsOf, isActive, isDataNode, ROLE_LETTERS, roleLetters, routingTableOrder, type EsNode, type IndexMeta, type ShardCopy } from './model.js';
import { simpleMatch, tokens } from './patterns.js';
import { flattenSettings, nestSettings, type FlatSettings } from './settings.js';
import type { Timers } from './timers.js';

const ES_VERSION = '8.19.0';
const BUILD_HASH = createHash('sha1').update(`es-scaler sandbox ${ES_VERSION}`).digest('hex');
const DEFAULT_TIMEOUT_MS = 30_000;

export interface EsApiOptions {
  host: string;
  port?: number;
  cluster: EsCluster;
  faults: Faults;
  requests: RecordedRequest[];
  timers: Timers;
}

export function startEsApi(opts: EsApiOptions): Promise<ApiServer> {
  const { cluster, timers } = opts;
  const api = new EsApi(cluster, timers);
  const shutdown = shutdownApi(cluster);
  const voting = votingExclusionsApi(cluster);
  const router = new Router()
    .on('POST', '/_cluster/voting_config_exclusions', (r) => voting.post(r))
    .on('DELETE', '/_cluster/voting_config_exclusions', (r) => voting.delete(r))
    .on('GET', '/_cluster/state/metadata', () => voting.state())
    .on('GET', '/_nodes/shutdown', (r) => shutdown.get(r))
    .on('GET', '/_nodes/:node/shutdown', (r) => shutdown.get(r))
    .on('PUT', '/_nodes/:node/shutdown', (r) => shutdown.put(r))
    .on('DELETE', '/_nodes/:node/shutdown', (r) => shutdown.delete(r))
    .on(['GET', 'HEAD'], '/', () => api.root())
    .on('GET', '/_cluster/health', (r) => api.health(r))
    .on('GET', '/_cluster/health/:index', (r) => api.health(r))
    .on('GET', '/_cluster/settings', (r) => api.getSettings(r))
    .on('PUT', '/_cluster/settings', (r) => api.putSettings(r))
    .on(['GET', 'POST'], '/_cluster/allocation/explain', (r) => api.explain(r))
    .on('GET', '/_cat/shards', (r) => api.catShards(r))
    .on('GET', '/_cat/shards/:index', (r) => api.catShards(r))
    .on('GET', '/_cat/nodes', (r) => api.catNodes(r))
    .on('GET', '/_cat/nodeattrs', (r) => api.catNodeattrs(r))
    .on('GET', '/_cat/indices', (r) => api.catIndices(r))
    .on('GET', '/_cat/indices/:index', (r) => api.catIndices(r))
    .on('GET', '/_cat/allocation', (r) => api.catAllocation(r))
    .on('GET', '/_cat/allocation/:filter', (r) => api.catAllocation(r))
    .on('GET', '/_nodes/stats', (r) => api.nodesStats(r))
    .on('GET', '/_nodes/stats/:metric', (r) => api.nodesStats(r))
    .on('GET', '/_nodes/:filter/stats', (r) => api.nodesStats(r))
    .on('GET', '/_nodes/:filter/stats/:metric', (r) => api.nodesStats(r))
    .on('GET', '/_nodes', (r) => api.nodesInfo(r))
    .on('GET', '/_nodes/:filter', (r) => api.nodesInfo(r))
    .on('GET', '/_nodes/:filter/:metric', (r) => api.nodesInfo(r))
    .on('GET', '/_settings', (r) => api.getIndexSettings(r))
    .on('GET', '/:index/_settings', (r) => api.getIndexSettings(r))
    .on('PUT', '/:index/_settings', (r) => api.putIndexSettings(r))
    .on('PUT', '/:index', (r) => api.createIndex(r))
    .on('DELETE', '/:index', (r) => api.deleteIndex(r))
    .on(['GET', 'HEAD'], '/:index', (r) => api.getIndex(r));
  return startApiServer({
    api: 'es',
    host: opts.host,
    port: opts.port,
    router,
    requests: opts.requests,
    headers: { 'x-elastic-product': 'Elasticsearch' },
    before: (req) => opts.faults.before('es', req, injectedError),
    // ES's own wording for requests no handler takes
    notFound: (r) => ({ status: 400, body: { error: `no handler found for uri [${r.path}] and method [${r.method}]` } }),
    methodNotAllowed: (r, allowed) => ({
      status: 405,
      headers: { allow: allowed.join(',') },
      body: { error: `Incorrect HTTP method for uri [${r.path}] and method [${r.method}], allowed: [${allowed.join(', ')}]`, status: 405 },
    }),
    internalError: (err) => esError(500, 'exception', err instanceof Error ? err.message : String(err)),
    finish: (r, res) => (r.query.has('filter_path') && res.body !== undefined ? { ...res, body: filterPath(res.body, tokens(r.query.get('filter_path') ?? '')) } : res),
  });
}

function injectedError(status: number): ApiResponse {
  const type: Record<number, string> = { 429: 'es_rejected_execution_exception', 503: 'master_not_discovered_exception' };
  return esError(status, type[status] ?? 'exception', `injected fault (HTTP ${status})`);
}

class EsApi {
  constructor(
    private readonly cluster: EsCluster,
    private readonly timers: Timers,
  ) {}

  root(): ApiResponse {
    return {
      status: 200,
      body: {
        name: this.cluster.master()?.name ?? this.cluster.name,
        cluster_name: this.cluster.name,
        cluster_uuid: this.cluster.uuid,
        version: {
          number: ES_VERSION,
          build_flavor: 'default',
          build_type: 'docker',
          build_hash: BUILD_HASH,
          build_date: '2025-07-17T12:00:00.000Z',
          build_snapshot: false,
          lucene_version: '9.12.2',
          minimum_wire_compatibility_version: '7.17.0',
          minimum_index_compatibility_version: '7.0.0',
        },
        tagline: 'You Know, for Search',
      },
    };
  }

  // --- cluster health, with the wait_for_* parameters

  async health(req: ApiRequest): Promise<ApiResponse> {
    const indices = req.params.index === undefined ? undefined : this.resolveIndices(req.params.index);
    const q = req.query;
    const checks: (() => boolean)[] = [];
    const status = q.get('wait_for_status');
    if (status) {
      const rank: Record<string, number> = { green: 0, yellow: 1, red: 2 };
      if (rank[status] === undefined) throw illegalArgument(`unknown cluster health status [${status}]`);
      checks.push(() => rank[this.cluster.health(indices).status]! <= rank[status]!);
    }
    if (flag(q, 'wait_for_no_relocating_shards')) checks.push(() => this.cluster.health(indices).relocating_shards === 0);
    if (flag(q, 'wait_for_no_initializing_shards')) checks.push(() => this.cluster.health(indices).initializing_shards === 0);
    const nodes = q.get('wait_for_nodes');
    if (nodes) checks.push(nodeCountCheck(nodes, () => this.cluster.nodes().length));
    const ok = checks.length === 0 || (await this.timers.waitUntil(() => checks.every((c) => c()), parseTime(q.get('timeout'), DEFAULT_TIMEOUT_MS)));
    const body = this.healthBody(this.cluster.health(indices), !ok);
    const level = q.get('level') ?? 'cluster';
    if (level === 'indices' || level === 'shards') {
      const names = indices ?? this.cluster.indices().map((i) => i.name);
      body.indices = Object.fromEntries(names.map((n) => [n, this.indexHealth(n)]));
    } else if (level !== 'cluster') {
      throw illegalArgument(`level must be one of [cluster, indices, shards], was [${level}]`);
    }
    return { status: ok ? 200 : 408, body };
  }

  private indexHealth(name: string): Record<string, unknown> {
    const meta = this.cluster.index(name)!;
    const h = this.cluster.health([name]);
    return {
      status: h.status,
      number_of_shards: meta.primaries,
      number_of_replicas: meta.replicas,
      ...shardCounts(h),
    };
  }

  private healthBody(h: HealthCounts, timedOut: boolean): Record<string, unknown> {
    const total = h.active_shards + h.initializing_shards + h.unassigned_shards;
    return {
      cluster_name: this.cluster.name,
      status: h.status,
      timed_out: timedOut,
      number_of_nodes: this.cluster.nodes().length,
      number_of_data_nodes: this.cluster.dataNodes().length,
      ...shardCounts(h),
      delayed_unassigned_shards: 0,
      number_of_pending_tasks: 0,
      number_of_in_flight_fetch: 0,
      task_max_waiting_in_queue_millis: 0,
      active_shards_percent_as_number: total === 0 ? 100 : (100 * h.active_shards) / total,
    };
  }

  // --- cluster settings

  getSettings(req: ApiRequest): ApiResponse {
    const s = this.cluster.settings;
    const render = settingsRenderer(req);
    return { status: 200, body: { persistent: render(s.persistent), transient: render(s.transient) } };
  }

  putSettings(req: ApiRequest): ApiResponse {
    const applied = this.cluster.settings.update(parseBody(req) ?? {});
    const render = settingsRenderer(req);
    const headers: Record<string, string> = {};
    if (Object.keys(applied.transient).length > 0) {
      headers.warning = `299 Elasticsearch-${ES_VERSION}-${BUILD_HASH} "[transient settings removal] Updating cluster settings through transientSettings is deprecated. Use persistent settings instead."`;
    }
    return { status: 200, headers, body: { acknowledged: true, persistent: render(applied.persistent), transient: render(applied.transient) } };
  }

  // --- allocation explain

  explain(req: ApiRequest): ApiResponse {
    const body = parseBody(req) ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw illegalArgument('request body must be an object');
    const fields = { ...(body as Record<string, unknown>) };
    for (const k of ['index', 'shard', 'primary', 'current_node']) {
      const v = req.query.get(k);
      if (v !== null) fields[k] = v;
    }
    const r: ExplainRequest = {};
    if (fields.index !== undefined) r.index = String(fields.index);
    if (fields.shard !== undefined) r.shard = Number(fields.shard);
    if (fields.primary !== undefined) r.primary = fields.primary === true || fields.primary === 'true';
    if (fields.current_node !== undefined) r.current_node = String(fields.current_node);
    return { status: 200, body: explainAllocation(this.cluster, r, flag(req.query, 'include_yes_decisions')) };
  }

  // --- _cat

  catShards(req: ApiRequest): ApiResponse {
    const indices = req.params.index === undefined ? undefined : this.resolveIndices(req.params.index);
    const bytes = req.query.get('bytes');
    const columns: CatColumn[] = [
      { name: 'index', aliases: ['i', 'idx'] },
      { name: 'shard', aliases: ['s', 'sh'] },
      { name: 'prirep', aliases: ['p', 'pr', 'primaryOrReplica'] },
      { name: 'state', aliases: ['st'] },
      { name: 'docs', aliases: ['d', 'dc'] },
      { name: 'store', aliases: ['sto'] },
      { name: 'dataset' },
      { name: 'ip' },
      { name: 'id', hidden: true },
      { name: 'node', aliases: ['n'] },
      { name: 'unassigned.reason', aliases: ['ur'], hidden: true },
      { name: 'unassigned.at', aliases: ['ua'], hidden: true },
      { name: 'unassigned.details', aliases: ['ud'], hidden: true },
    ];
    const copies = routingTableOrder(this.cluster.copies()).filter((c) => !indices || indices.includes(c.index));
    return renderCat(
      columns,
      copies.map((c) => this.shardCells(c, bytes)),
      req.query,
    );
  }

  private shardCells(c: ShardCopy, bytes: string | null): Record<string, Cell> {
    const node = c.nodeId === undefined ? undefined : this.cluster.node(c.nodeId);
    const target = c.target && this.cluster.node(c.target.nodeId);
    const docs = isActive(c) ? docsOf(c.index, c.shard) : undefined;
    const size = docs === undefined ? null : formatBytes(this.cluster.shardBytes(c), bytes);
    return {
      index: c.index,
      shard: String(c.shard),
      prirep: c.primary ? 'p' : 'r',
      state: c.state,
      docs: docs === undefined ? null : String(docs),
      store: size,
      dataset: size,
      ip: node?.ip ?? null,
      id: node?.id ?? null,
      // ES prints a relocation as "<source> -> <target ip> <target id> <target name>"
      node: node ? (target ? `${node.name} -> ${target.ip} ${target.id} ${target.name}` : node.name) : null,
      'unassigned.reason': c.unassigned?.reason ?? null,
      'unassigned.at': c.unassigned ? new Date(c.unassigned.at).toISOString() : null,
      'unassigned.details': c.unassigned?.details ?? null,
    };
  }

  catNodes(req: ApiRequest): ApiResponse {
    const full = flag(req.query, 'full_id');
    const master = this.cluster.master();
    const columns: CatColumn[] = [
      { name: 'ip', aliases: ['i'] },
      { name: 'heap.percent', aliases: ['hp', 'heapPercent'] },
      { name: 'ram.percent', aliases: ['rp', 'ramPercent'] },
      { name: 'cpu' },
      { name: 'load_1m', aliases: ['l'] },
      { name: 'load_5m' },
      { name: 'load_15m' },
      { name: 'node.role', aliases: ['r', 'role', 'nodeRole'] },
      { name: 'master', aliases: ['m'] },
      { name: 'name', aliases: ['n'] },
      { name: 'id', aliases: ['nodeId'], hidden: true },
      { name: 'port', aliases: ['po'], hidden: true },
      { name: 'http_address', aliases: ['http'], hidden: true },
      { name: 'version', aliases: ['v'], hidden: true },
    ];
    const rows = this.cluster.nodes().map((n): Record<string, Cell> => {
      const seed = hash(n.id);
      return {
        ip: n.ip,
        'heap.percent': String(30 + (seed % 40)),
        'ram.percent': String(80 + (seed % 15)),
        cpu: String(2 + (seed % 20)),
        load_1m: ((seed % 300) / 100).toFixed(2),
        load_5m: ((seed % 250) / 100).toFixed(2),
        load_15m: ((seed % 200) / 100).toFixed(2),
        'node.role': roleLetters(n.roles),
        master: n === master ? '*' : '-',
        name: n.name,
        id: full ? n.id : n.id.slice(0, 4),
        port: '9300',
        http_address: `${n.ip}:9200`,
        version: ES_VERSION,
      };
    });
    return renderCat(columns, rows, req.query);
  }

  catNodeattrs(req: ApiRequest): ApiResponse {
    const columns: CatColumn[] = [
      { name: 'node' },
      { name: 'id', aliases: ['nodeId'], hidden: true },
      { name: 'host', aliases: ['h'] },
      { name: 'ip', aliases: ['i'] },
      { name: 'port', aliases: ['po'], hidden: true },
      { name: 'attr', aliases: ['attr.name'] },
      { name: 'value', aliases: ['attr.value'] },
    ];
    const rows = this.cluster.nodes().flatMap((n) =>
      Object.entries(n.attributes).map(([attr, value]): Record<string, Cell> => ({ node: n.name, id: n.id.slice(0, 4), host: n.ip, ip: n.ip, port: '9300', attr, value })),
    );
    return renderCat(columns, rows, req.query);
  }

  catIndices(req: ApiRequest): ApiResponse {
    const names = req.params.index === undefined ? this.cluster.indices().map((i) => i.name) : this.resolveIndices(req.params.index);
    const bytes = req.query.get('bytes');
    const columns: CatColumn[] = [
      { name: 'health', aliases: ['h'] },
      { name: 'status', aliases: ['s'] },
      { name: 'index', aliases: ['i', 'idx'] },
      { name: 'uuid', aliases: ['id'] },
      { name: 'pri', aliases: ['p', 'shards.primary', 'shardsPrimary'] },
      { name: 'rep', aliases: ['r', 'shards.replica', 'shardsReplica'] },
      { name: 'docs.count', aliases: ['dc', 'docsCount'] },
      { name: 'docs.deleted', aliases: ['dd', 'docsDeleted'] },
      { name: 'store.size', aliases: ['ss', 'storeSize'] },
      { name: 'pri.store.size' },
      { name: 'dataset.size' },
    ];
    const rows = names.map((name): Record<string, Cell> => {
      const meta = this.cluster.index(name)!;
      const active = this.cluster.copies().filter((c) => c.index === name && isActive(c));
      const docs = active.filter((c) => c.primary).reduce((sum, c) => sum + docsOf(name, c.shard), 0);
      const size = (copies: ShardCopy[]): string => formatBytes(copies.reduce((sum, c) => sum + this.cluster.shardBytes(c), 0), bytes);
      return {
        health: this.cluster.health([name]).status,
        status: 'open',
        index: name,
        uuid: meta.uuid,
        pri: String(meta.primaries),
        rep: String(meta.replicas),
        'docs.count': String(docs),
        'docs.deleted': '0',
        'store.size': size(active),
        'pri.store.size': size(active.filter((c) => c.primary)),
        'dataset.size': size(active),
      };
    });
    return renderCat(columns, rows, req.query);
  }

  // --- nodes info

  nodesInfo(req: ApiRequest): ApiResponse {
    const metrics = new Set(['settings', 'os', 'process', 'jvm', 'thread_pool', 'transport', 'http', 'plugins', 'ingest', 'aggregations', 'indices', 'remote_cluster_server', '_all', '_none']);
    const first = req.params.filter;
    // a lone path parameter is a node filter unless it names metrics only
    const filter = first !== undefined && (req.params.metric !== undefined || !tokens(first).every((t) => metrics.has(t))) ? first : '_all';
    return this.perNode(resolveNodes(this.cluster, filter), nodeInfo);
  }

  /**
   * The parts of a node's `indices` stats a drain poll reads: shard_stats.total_count (every shard
   * copy the node holds, one relocating away included) and the peer recoveries it serves as source
   * (relocations away, replicas copying from its primaries) and as target.
   */
  private nodeIndicesStats(nodeId: string) {
    const incoming = this.cluster.routingsOnNode(nodeId).filter((r) => r.state === 'INITIALIZING' && (r.relocationTarget || r.copy.recoverySource === 'peer'));
    return {
      shard_stats: { total_count: this.cluster.routingsOnNode(nodeId).length },
      recovery: { current_as_source: outgoingRecoveries(this.cluster, nodeId), current_as_target: incoming.length, throttle_time_in_millis: 0 },
    };
  }

  /** _nodes/stats: the fs metric (what the disk decider reads) plus names, roles and attributes. */
  nodesStats(req: ApiRequest): ApiResponse {
    return this.perNode(resolveNodes(this.cluster, req.params.filter ?? '_all'), (n) => {
      const free = Math.max(0, n.disk.totalBytes - this.cluster.diskUsedBytes(n.id));
      const total = { total_in_bytes: n.disk.totalBytes, free_in_bytes: free, available_in_bytes: free };
      return {
        timestamp: Date.now(),
        name: n.name,
        transport_address: `${n.ip}:9300`,
        host: n.ip,
        ip: `${n.ip}:9300`,
        roles: [...n.roles],
        attributes: { ...n.attributes },
        fs: { timestamp: Date.now(), total, data: [{ path: '/usr/share/elasticsearch/data', mount: '/usr/share/elasticsearch/data (/dev/sda1)', type: 'ext4', ...total }] },
        indices: this.nodeIndicesStats(n.id),
      };
    });
  }

  /** The envelope every _nodes API answers with: counts, the cluster's name, one body per node by id. */
  private perNode<N extends { id: string }>(nodes: N[], bodyOf: (node: N) => unknown): ApiResponse {
    return {
      status: 200,
      body: {
        _nodes: { total: nodes.length, successful: nodes.length, failed: 0 },
        cluster_name: this.cluster.name,
        nodes: Object.fromEntries(nodes.map((n) => [n.id, bodyOf(n)])),
      },
    };
  }

  catAllocation(req: ApiRequest): ApiResponse {
    const bytes = req.query.get('bytes');
    const columns: CatColumn[] = [
      { name: 'shards', aliases: ['s'] },
      { name: 'shards.undesired' },
      { name: 'write_load.forecast', aliases: ['wlf', 'writeLoadForecast'] },
      { name: 'disk.indices.forecast', aliases: ['dif', 'diskIndicesForecast'] },
      { name: 'disk.indices', aliases: ['di', 'diskIndices'] },
      { name: 'disk.used', aliases: ['du', 'diskUsed'] },
      { name: 'disk.avail', aliases: ['da', 'diskAvail'] },
      { name: 'disk.total', aliases: ['dt', 'diskTotal'] },
      { name: 'disk.percent', aliases: ['dp', 'diskPercent'] },
      { name: 'host', aliases: ['h'] },
      { name: 'ip' },
      { name: 'node', aliases: ['n'] },
      { name: 'node.role', aliases: ['r', 'role', 'nodeRole'] },
    ];
    const nodes = req.params.filter === undefined ? this.cluster.dataNodes() : resolveNodes(this.cluster, req.params.filter).filter(isDataNode);
    const rows = nodes.map((n): Record<string, Cell> => {
      const used = this.cluster.diskUsedBytes(n.id);
      const indices = used - n.disk.otherBytes;
      return {
        shards: String(this.cluster.shardCount(n.id)),
        'shards.undesired': '0',
        'write_load.forecast': '0.0',
        'disk.indices.forecast': formatBytes(indices, bytes),
        'disk.indices': formatBytes(indices, bytes),
        'disk.used': formatBytes(used, bytes),
        'disk.avail': formatBytes(Math.max(0, n.disk.totalBytes - used), bytes),
        'disk.total': formatBytes(n.disk.totalBytes, bytes),
        'disk.percent': n.disk.totalBytes === 0 ? null : String(Math.floor((100 * used) / n.disk.totalBytes)),
        host: n.ip,
        ip: n.ip,
        node: n.name,
        'node.role': roleLetters(n.roles),
      };
    });
    const unassigned = this.cluster.copies().filter((c) => c.state === 'UNASSIGNED').length;
    if (unassigned > 0 && req.params.filter === undefined) {
      rows.push({ shards: String(unassigned), node: 'UNASSIGNED' });
    }
    return renderCat(columns, rows, req.query);
  }

  // --- indices

  async createIndex(req: ApiRequest): Promise<ApiResponse> {
    const name = req.params.index!;
    validateIndexName(name);
    const existing = this.cluster.index(name);
    if (existing) {
      throw new EsException(400, 'resource_already_exists_exception', `index [${name}/${existing.uuid}] already exists`, { index_uuid: existing.uuid, index: name });
    }
    const body = parseBody(req) ?? {};
    const settings = indexSettings(body);
    const primaries = intIndexSetting(settings, 'number_of_shards', 1, 1);
    const replicas = intIndexSetting(settings, 'number_of_replicas', 1, 0);
    const { number_of_shards: _shards, number_of_replicas: _replicas, ...others } = settings;
    validateIndexSettings(others);
    this.cluster.createIndex(name, primaries, replicas, { settings: others });
    // wait_for_active_shards defaults to 1: the primaries
    const wait = req.query.get('wait_for_active_shards') ?? '1';
    const primariesActive = (): boolean => this.cluster.copies().filter((c) => c.index === name && c.primary).every(isActive);
    const acknowledged = wait === '0' || (await this.timers.waitUntil(primariesActive, parseTime(req.query.get('timeout'), DEFAULT_TIMEOUT_MS)));
    return { status: 200, body: { acknowledged: true, shards_acknowledged: acknowledged, index: name } };
  }

  deleteIndex(req: ApiRequest): ApiResponse {
    const names = tokens(req.params.index);
    if (names.some((n) => n.includes('*') || n === '_all')) throw illegalArgument('Wildcard expressions or all indices are not allowed');
    for (const n of names) if (!this.cluster.index(n)) throw indexNotFound(n);
    for (const n of names) this.cluster.deleteIndex(n);
    return { status: 200, body: { acknowledged: true } };
  }

  getIndex(req: ApiRequest): ApiResponse {
    if (req.method === 'HEAD') return { status: this.cluster.index(req.params.index!) ? 200 : 404 };
    const names = this.resolveIndices(req.params.index!);
    return {
      status: 200,
      body: Object.fromEntries(names.map((n) => [n, { aliases: {}, mappings: {}, settings: { index: nestSettings(indexSettingsView(this.cluster.index(n)!)) } }])),
    };
  }

  getIndexSettings(req: ApiRequest): ApiResponse {
    const names = this.resolveIndices(req.params.index ?? '_all');
    const flat = flag(req.query, 'flat_settings');
    return {
      status: 200,
      body: Object.fromEntries(
        names.map((n) => {
          const view = indexSettingsView(this.cluster.index(n)!);
          const settings = flat ? Object.fromEntries(Object.entries(view).map(([k, v]) => [`index.${k}`, v])) : { index: nestSettings(view) };
          return [n, { settings }];
        }),
      ),
    };
  }

  putIndexSettings(req: ApiRequest): ApiResponse {
    const names = this.resolveIndices(req.params.index!);
    const settings = indexSettings({ settings: parseBody(req) ?? {} }, true);
    if (settings.number_of_shards !== undefined) throw illegalArgument('final index setting [index.number_of_shards], not updateable');
    const { number_of_replicas: replicasValue, ...others } = settings;
    validateIndexSettings(others);
    const replicas = replicasValue === undefined || replicasValue === null ? undefined : intIndexSetting({ number_of_replicas: replicasValue }, 'number_of_replicas', 0, 0);
    for (const n of names) {
      if (replicas !== undefined) this.cluster.setReplicas(n, replicas);
      if (Object.keys(others).length > 0) this.cluster.updateIndexSettings(n, others);
    }
    return { status: 200, body: { acknowledged: true } };
  }

  /** Comma-separated names, wildcards, `_all`; a missing concrete name is a 404. */
  private resolveIndices(expression: string): string[] {
    const all = this.cluster.indices().map((i) => i.name);
    const out = new Set<string>();
    for (const t of tokens(expression)) {
      if (t === '_all' || t.includes('*')) all.filter((n) => t === '_all' || simpleMatch(t, n)).forEach((n) => out.add(n));
      else if (all.includes(t)) out.add(t);
      else throw indexNotFound(t);
    }
    return [...out];
  }
}

function parseBody(req: ApiRequest): unknown {
  if (req.body.trim() === '') return undefined;
  try {
    return JSON.parse(req.body) as unknown;
  } catch (err) {
    throw new EsException(400, 'parse_exception', `request body is not valid JSON: ${(err as Error).message}`);
  }
}

function settingsRenderer(req: ApiRequest): (flat: FlatSettings) => unknown {
  return flag(req.query, 'flat_settings') ? (flat) => ({ ...flat }) : nestSettings;
}

/** Index-level settings of a create-index or update-settings body, keyed without the `index.` prefix; null (a removal) kept if asked. */
function indexSettings(body: unknown, keepNulls: true): Record<string, string | null>;
function indexSettings(body: unknown): Record<string, string>;
function indexSettings(body: unknown, keepNulls = false): Record<string, string | null> {
  const settings = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).settings : undefined;
  if (settings === undefined) return {};
  if (typeof settings !== 'object' || settings === null) throw illegalArgument('[settings] must be an object');
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(flattenSettings(settings as Record<string, unknown>))) if (v !== null || keepNulls) out[k.replace(/^index\./, '')] = v;
  return out;
}

/** The index settings this sandbox interprets get ES's validation; others are stored as given. */
function validateIndexSettings(settings: Record<string, string | null>): void {
  const limit = settings['routing.allocation.total_shards_per_node'];
  if (limit !== undefined && limit !== null && !/^-?\d+$/.test(limit)) {
    throw illegalArgument(`Failed to parse value [${limit}] for setting [index.routing.allocation.total_shards_per_node]`);
  }
  if (limit !== undefined && limit !== null && Number(limit) < -1) {
    throw illegalArgument(`Failed to parse value [${limit}] for setting [index.routing.allocation.total_shards_per_node] must be >= -1`);
  }
}

function intIndexSetting(settings: Record<string, string>, key: string, fallback: number, min: number): number {
  const raw = settings[key];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw illegalArgument(`Failed to parse value [${raw}] for setting [index.${key}]`);
  if (Number(raw) < min) throw illegalArgument(`Failed to parse value [${raw}] for setting [index.${key}] must be >= ${min}`);
  return Number(raw);
}

function indexSettingsView(meta: IndexMeta): Record<string, string> {
  return {
    ...meta.settings,
    creation_date: String(meta.createdAt),
    number_of_shards: String(meta.primaries),
    number_of_replicas: String(meta.replicas),
    uuid: meta.uuid,
    provided_name: meta.name,
  };
}

function validateIndexName(name: string): void {
  const invalid = (why: string): EsException =>
    new EsException(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${why}`, { index_uuid: '_na_', index: name });
  if (name !== name.toLowerCase()) throw invalid('must be lowercase');
  if (/^[_\-+]/.test(name)) throw invalid("must not start with '_', '-', or '+'");
  if (/[ "*,/<>?\\|#:]/.test(name)) throw invalid('must not contain the following characters [\' \',\'"\',\'*\',\',\',\'/\',\'<\',\'>\',\'?\',\'\\\',\'|\']');
  if (name === '.' || name === '..') throw invalid("must not be '.' or '..'");
}

function nodeInfo(n: EsNode): Record<string, unknown> {
  return {
    name: n.name,
    transport_address: `${n.ip}:9300`,
    host: n.ip,
    ip: n.ip,
    version: ES_VERSION,
    build_flavor: 'default',
    build_type: 'docker',
    build_hash: BUILD_HASH,
    roles: [...n.roles],
    attributes: { ...n.attributes },
  };
}

/**
 * A node specification as ES resolves it (DiscoveryNodes#resolveNodes): `_all`, `_local`, `_master`, ids,
 * name or address patterns, `<role>:true|false` and `<attribute>:<pattern>`, added and removed left to right.
 */
function resolveNodes(cluster: EsCluster, spec: string): EsNode[] {
  const all = cluster.nodes();
  const master = cluster.master();
  const chosen = new Set<EsNode>();
  for (const t of tokens(spec)) {
    const colon = t.indexOf(':');
    if (colon < 0) {
      for (const n of all) {
        if (t === '_all' || ((t === '_local' || t === '_master') && n === master) || t === n.id || simpleMatch(t, n.name) || simpleMatch(t, n.ip)) chosen.add(n);
      }
      continue;
    }
    const key = t.slice(0, colon);
    const value = t.slice(colon + 1);
    if (key in ROLE_LETTERS || key === 'coordinating_only') {
      if (value !== 'true' && value !== 'false') throw illegalArgument(`Failed to parse value [${value}] as only [true] or [false] are allowed.`);
      for (const n of all) {
        if (!hasRole(n, key)) continue;
        if (value === 'true') chosen.add(n);
        else chosen.delete(n);
      }
    } else {
      for (const n of all) if (Object.entries(n.attributes).some(([a, v]) => simpleMatch(key, a) && simpleMatch(value, v))) chosen.add(n);
    }
  }
  return all.filter((n) => chosen.has(n));
}

/** `data` matches any data tier, a tier matches the generic `data` role too. */
function hasRole(n: EsNode, role: string): boolean {
  if (role === 'coordinating_only') return n.roles.length === 0;
  if (role === 'data') return isDataNode(n);
  if (role.startsWith('data_')) return n.roles.includes(role) || n.roles.includes('data');
  return n.roles.includes(role);
}

/** ES time values: "30s", "500ms", "1m"; -1 or absent means the default. */
function parseTime(value: string | null, fallbackMs: number): number {
  if (value === null || value === '-1') return fallbackMs;
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
  if (!m) throw illegalArgument(`failed to parse setting [timeout] with value [${value}] as a time value: unit is missing or unrecognized`);
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(m[1]) * unit[m[2]!]!;
}

/** wait_for_nodes: "N", ">=N", "<=N", ">N", "<N", "ge(N)", "le(N)", "gt(N)", "lt(N)". */
function nodeCountCheck(spec: string, count: () => number): () => boolean {
  const m = /^(>=|<=|>|<|ge\(|le\(|gt\(|lt\()?(\d+)\)?$/.exec(spec.trim());
  if (!m) throw illegalArgument(`cannot parse wait_for_nodes [${spec}]`);
  const n = Number(m[2]);
  const op = (m[1] ?? '').replace('(', '');
  const tests: Record<string, (c: number) => boolean> = {
    '': (c) => c === n,
    '>=': (c) => c >= n,
    ge: (c) => c >= n,
    '<=': (c) => c <= n,
    le: (c) => c <= n,
    '>': (c) => c > n,
    gt: (c) => c > n,
    '<': (c) => c < n,
    lt: (c) => c < n,
  };
  return () => tests[op]!(count());
}

function hash(s: string): number {
  return createHash('md5').update(s).digest().readUInt32BE(0);
}


/** ?filter_path: keeps the paths matching any pattern (`*` within a key, `**` across levels). */
function filterPath(body: unknown, patterns: string[]): unknown {
  const step = (p: string[], key: string): string[][] => {
    if (p.length === 0) return [p];
    if (p[0] === '**') return [p, ...step(p.slice(1), key)];
    return simpleMatch(p[0]!, key) ? [p.slice(1)] : [];
  };
  const walk = (value: unknown, pats: string[][]): unknown => {
    if (pats.some((p) => p.length === 0)) return value;
    if (Array.isArray(value)) {
      const kept = value.map((v) => walk(v, pats)).filter((v) => v !== undefined);
      return kept.length > 0 ? kept : undefined;
    }
    if (typeof value !== 'object' || value === null) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const next = pats.flatMap((p) => step(p, k));
      if (next.length === 0) continue;
      const kept = walk(v, next);
      if (kept !== undefined) out[k] = kept;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  return walk(body, patterns.map((p) => p.split('.'))) ?? {};
}

/** The shard counts `_cluster/health` reports, for the cluster or one index. */
function shardCounts(h: HealthCounts) {
  return {
    active_primary_shards: h.active_primary_shards,
    active_shards: h.active_shards,
    relocating_shards: h.relocating_shards,
    initializing_shards: h.initializing_shards,
    unassigned_shards: h.unassigned_shards,
    unassigned_primary_shards: h.unassigned_primary_shards,
  };
}
