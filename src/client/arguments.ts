/** A replica count from the command line; anything but a whole number is left for validation to name. */
export function replicasArgument(text: string): unknown {
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}
