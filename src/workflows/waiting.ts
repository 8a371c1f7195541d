// Calls a watching activity again and again until it reports the awaited state. Each call hands
// back the last observation so the activity can wait for a change.

export async function repeatUntil<T>(
  watch: (last: T | undefined) => Promise<T>,
  done: (observation: T) => boolean,
  onObservation: (observation: T) => void = () => undefined,
): Promise<T> {
  let last: T | undefined;
  for (;;) {
    last = await watch(last);
    onObservation(last);
    if (done(last)) return last;
  }
}
