// Predicts the pre-flight of every pod a scale-in would drain, before anything changes (the CLI's
// `plan`). A scale-in drains one pod at a time, so each pod's pre-flight must see the cluster as
// the earlier drains leave it: the drained node gone (its zone may go with it), and its shard
// copies where the capacity pre-flight's play put them (every rule respected; which node exactly
// is Elasticsearch's balancer's choice).
import { factsAfterDrain, predictDrain } from './capacity/disk.js';
import type { ClusterFacts } from './capacity/facts.js';
import type { HealthFacts } from './capacity/health.js';
import { capacityVerdict, type CapacityVerdict, type PreflightPolicy } from './capacity/verdict.js';

export interface DrainSequenceInput {
  /** In drain order (highest ordinal first, as scale-plan's podsToRemove gives them). */
  pods: string[];
  facts: ClusterFacts;
  health: HealthFacts;
  policy: PreflightPolicy;
}

export interface PredictedDrain {
  pod: string;
  preflight: CapacityVerdict;
  /** Whether the policy lets the operation go past this pre-flight (the verdict is not blocked). */
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
  let facts = input.facts;
  const drains: PredictedDrain[] = [];
  let stop: DrainStop | undefined;

  for (const pod of input.pods) {
    const drain = predictDrain(facts, pod, { marginPercent: input.policy.diskMarginPercent });
    const preflight = capacityVerdict(facts, input.health, pod, input.policy, drain);
    const allowed = preflight.verdict !== 'blocked';
    drains.push({ pod, preflight, allowed });
    stop ??= stopAt(preflight);
    facts = factsAfterDrain(facts, drain);
  }
  return stop ? { drains, stop } : { drains };
}

function stopAt(preflight: CapacityVerdict): DrainStop | undefined {
  const { pod } = preflight;
  if (preflight.verdict === 'blocked') return { pod, kind: 'refused', reason: `the pre-flight refuses ${pod}: ${preflight.summary}` };
  if (preflight.numbers.stuckCopies > 0) {
    return { pod, kind: 'stalls', reason: `the drain of ${pod} cannot finish and fails after stallAfter: ${preflight.summary}` };
  }
  return undefined;
}
