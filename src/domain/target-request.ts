// The shape every desired-target message must have, checked where it enters a workflow (the
// setTarget update's validator, the signal handler) and by the client before sending.
import { MAX_REPLICAS } from '../config/limits.js';

export function targetRequestProblem(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null) return `target: expected an object like {"replicas": 8, "source": "me"}, found ${JSON.stringify(request)}`;
  const { replicas, source } = request as { replicas?: unknown; source?: unknown };
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) {
    return `replicas: expected a whole number from 0 to ${MAX_REPLICAS}, found ${JSON.stringify(replicas)}`;
  }
  if (typeof source !== 'string' || source.trim() === '') return `source: expected who asks, like "cli:alice", found ${JSON.stringify(source)}`;
  return undefined;
}
