// GET/POST _cluster/allocation/explain: which shard copy is explained, and the ES-shaped explanation of it.
import { canAllocate, canRebalance, canRemain, overall, type Decision, type DecisionType } from './deciders.js';
import { EsException, illegalArgument, indexNotFound } from './es-errors.js';
import type { EsCluster } from './es-cluster.js';
import type { EsNode, ShardCopy } from './model.js';

export interface ExplainRequest {
  index?: string;
  shard?: number;
  primary?: boolean;
  current_node?: string;
}

const DOCS = 'https://www.elastic.co/guide/en/elasticsearch/reference/8.19/cluster-allocation-explain.html';

// ES's Explanations texts and ClusterAllocationExplanation notes
const NO_SHARD_SPECIFIED =
  'No shard was specified in the explain API request, so this response explains a randomly chosen unassigned shard. There may be other unassigned shards in this cluster which cannot be assigned for different reasons. It may not be possible to assign this shard until one of the other shards is assigned correctly. To explain the allocation of other shards (whether assigned or unassigned) you must specify the target shard in the request to this API. ' +
  `See ${DOCS} for more information.`;
const ALLOCATE = {
  yes: 'Elasticsearch can allocate the shard.',
  throttled: 'Elasticsearch is currently busy with other activities. It expects to be able to allocate this shard when those activities finish. Please wait.',
  no: "Elasticsearch isn't allowed to allocate this shard to any of the nodes in the cluster. Choose a node to which you expect this shard to be allocated, find this node in the node-by-node explanation, and address the reasons which prevent Elasticsearch from allocating this shard there.",
  noCopies:
    "Elasticsearch can't allocate this shard because there are no copies of its data in the cluster. Elasticsearch will allocate this shard when a node holding a good copy of its data joins the cluster. If no such node is available, restore this index from a recent snapshot.",
};
const MOVE = {
  yes: 'This shard may not remain on its current node. Elasticsearch will move it to another node.',
  throttled: 'This shard may not remain on its current node. Elasticsearch is currently busy with other activities and will move this shard to another node when those activities finish. Please wait.',
  no: "This shard may not remain on its current node, but Elasticsearch isn't allowed to move it to another node. Choose a node to which you expect this shard to be allocated, find this node in the node-by-node explanation, and address the reasons which prevent Elasticsearch from allocating this shard there.",
};
const REBALANCE = {
  yes: 'Elasticsearch can rebalance this shard to another node.',
  alreadyBalanced:
    'This shard is in a well-balanced location and satisfies all allocation rules so it will remain on this node. Elasticsearch cannot improve the cluster balance by moving it to another node. If you expect this shard to be rebalanced to another node, find the other node in the node-by-node explanation and address the reasons which prevent Elasticsearch from rebalancing this shard there.',
  clusterThrottle: 'Elasticsearch is currently busy with other activities. It will rebalance this shard when those activities finish. Please wait.',
  nodeThrottle:
    'Elasticsearch is attempting to rebalance this shard to another node, but the nodes involved are currently busy with other activities. The shard will be rebalanced when those activities finish. Please wait.',
  cannotRebalanceCanAllocate:
    "Elasticsearch is allowed to allocate this shard to another node but it isn't allowed to rebalance the shard there. If you expect this shard to be rebalanced to another node, find this node in the node-by-node explanation and address the reasons which prevent Elasticsearch from rebalancing this shard there.",
  cannotRebalanceCannotAllocate:
    'Elasticsearch is not allowed to allocate or rebalance this shard to another node. If you expect this shard to be rebalanced to another node, find this node in the node-by-node explanation and address the reasons which prevent Elasticsearch from rebalancing this shard there.',
};

type NodeDecision = 'yes' | 'throttled' | 'no' | 'worse_balance';
const NODE_DECISION_ORDER: NodeDecision[] = ['yes', 'throttled', 'no', 'worse_balance'];
const fromType = (t: DecisionType): NodeDecision => (t === 'YES' ? 'yes' : t === 'THROTTLE' ? 'throttled' : 'no');

type Json = Record<string, unknown>;

