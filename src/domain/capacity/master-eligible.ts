// Removing a master-eligible node shrinks the voting configuration: the official operator does it one node at a
// time with a voting-configuration exclusion around it. Refused unless configured; and never the last majority.
import { isMasterEligible, type NodeFacts } from './facts.js';

export interface MasterCheck {
  masterEligible: boolean;
  /** Master-eligible nodes left after the removal. */
  remaining: number;
  /** Removing it leaves no master-eligible node, or fewer than half of them: the cluster may lose its master. */
  losesQuorum: boolean;
}

export function checkMasterEligible(nodes: readonly NodeFacts[], node: string): MasterCheck {
  const eligible = nodes.filter(isMasterEligible);
  const target = nodes.find((n) => n.name === node);
  const masterEligible = target !== undefined && isMasterEligible(target);
  const remaining = eligible.length - (masterEligible ? 1 : 0);
  return { masterEligible, remaining, losesQuorum: masterEligible && (remaining === 0 || remaining * 2 < eligible.length) };
}
