// The capacity pre-flight of one pod: every check's finding, weighed by the policy into ok, warning or blocked,
// with the numbers behind it. Compact by design: it travels in workflow history and status.
import { formatByteSize } from './byte-size.js';
import { predictDrain, type DrainPrediction, type StuckReason } from './disk.js';
import { isDataNode, type ClusterFacts } from './facts.js';
import { checkHealth, type HealthCheck, type HealthFacts } from './health.js';
import { checkMasterEligible } from './master-eligible.js';
import { shardCapacityAfter } from './shard-limits.js';

export type CheckName = 'zoneEmpties' | 'health' | 'disk' | 'shardLimits' | 'masterEligible' | 'allocationFilters' | 'awareness';
export type CheckPolicy = 'refuse' | 'warn' | 'allow';

/** Per check what a finding does, plus the health required and the disk margin (src/config/preflight-policy.ts). */
export type PreflightPolicy = Record<CheckName, CheckPolicy> & {
  requiredHealth: 'green' | 'yellow';
  diskMarginPercent: number;
};

export interface Finding {
  check: CheckName;
  /** What the policy made of it. */
  outcome: 'blocks' | 'warns' | 'allowed';
  message: string;
  /** Blocks whatever the policy says (the last master-eligible majority). */
  absolute?: true;
}

export type Verdict = 'ok' | 'warning' | 'blocked';

export interface CapacityVerdict {
  pod: string;
  /** The pod's zone (node.attr.zone), when it has one. */
  zone?: string;
  verdict: Verdict;
  /** One line: the verdict, what blocks or warns, and the bytes to move. */
  summary: string;
  findings: Finding[];
  /** The node is master-eligible: its removal needs a voting configuration exclusion. */
  masterEligible: boolean;
  numbers: {
    bytesToMove: number;
    copiesToMove: number;
    freeBelowWatermarkByZone: Record<string, number>;
    /** Receiving nodes after the drain, fullest first, at most 5. */
    projected: DrainPrediction['projected'];
    receivingNodes: number;
    stuckCopies: number;
  };
  health: HealthCheck;
}

const STUCK_CHECK: Record<StuckReason, CheckName> = {
  disk: 'disk',
  awareness: 'awareness',
  shardLimits: 'shardLimits',
  allocationFilters: 'allocationFilters',
  sameShard: 'awareness', // too few nodes left for the copies: the same family as awareness
};

interface Raw {
  check: CheckName;
  message: string;
  /** The drain finishes anyway; something else is at risk later: never more than a warning. */
  advisory?: boolean;
  /** Refused whatever the policy says (the last master-eligible majority). */
  absolute?: boolean;
  /** Copies that cannot leave the node: the drain cannot finish while they stay. */
  holdsCopies?: boolean;
}

