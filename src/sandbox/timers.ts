/** Every timer of one sandbox, so that close() leaves nothing behind to keep the process alive. */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private closed = false;

  /** Resolves after `ms`; never resolves once the sandbox is closed (the work it guards is abandoned). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return;
      const t = setTimeout(() => {
        this.pending.delete(t);
        resolve();
      }, ms);
      this.pending.add(t);
    });
  }

  every(ms: number, fn: () => void): void {
    if (this.closed) return;
    this.pending.add(setInterval(fn, ms));
  }

  /** Polls `done` every `stepMs` until it holds (true) or `timeoutMs` passes (false). */
  async waitUntil(done: () => boolean, timeoutMs: number, stepMs = 50): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() >= deadline) return false;
      await this.sleep(Math.min(stepMs, Math.max(1, deadline - Date.now())));
    }
    return true;
  }

  close(): void {
    this.closed = true;
    for (const t of this.pending) clearTimeout(t); // clearTimeout also clears intervals
    this.pending.clear();
  }
}
