// Which pods a scale operation touches. A StatefulSet always removes its highest ordinal first,
// so a scale-in drains nodes in that order, one at a time.

export type ScaleDirection = 'in' | 'out' | 'none';

export function podName(statefulSet: string, ordinal: number): string {
  return `${statefulSet}-${ordinal}`;
}

/** The ordinal of a StatefulSet pod name, or undefined when the name is not one of its pods. */
export function podOrdinal(statefulSet: string, name: string): number | undefined {
  const prefix = `${statefulSet}-`;
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

export function scaleDirection(current: number, target: number): ScaleDirection {
  if (target < current) return 'in';
  if (target > current) return 'out';
  return 'none';
}

/** Pods removed when going from `current` to `target` replicas, in removal order. */
export function podsToRemove(statefulSet: string, current: number, target: number): string[] {
  const pods: string[] = [];
  for (let ordinal = current - 1; ordinal >= target; ordinal--) pods.push(podName(statefulSet, ordinal));
  return pods;
}

/** Pods created when going from `current` to `target` replicas, in creation order. */
export function podsToAdd(statefulSet: string, current: number, target: number): string[] {
  const pods: string[] = [];
  for (let ordinal = current; ordinal < target; ordinal++) pods.push(podName(statefulSet, ordinal));
  return pods;
}

export interface ReplicaGuards {
  minReplicas: number;
  maxReplicas: number;
}

/** Why a requested replica count is not allowed for a cluster, naming the field; undefined when it is. */
export function replicasProblem(replicas: unknown, guards: ReplicaGuards): string | undefined {
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    return `replicas: expected a whole number, found ${JSON.stringify(replicas)}`;
  }
  if (replicas < guards.minReplicas) return `replicas: expected at least minReplicas (${guards.minReplicas}), found ${replicas}`;
  if (replicas > guards.maxReplicas) return `replicas: expected at most maxReplicas (${guards.maxReplicas}), found ${replicas}`;
  return undefined;
}