export function explainAllocation(cluster: EsCluster, req: ExplainRequest, includeYesDecisions: boolean): Json {
  const specific = req.index !== undefined || req.shard !== undefined || req.primary !== undefined;
  const copy = specific ? findCopy(cluster, req) : anyUnassigned(cluster, req);
  const shown = (ds: readonly Decision[]): Decision[] => (includeYesDecisions ? [...ds] : ds.filter((d) => d.decision !== 'YES'));
  const out: Json = {};
  if (!specific) out.note = NO_SHARD_SPECIFIED;
  Object.assign(out, { index: copy.index, shard: copy.shard, primary: copy.primary, current_state: copy.state.toLowerCase() });
  if (copy.unassigned) {
    const u = copy.unassigned;
    out.unassigned_info = {
      reason: u.reason,
      at: new Date(u.at).toISOString(),
      ...(u.details === undefined ? {} : { details: u.details }),
      last_allocation_status: u.lastAllocationStatus,
    };
  }
  const node = copy.nodeId === undefined ? undefined : cluster.node(copy.nodeId);
  if (!node) return Object.assign(out, allocateDecision(cluster, copy, shown));
  out.current_node = nodeJson(node, true);
  if (copy.state === 'INITIALIZING') {
    out.explanation = `the shard is in the process of initializing on node [${node.name}], wait until initialization has completed`;
  } else if (copy.state === 'RELOCATING') {
    const target = copy.target && cluster.node(copy.target.nodeId);
    out.explanation = `the shard is in the process of relocating from node [${node.name}] to node [${target?.name}], wait until relocation has completed`;
  } else {
    Object.assign(out, moveDecision(cluster, copy, node, shown, out.current_node as Json));
  }
  return out;
}

function anyUnassigned(cluster: EsCluster, req: ExplainRequest): ShardCopy {
  if (req.current_node !== undefined) {
    throw validationFailed(['cannot explain a shard that is not specified by index, shard, primary but with a current node']);
  }
  const unassigned = cluster.copies().filter((c) => c.state === 'UNASSIGNED');
  const copy = unassigned.find((c) => c.primary) ?? unassigned[0];
  if (!copy) {
    // wording of Elasticsearch 8.19.21, checked against the real-nodes tier
    throw illegalArgument(
      'No shard was specified in the request which means the response should explain a randomly-chosen unassigned shard, but there are no ' +
        `unassigned shards in this cluster. To explain the allocation of an assigned shard you must specify the target shard in the request. See ${DOCS} for more information.`,
    );
  }
  return copy;
}

function validationFailed(errors: string[]): EsException {
  return new EsException(400, 'action_request_validation_exception', `Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}`);
}

function findCopy(cluster: EsCluster, req: ExplainRequest): ShardCopy {
  const missing = (['index', 'shard', 'primary'] as const).filter((k) => req[k] === undefined).map((k) => `${k} must be specified`);
  if (missing.length > 0 || req.index === undefined || req.shard === undefined) throw validationFailed(missing);
  const meta = cluster.index(req.index);
  if (!meta) throw indexNotFound(req.index);
  if (req.shard < 0 || req.shard >= meta.primaries) {
    throw new EsException(404, 'shard_not_found_exception', 'no such shard', { index_uuid: meta.uuid, shard: String(req.shard), index: meta.name });
  }
  const copies = cluster.copies().filter((c) => c.index === req.index && c.shard === req.shard && c.primary === req.primary);
  const onNode = req.current_node === undefined ? undefined : resolveNode(cluster, req.current_node);
  if (req.primary) {
    const primary = copies[0]!;
    if (onNode && primary.nodeId !== onNode.id) throw illegalArgument(`unable to find primary shard assigned to node [${req.current_node}]`);
    return primary;
  }
  if (onNode) {
    const replica = copies.find((c) => c.nodeId === onNode.id);
    if (!replica) throw illegalArgument(`unable to find a replica shard assigned to node [${req.current_node}]`);
    return replica;
  }
  // like ES: an unassigned replica first, else a started one, which can be explained
  const replica = copies.find((c) => c.state === 'UNASSIGNED') ?? copies.find((c) => c.state === 'STARTED') ?? copies[0];
  if (!replica) throw illegalArgument(`unable to find any shards to explain [${JSON.stringify(req)}] in the routing table`);
  return replica;
}

function resolveNode(cluster: EsCluster, idOrName: string): EsNode {
  const node = cluster.nodes().find((n) => n.id === idOrName || n.name === idOrName);
  if (!node) throw illegalArgument(`failed to resolve [${idOrName}], no matching nodes`);
  return node;
}

function nodeJson(node: EsNode, outer: boolean): Json {
  return {
    [outer ? 'id' : 'node_id']: node.id,
    [outer ? 'name' : 'node_name']: node.name,
    transport_address: `${node.ip}:9300`,
    [outer ? 'attributes' : 'node_attributes']: { ...node.attributes },
    roles: [...node.roles],
  };
}

/** 1 = the node the balancer would pick first for another shard of this index. */
function weightRanking(cluster: EsCluster, index: string): Map<string, number> {
  const ranked = [...cluster.dataNodes()].sort((a, b) => cluster.weight(a.id, index) - cluster.weight(b.id, index));
  return new Map(ranked.map((n, i) => [n.id, i + 1]));
}

