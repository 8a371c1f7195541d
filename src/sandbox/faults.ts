import type { ApiResponse, RecordedRequest } from './http.js';
import type { Timers } from './timers.js';

type Api = RecordedRequest['api'];

/** Faults injected on demand by tests; the API servers consult them on every request. */
export class Faults {
  private readonly latencyMs: Record<Api, number> = { k8s: 0, es: 0 };
  private readonly failures: Record<Api, { count: number; status: number }> = {
    k8s: { count: 0, status: 503 },
    es: { count: 0, status: 503 },
  };
  private scaleConflicts = 0;

  constructor(
    private readonly timers: Timers,
    private readonly onStall: (on: boolean) => void,
  ) {}

  latency(api: Api, ms: number): void {
    this.latencyMs[api] = Math.max(0, ms);
  }

  failNext(api: Api, count: number, status = 503): void {
    this.failures[api] = { count, status };
  }

  conflictNextScaleWrites(count: number): void {
    this.scaleConflicts = count;
  }

  stallRelocations(on: boolean): void {
    this.onStall(on);
  }

  /** Applies the latency of `api`, then answers with `errorFor(status)` if a failure is pending. */
  async before(api: Api, errorFor: (status: number) => ApiResponse): Promise<ApiResponse | undefined> {
    if (this.latencyMs[api] > 0) await this.timers.sleep(this.latencyMs[api]);
    const f = this.failures[api];
    if (f.count <= 0) return undefined;
    f.count--;
    return errorFor(f.status);
  }

  /** True if this scale write must be answered with 409 Conflict. */
  takeScaleConflict(): boolean {
    if (this.scaleConflicts <= 0) return false;
    this.scaleConflicts--;
    return true;
  }
}
