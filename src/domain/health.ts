export type ClusterHealth = 'green' | 'yellow' | 'red';

const RANK: Record<ClusterHealth, number> = { red: 0, yellow: 1, green: 2 };

export function healthAtLeast(health: ClusterHealth, level: ClusterHealth): boolean {
  return RANK[health] >= RANK[level];
}
