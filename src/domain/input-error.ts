/** A mistake in what a user asked for (unknown cluster, replicas out of range, ...): never retried. */
export class InputError extends Error {
  override name = 'InputError';
}
