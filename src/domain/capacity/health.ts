// Cluster health before a scale-in: draining a node of a cluster that already misses copies risks the copies
// it still holds, so a scale-in starts only from the health the policy requires.

export type HealthStatus = 'green' | 'yellow' | 'red';

export interface HealthFacts {
  status: HealthStatus;
  /** Indices whose health is not green, with theirs (from _cluster/health?level=indices). */
  indices: { name: string; status: HealthStatus }[];
}

export interface HealthCheck {
  ok: boolean;
  status: HealthStatus;
  required: 'green' | 'yellow';
  /** The indices below the required health, worst first, at most `limit` of them. */
  indices: { name: string; status: HealthStatus }[];
  moreIndices: number;
}

const RANK: Record<HealthStatus, number> = { green: 0, yellow: 1, red: 2 };

export function checkHealth(facts: HealthFacts, required: 'green' | 'yellow', limit = 10): HealthCheck {
  const below = facts.indices
    .filter((i) => RANK[i.status] > RANK[required])
    .sort((a, b) => RANK[b.status] - RANK[a.status] || a.name.localeCompare(b.name));
  return {
    ok: RANK[facts.status] <= RANK[required],
    status: facts.status,
    required,
    indices: below.slice(0, limit),
    moreIndices: Math.max(0, below.length - limit),
  };
}
