// When is a drain stalled (F1)? Progress means the number of shards left on the node went down;
// the stall clock runs from the last progress. Set stallAfter above the time your largest shard
// takes to relocate.

export interface DrainObservation {
  shardsLeft: number;
  at: number;
}

export class DrainProgress {
  private lastShardsLeft: number | undefined;
  private lastProgressAt: number;

  constructor(startedAt: number) {
    this.lastProgressAt = startedAt;
  }

  /** Records a poll; returns true when it showed progress. */
  observe({ shardsLeft, at }: DrainObservation): boolean {
    const progressed = this.lastShardsLeft === undefined || shardsLeft < this.lastShardsLeft;
    if (progressed) this.lastProgressAt = at;
    this.lastShardsLeft = shardsLeft;
    return progressed;
  }

  get shardsLeft(): number | undefined {
    return this.lastShardsLeft;
  }

  get since(): number {
    return this.lastProgressAt;
  }

  /** Milliseconds until the drain counts as stalled; zero or less once it does. */
  remainingBeforeStall(now: number, stallAfterMs: number): number {
    return this.lastProgressAt + stallAfterMs - now;
  }

  isStalled(now: number, stallAfterMs: number): boolean {
    return this.remainingBeforeStall(now, stallAfterMs) <= 0;
  }
}