/** `drain` is the prediction of this pod's drain, when the caller already has it (plan plays several in a row). */
export function capacityVerdict(
  facts: ClusterFacts,
  health: HealthFacts,
  pod: string,
  policy: PreflightPolicy,
  drain: DrainPrediction = predictDrain(facts, pod, { marginPercent: policy.diskMarginPercent }),
): CapacityVerdict {
  const raw: Raw[] = [];
  const h = checkHealth(health, policy.requiredHealth);
  if (!h.ok) {
    const list = h.indices.map((i) => `${i.name} (${i.status})`).join(', ');
    raw.push({ check: 'health', message: `cluster is ${h.status}, ${h.required} required${list ? `: ${list}${h.moreIndices ? ` and ${h.moreIndices} more` : ''}` : ''}` });
  }
  const master = checkMasterEligible(facts.nodes, pod);
  if (master.masterEligible) {
    raw.push({
      check: 'masterEligible',
      message: master.losesQuorum
        ? `${pod} is master-eligible and only ${master.remaining} master-eligible node(s) would remain: the cluster may lose its master`
        : `${pod} is master-eligible: removing it needs a voting configuration exclusion`,
      absolute: master.losesQuorum,
    });
  }
  const byReason = new Map<CheckName, typeof drain.stuck>();
  for (const s of drain.stuck) byReason.set(STUCK_CHECK[s.reason], [...(byReason.get(STUCK_CHECK[s.reason]) ?? []), s]);
  for (const [check, copies] of byReason) {
    const bytes = copies.reduce((sum, c) => sum + c.bytes, 0);
    const first = copies[0]!;
    raw.push({
      check,
      message: `${copies.length} cop${copies.length === 1 ? 'y' : 'ies'} (${formatByteSize(bytes)}) cannot leave ${pod}: [${first.index}][${first.shard}] ${first.detail}`,
      holdsCopies: true,
    });
  }
  const zonesLeft = new Set(drain.projected.map((n) => n.zone));
  const zone = facts.nodes.find((n) => n.name === pod)?.attributes.zone;
  if (zone !== undefined && !zonesLeft.has(zone)) {
    raw.push({ check: 'zoneEmpties', message: `${pod} is the last data node in zone ${zone} that takes shards` });
  }
  const openShards = Object.values(facts.indices).reduce((sum, i) => sum + i.shards * i.copies, 0);
  const capacity = shardCapacityAfter(facts.settings, openShards, facts.nodes.filter(isDataNode).length - 1);
  if (capacity.exceeded) {
    raw.push({
      check: 'shardLimits',
      message: `${capacity.openShards} shards would exceed cluster.max_shards_per_node × data nodes left (${capacity.maxShards}): new indices and replicas would be refused`,
      advisory: true,
    });
  }

  const findings = raw.map(
    (r): Finding => ({ check: r.check, message: r.message, outcome: r.absolute ? 'blocks' : outcomeOf(policy[r.check], r.advisory ?? false), ...(r.absolute && { absolute: true as const }) }),
  );
  const verdict: Verdict = findings.some((f) => f.outcome === 'blocks') ? 'blocked' : findings.some((f) => f.outcome === 'warns') ? 'warning' : 'ok';
  return {
    pod,
    ...(zone !== undefined && { zone }),
    verdict,
    summary: summarise(pod, verdict, findings, findings.filter((f, i) => f.outcome === 'allowed' && raw[i]!.holdsCopies), drain),
    findings,
    masterEligible: master.masterEligible,
    numbers: {
      bytesToMove: drain.bytesToMove,
      copiesToMove: drain.copiesToMove,
      freeBelowWatermarkByZone: drain.freeBelowWatermarkByZone,
      projected: drain.projected.slice(0, 5),
      receivingNodes: drain.projected.length,
      stuckCopies: drain.stuck.length,
    },
    health: h,
  };
}

/** `allowedStuck`: findings of copies that cannot leave the node, let through by the policy. */
function summarise(pod: string, verdict: Verdict, findings: Finding[], allowedStuck: Finding[], drain: DrainPrediction): string {
  const moves = `${drain.copiesToMove} cop${drain.copiesToMove === 1 ? 'y' : 'ies'} (${formatByteSize(drain.bytesToMove)}) to move`;
  const list = (some: Finding[]) => some.map((f) => `${f.check}: ${f.message}`).join('; ');
  const shown = findings.filter((f) => f.outcome === (verdict === 'blocked' ? 'blocks' : 'warns'));
  const unfinished = allowedStuck.length > 0 ? `may never finish draining (allowed by the policy): ${list(allowedStuck)}` : undefined;
  if (shown.length > 0) return `${pod} ${verdict}: ${[list(shown), unfinished].filter(Boolean).join('; ')}; ${moves}`;
  if (unfinished) return `${pod} ${unfinished}; ${moves}`;
  return `${pod} can be drained: ${moves}`;
}

/** refuse blocks what cannot finish or risks data; a finding that cannot stop the drain (advisory) warns at most. */
function outcomeOf(policy: CheckPolicy, advisory: boolean): Finding['outcome'] {
  if (policy === 'allow') return 'allowed';
  if (policy === 'warn' || advisory) return 'warns';
  return 'blocks';
}
