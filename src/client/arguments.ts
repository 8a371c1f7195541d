import { InputError } from '../domain/input-error.js';

/** A replica count from the command line; anything but a whole number is left for validation to name. */
export function replicasArgument(text: string | undefined): unknown {
  if (text === undefined) throw new InputError('replicas: expected a whole number, found nothing');
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

export function requiredArgument(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new InputError(`${name}: missing (see --help)`);
  return value;
}
