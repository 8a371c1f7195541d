import type { ApiRequest, ApiResponse, RecordedRequest } from './http.js';
import type { Timers } from './timers.js';

type Api = RecordedRequest['api'];

/** Which requests a fault applies to: any, or those with this method and a path matching. */
export interface RequestMatch {
  method?: string;
  path?: RegExp;
}

interface MatchedLatency extends RequestMatch {
  ms: number;
}

/** Faults injected on demand by tests; the API servers consult them on every request. */
export class Faults {
  private readonly latencyMs: Record<Api, number> = { k8s: 0, es: 0 };
  private readonly matchedLatency: Record<Api, MatchedLatency[]> = { k8s: [], es: [] };
  private readonly failures: Record<Api, { count: number; status: number; match?: RequestMatch }> = {
    k8s: { count: 0, status: 503 },
    es: { count: 0, status: 503 },
  };
  private scaleConflicts = 0;

  constructor(
    private readonly timers: Timers,
    private readonly onStall: (on: boolean) => void,
  ) {}

  /** Latency on every request of `api`, or only on matching ones; 0 clears. */
  latency(api: Api, ms: number, match?: RequestMatch): void {
    if (!match) {
      this.latencyMs[api] = Math.max(0, ms);
      return;
    }
    const others = this.matchedLatency[api].filter((l) => l.method !== match.method || String(l.path) !== String(match.path));
    this.matchedLatency[api] = ms > 0 ? [...others, { ...match, ms }] : others;
  }

  /** The next `count` requests of `api` (matching ones only, when given) answer `status`. */
  failNext(api: Api, count: number, status = 503, match?: RequestMatch): void {
    this.failures[api] = { count, status, match };
  }

  conflictNextScaleWrites(count: number): void {
    this.scaleConflicts = count;
  }

  stallRelocations(on: boolean): void {
    this.onStall(on);
  }

  /** Applies the latency of `api`, then answers with `errorFor(status)` if a failure is pending. */
  async before(api: Api, req: ApiRequest, errorFor: (status: number) => ApiResponse): Promise<ApiResponse | undefined> {
    const ms = this.latencyMs[api] + this.matchedLatency[api].filter((l) => matches(l, req)).reduce((sum, l) => sum + l.ms, 0);
    if (ms > 0) await this.timers.sleep(ms);
    const f = this.failures[api];
    if (f.count <= 0 || (f.match && !matches(f.match, req))) return undefined;
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

function matches(match: RequestMatch, req: ApiRequest): boolean {
  return (!match.method || match.method === req.method) && (!match.path || match.path.test(req.path));
}
