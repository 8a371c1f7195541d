// Predicts the pre-flight of every pod a scale-in would drain, before anything changes (the CLI's
// `plan`). A scale-in drains one pod at a time, so each pod's pre-flight must see the cluster as
// the earlier drains leave it: the drained node gone (its zone may go with it), and its shard
// copies moved to a node that allocation awareness allows. Which node exactly is Elasticsearch's
// balancer's choice; the prediction takes the allowed node holding the fewest copies.
import { preflightAllows, preflightDrain, ShardPlacement, type AwarenessSettings, type NodeView, type PreflightResult, type ShardCopy } from './zone-preflight.js';

export interface DrainSequenceInput {
  /** In drain order (highest ordinal first, as scale-plan's podsToRemove gives them). */
  pods: string[];
  nodes: NodeView[];
  shards: ShardCopy[];
  awareness: AwarenessSettings;
  /** Nodes excluded from allocation now; they stay excluded throughout. */
  excludedNodes: string[];
  awarenessPolicy: 'refuse' | 'allow';
}

export interface PredictedDrain {
  pod: string;
  preflight: PreflightResult;
  /** Whether the cluster's awarenessPolicy lets the operation go past this pre-flight. */
  allowed: boolean;
}

export interface DrainStop {
  pod: string;
  /** refused: the pre-flight stops the operation; stalls: the drain starts but cannot finish. */
  kind: 'refused' | 'stalls';
  reason: string;
}

export interface DrainSequence {
  drains: PredictedDrain[];
  /** The first pod the operation would not get past; pods after it would not be touched. */
  stop?: DrainStop;
}

export function predictDrainSequence(input: DrainSequenceInput): DrainSequence {
  let nodes = input.nodes;
  let shards = input.shards;
  const drains: PredictedDrain[] = [];
  let stop: DrainStop | undefined;

  for (const pod of input.pods) {
    const preflight = preflightDrain({ node: pod, nodes, shards, awareness: input.awareness, excludedNodes: input.excludedNodes });
    const allowed = preflightAllows(preflight, input.awarenessPolicy);
    drains.push({ pod, preflight, allowed });
    stop ??= stopAt(pod, preflight, allowed);

    shards = afterDrain(pod, { nodes, shards, awareness: input.awareness, excludedNodes: input.excludedNodes });
    nodes = nodes.filter((n) => n.name !== pod);
  }
  return stop ? { drains, stop } : { drains };
}

function stopAt(pod: string, preflight: PreflightResult, allowed: boolean): DrainStop | undefined {
  if (!allowed) return { pod, kind: 'refused', reason: `pre-flight refuses ${pod} (awarenessPolicy "refuse"): ${preflight.summary}` };
  if (preflight.verdict === 'blocked') {
    return { pod, kind: 'stalls', reason: `the drain of ${pod} cannot finish and fails after stallAfter: ${preflight.summary}` };
  }
  return undefined;
}

/** The shard copies once `pod` has drained: each of its copies on the least loaded allowed node, or dropped if none. */
function afterDrain(pod: string, state: { nodes: NodeView[]; shards: ShardCopy[]; awareness: AwarenessSettings; excludedNodes: string[] }): ShardCopy[] {
  const placement = new ShardPlacement({ ...state, node: pod });
  for (const copy of placement.copiesOn(pod)) {
    const target = leastLoaded(placement.allowedDestinations(copy), placement);
    if (target) placement.move(copy, target.name);
    else placement.remove(copy);
  }
  return placement.shards();
}

function leastLoaded(options: NodeView[], placement: ShardPlacement): NodeView | undefined {
  return [...options].sort((a, b) => placement.load(a.name) - placement.load(b.name) || a.name.localeCompare(b.name))[0];
}

/** The nodes an exclusion list (attribute → entries) keeps shards off, by `_name` or `_ip`. */
export function excludedNodeNames(nodes: NodeView[], exclusions: Record<string, string[]>): string[] {
  const names = new Set(exclusions._name ?? []);
  const ips = new Set(exclusions._ip ?? []);
  return nodes.filter((n) => names.has(n.name) || ips.has(n.ip)).map((n) => n.name);
}
