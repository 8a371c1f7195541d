// Turns `_cluster/allocation/explain` into what an operator reads in `status` and the UI: the
// distinct NO decisions as "[decider] explanation", ordered by decider and without repeats;
// Elasticsearch's generic summary sentence only when no decider said anything.
import type { StuckShardExplanation } from '../workflows/types.js';

interface DeciderDecision {
  decider: string;
  decision: string;
  explanation: string;
}

export interface AllocationExplanation {
  current_state?: string;
  can_remain_on_current_node?: string;
  can_remain_decisions?: DeciderDecision[];
  can_move_to_other_node?: string;
  move_explanation?: string;
  /** For an unassigned copy. */
  can_allocate?: string;
  allocate_explanation?: string;
  unassigned_info?: { reason?: string; details?: string };
  node_allocation_decisions?: { node_name: string; deciders?: DeciderDecision[] }[];
}

export function explainReasons(explanation: AllocationExplanation): StuckShardExplanation {
  const byDecider = new Map<string, Set<string>>();
  const add = (d: DeciderDecision) => {
    if (d.decision !== 'NO') return;
    if (!byDecider.has(d.decider)) byDecider.set(d.decider, new Set());
    byDecider.get(d.decider)!.add(d.explanation);
  };
  for (const d of explanation.can_remain_decisions ?? []) add(d);
  for (const node of explanation.node_allocation_decisions ?? []) for (const d of node.deciders ?? []) add(d);

  const reasons = [...byDecider.keys()].sort().flatMap((decider) => [...byDecider.get(decider)!].map((text) => `[${decider}] ${text}`));
  const summary = explanation.move_explanation ?? explanation.allocate_explanation;
  if (reasons.length === 0 && summary) reasons.push(summary);

  const unassigned = explanation.current_state === 'unassigned' || explanation.can_allocate !== undefined;
  const stuck = unassigned ? explanation.can_allocate === 'no' || explanation.can_allocate === 'awaiting_info' : explanation.can_move_to_other_node === 'no';
  return { stuck, reasons };
}
