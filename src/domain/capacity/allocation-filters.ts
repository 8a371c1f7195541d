// Which nodes an index's copies may live on: cluster and index require/include/exclude filters and the data tier
// preference, with Elasticsearch's matching rules (require: every entry, include/exclude: any; `*` wildcards).
import { listSetting, type IndexFacts, type NodeFacts } from './facts.js';

type Op = 'require' | 'include' | 'exclude';

const CLUSTER_PREFIX = 'cluster.routing.allocation';
const INDEX_PREFIX = 'routing.allocation';
const TIER_PREFERENCE = 'routing.allocation.include._tier_preference';

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

/** The node's value for a filter attribute, or undefined when it has none. */
function attributeOf(node: NodeFacts, attribute: string): string | undefined {
  if (attribute === '_name' || attribute === 'name') return node.name;
  if (attribute === '_ip' || attribute === '_host_ip' || attribute === '_publish_ip' || attribute === '_host') return node.ip;
  if (attribute === '_tier') return node.roles.filter((r) => r.startsWith('data_')).join(',');
  return node.attributes[attribute];
}

function entries(settings: Record<string, string>, prefix: string, op: Op): [string, string[]][] {
  const p = `${prefix}.${op}.`;
  return Object.entries(settings)
    .filter(([k]) => k.startsWith(p) && `${prefix}.${op}.${k.slice(p.length)}` !== `${INDEX_PREFIX}.include._tier_preference`)
    .map(([k, v]): [string, string[]] => [k.slice(p.length), listSetting(v)])
    .filter(([, values]) => values.length > 0);
}

function matches(node: NodeFacts, attribute: string, patterns: string[]): boolean {
  const value = attributeOf(node, attribute);
  return value !== undefined && patterns.some((p) => (attribute === '_tier' ? value.split(',').some((t) => globMatch(p, t)) : globMatch(p, value)));
}

/** Why the filters keep copies of this index off `node`, or undefined when they allow it. */
function filterRefusal(settings: Record<string, string>, prefix: string, scope: string, node: NodeFacts): string | undefined {
  const require = entries(settings, prefix, 'require');
  if (require.length > 0 && !require.every(([a, v]) => matches(node, a, v))) return `${node.name} does not match ${scope} require filters`;
  const include = entries(settings, prefix, 'include');
  if (include.length > 0 && !include.some(([a, v]) => matches(node, a, v))) return `${node.name} does not match ${scope} include filters`;
  const exclude = entries(settings, prefix, 'exclude');
  if (exclude.length > 0 && exclude.some(([a, v]) => matches(node, a, v))) return `${node.name} matches ${scope} exclude filters`;
  return undefined;
}

/** Nodes the cluster-level filters exclude from every allocation (e.g. earlier drains). */
export function excludedByCluster(settings: Record<string, string>, node: NodeFacts): boolean {
  return filterRefusal(settings, CLUSTER_PREFIX, 'cluster', node) !== undefined;
}

function hasTier(node: NodeFacts, tier: string): boolean {
  return node.roles.includes(tier) || node.roles.includes('data');
}

/** The tier an index's copies must be on: the first preferred tier any data node has; undefined when none is set. */
export function requiredTier(index: IndexFacts, dataNodes: readonly NodeFacts[]): string | null | undefined {
  const preference = listSetting(index.settings[TIER_PREFERENCE]);
  if (preference.length === 0) return undefined;
  return preference.find((t) => dataNodes.some((n) => hasTier(n, t))) ?? null;
}

/**
 * Why the index's own settings (filters, tier preference) keep its copies off `node`, or undefined.
 * `tier` is requiredTier(...) computed once per index: null means no node has any preferred tier.
 */
export function indexRefusal(index: IndexFacts, tier: string | null | undefined, node: NodeFacts): string | undefined {
  const filtered = filterRefusal(index.settings, INDEX_PREFIX, `index [${index.name}]`, node);
  if (filtered) return filtered;
  if (tier === null) return `no node has a tier index [${index.name}] prefers (${index.settings[TIER_PREFERENCE]})`;
  if (tier !== undefined && !hasTier(node, tier)) return `${node.name} is not in tier ${tier} that index [${index.name}] requires`;
  return undefined;
}