interface NodeResult {
  node: EsNode;
  decision: NodeDecision;
  ranking: number;
  deciders: Decision[];
}

function byDecisionThenRanking(a: NodeResult, b: NodeResult): number {
  return NODE_DECISION_ORDER.indexOf(a.decision) - NODE_DECISION_ORDER.indexOf(b.decision) || a.ranking - b.ranking;
}

function nodeResultsJson(results: NodeResult[]): Json[] {
  return [...results]
    .sort((a, b) => byDecisionThenRanking(a, b) || a.node.id.localeCompare(b.node.id))
    .map((r) => ({
      ...nodeJson(r.node, false),
      node_decision: r.decision,
      weight_ranking: r.ranking,
      ...(r.deciders.length > 0 ? { deciders: r.deciders } : {}),
    }));
}

function allocateDecision(cluster: EsCluster, copy: ShardCopy, shown: (ds: readonly Decision[]) => Decision[]): Json {
  if (copy.dataLost) {
    return {
      can_allocate: 'no_valid_shard_copy',
      allocate_explanation: ALLOCATE.noCopies,
      node_allocation_decisions: cluster.dataNodes().map((n) => ({ ...nodeJson(n, false), node_decision: 'no', store: { found: false } })),
    };
  }
  const ranking = weightRanking(cluster, copy.index);
  const results = cluster.dataNodes().map((node): NodeResult => {
    const deciders = canAllocate(cluster, copy, node);
    return { node, decision: fromType(overall(deciders)), ranking: ranking.get(node.id)!, deciders: shown(deciders) };
  });
  const choice = cluster.bestTarget(copy);
  return {
    can_allocate: choice.status,
    allocate_explanation: ALLOCATE[choice.status],
    ...(choice.node ? { target_node: nodeJson(choice.node, true) } : {}),
    node_allocation_decisions: nodeResultsJson(results),
  };
}

function moveDecision(cluster: EsCluster, copy: ShardCopy, current: EsNode, shown: (ds: readonly Decision[]) => Decision[], currentJson: Json): Json {
  const ranking = weightRanking(cluster, copy.index);
  const others = cluster.dataNodes().filter((n) => n.id !== current.id);
  const allocate = new Map(others.map((n) => [n.id, canAllocate(cluster, copy, n)]));
  const remain = canRemain(cluster, copy, current);
  if (overall(remain) === 'NO') {
    const choice = cluster.bestTarget(copy, { exclude: current.id });
    return {
      ...(choice.node ? { target_node: nodeJson(choice.node, true) } : {}),
      can_remain_on_current_node: 'no',
      can_remain_decisions: shown(remain),
      can_move_to_other_node: choice.status === 'yes' ? 'yes' : 'no',
      move_explanation: MOVE[choice.status],
      node_allocation_decisions: nodeResultsJson(
        others.map((node) => {
          const ds = allocate.get(node.id)!;
          return { node, decision: fromType(overall(ds)), ranking: ranking.get(node.id)!, deciders: shown(ds) };
        }),
      ),
    };
  }
  currentJson.weight_ranking = ranking.get(current.id);
  // nodes that would improve the balance are rated by the deciders; the others would make it worse
  const results = others.map((node): NodeResult => {
    const ds = allocate.get(node.id)!;
    const type = overall(ds);
    const decision = cluster.improvesBalance(current, node) ? fromType(type) : type === 'NO' ? 'no' : 'worse_balance';
    return { node, decision, ranking: ranking.get(node.id)!, deciders: shown(ds) };
  });
  const rebalance = canRebalance(cluster);
  const clusterType = overall(rebalance);
  const out: Json = { can_remain_on_current_node: 'yes', can_rebalance_cluster: fromType(clusterType) };
  if (clusterType !== 'YES') {
    out.can_rebalance_cluster_decisions = shown(rebalance);
    out.can_rebalance_to_other_node = fromType(clusterType);
    out.rebalance_explanation =
      clusterType === 'THROTTLE'
        ? REBALANCE.clusterThrottle
        : results.some((r) => r.decision === 'yes')
          ? REBALANCE.cannotRebalanceCanAllocate
          : REBALANCE.cannotRebalanceCannotAllocate;
  } else {
    const best = results.filter((r) => r.decision === 'yes' || r.decision === 'throttled').sort(byDecisionThenRanking)[0];
    if (best?.decision === 'yes') out.target_node = nodeJson(best.node, true);
    out.can_rebalance_to_other_node = best?.decision ?? 'no';
    out.rebalance_explanation = !best ? REBALANCE.alreadyBalanced : best.decision === 'yes' ? REBALANCE.yes : REBALANCE.nodeThrottle;
  }
  out.node_allocation_decisions = nodeResultsJson(results);
  return out;
}
