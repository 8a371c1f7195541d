// Predicts, before anything is excluded, whether Elasticsearch's allocation awareness will let a
// node drain (F1). The rule follows Elasticsearch's awareness decider: for each awareness
// attribute, a shard may have at most ceil(copies / number of attribute values) copies per value,
// where the values are those of every node in the cluster plus any forced values.

export interface NodeView {
  name: string;
  ip: string;
  attributes: Record<string, string>;
}

export interface ShardCopy {
  index: string;
  shard: number;
  primary: boolean;
  node: string;
  /** 1 + number_of_replicas of the index. */
  copies: number;
}

export interface AwarenessSettings {
  attributes: string[];
  forcedValues: Record<string, string[]>;
}

export interface BlockedShard {
  index: string;
  shard: number;
  primary: boolean;
  reason: string;
}

export type PreflightVerdict = 'ok' | 'empties-zone' | 'blocked';

export interface PreflightResult {
  node: string;
  verdict: PreflightVerdict;
  /** Awareness values left without any allocatable node once this node is drained. */
  emptiedZones: { attribute: string; value: string }[];
  blockedShards: BlockedShard[];
  summary: string;
}

export interface PreflightInput {
  node: string;
  nodes: NodeView[];
  shards: ShardCopy[];
  awareness: AwarenessSettings;
  /** Nodes already excluded from allocation (they take no shards). */
  excludedNodes: string[];
}

export function preflightDrain(input: PreflightInput): PreflightResult {
  const { node, nodes, shards, awareness } = input;
  const unavailable = new Set([...input.excludedNodes, node]);
  const drained = nodes.find((n) => n.name === node);
  const emptiedZones = awareness.attributes.flatMap((attribute) => {
    const value = drained?.attributes[attribute];
    if (value === undefined) return [];
    const others = nodes.filter((n) => !unavailable.has(n.name) && n.attributes[attribute] === value);
    return others.length === 0 ? [{ attribute, value }] : [];
  });

  const blockedShards: BlockedShard[] = [];
  for (const copy of shards.filter((s) => s.node === node)) {
    const options = destinations(copy, input);
    if (options.length === 0) {
      blockedShards.push({ ...shardId(copy), reason: 'no other node can hold a copy of this shard' });
      continue;
    }
    if (options.every((o) => o.refusal !== undefined)) blockedShards.push({ ...shardId(copy), reason: options[0]!.refusal! });
  }

  const verdict: PreflightVerdict = blockedShards.length > 0 ? 'blocked' : emptiedZones.length > 0 ? 'empties-zone' : 'ok';
  return { node, verdict, emptiedZones, blockedShards, summary: summarise(node, verdict, emptiedZones, blockedShards) };
}

/** The nodes that may take `copy` when `input.node` drains, as allocation awareness decides. */
export function allowedDestinations(copy: ShardCopy, input: PreflightInput): NodeView[] {
  return destinations(copy, input)
    .filter((o) => o.refusal === undefined)
    .map((o) => o.target);
}

/** Every node that could hold another copy of `copy`'s shard, with awareness's refusal if any. */
function destinations(copy: ShardCopy, input: PreflightInput): { target: NodeView; refusal?: string }[] {
  const { node, nodes, shards, awareness } = input;
  const unavailable = new Set([...input.excludedNodes, node]);
  const drained = nodes.find((n) => n.name === node);
  const siblings = shards.filter((s) => s.index === copy.index && s.shard === copy.shard);
  return nodes
    .filter((n) => !unavailable.has(n.name) && !siblings.some((s) => s.node === n.name))
    .map((target) => ({ target, refusal: awarenessRefusal(copy, siblings, drained, target, nodes, awareness) }));
}

/** Why awareness refuses moving `copy` onto `target`, or undefined when it allows it. */
function awarenessRefusal(
  copy: ShardCopy,
  siblings: ShardCopy[],
  source: NodeView | undefined,
  target: NodeView,
  nodes: NodeView[],
  awareness: AwarenessSettings,
): string | undefined {
  for (const attribute of awareness.attributes) {
    const targetValue = target.attributes[attribute];
    if (targetValue === undefined || targetValue === source?.attributes[attribute]) continue;
    const values = new Set([
      ...nodes.map((n) => n.attributes[attribute]).filter((v): v is string => v !== undefined),
      ...(awareness.forcedValues[attribute] ?? []),
    ]);
    const maxPerValue = Math.ceil(copy.copies / values.size);
    const holderValues = siblings.map((s) => nodes.find((n) => n.name === s.node)?.attributes[attribute]);
    const after = holderValues.filter((v) => v === targetValue).length + 1;
    if (after > maxPerValue) {
      return `${copy.copies} copies over ${values.size} values of [${attribute}] allow at most ${maxPerValue} per value; ${attribute}=${targetValue} would hold ${after}`;
    }
  }
  return undefined;
}

function shardId(copy: ShardCopy) {
  return { index: copy.index, shard: copy.shard, primary: copy.primary };
}

function summarise(
  node: string,
  verdict: PreflightVerdict,
  emptiedZones: PreflightResult['emptiedZones'],
  blocked: BlockedShard[],
): string {
  const zones = emptiedZones.map((z) => `${z.attribute}=${z.value}`).join(', ');
  switch (verdict) {
    case 'ok':
      return `${node} can be drained: every shard copy on it has an allowed destination`;
    case 'empties-zone':
      return `${node} is the last node with ${zones}; its shards can move, but that zone will be empty`;
    case 'blocked':
      return (
        `${node}${zones ? ` is the last node with ${zones} and` : ''} holds ${blocked.length} shard ` +
        `cop${blocked.length === 1 ? 'y' : 'ies'} that allocation awareness will not move (${blocked[0]!.reason})`
      );
  }
}

/** Whether a scale-in may proceed past the pre-flight under the cluster's awareness policy. */
export function preflightAllows(result: PreflightResult, policy: 'refuse' | 'allow'): boolean {
  return policy === 'allow' || result.verdict === 'ok';
}
