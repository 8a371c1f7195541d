// Errors retrying cannot fix: bad credentials (401), missing permissions (403) and a resource that
// is not there (a renamed or deleted StatefulSet: 404 from Kubernetes). They become non-retryable
// failures that name the system, the call and the server's reason, so the operation stops at once
// with that reason in `status` instead of retrying with the reason buried in a pending activity.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

const KUBERNETES_PERMANENT = new Set([401, 403, 404]);
const ELASTICSEARCH_PERMANENT = new Set([401, 403]);

interface HttpFailure {
  system: 'Kubernetes' | 'Elasticsearch';
  status: number;
  reason: string;
}

/** Kubernetes client (ApiException: code + Status body) or Elasticsearch client (ResponseError: statusCode + body). */
function httpFailureOf(err: unknown): HttpFailure | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; body?: unknown; statusCode?: unknown; name?: string; message?: string };
  if (e.name === 'ResponseError' && typeof e.statusCode === 'number') {
    const body = e.body as { error?: { reason?: string; type?: string } } | undefined;
    return { system: 'Elasticsearch', status: e.statusCode, reason: body?.error?.reason ?? body?.error?.type ?? e.message ?? '' };
  }
  if (typeof e.code === 'number' && 'body' in e && 'headers' in e && e.code >= 400 && e.code < 600) {
    // ApiException: the Status body when the client parsed one, else its message's "Message:" line.
    const body = typeof e.body === 'string' ? safeJson(e.body) : e.body;
    const status = body as { message?: string; reason?: string } | undefined;
    const fromMessage = /^Message: (.*)$/m.exec(e.message ?? '')?.[1];
    return { system: 'Kubernetes', status: e.code, reason: status?.message ?? status?.reason ?? fromMessage ?? '' };
  }
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/** One line for an error: the system, status and server's reason when it is an HTTP answer, else its message. */
export function describeError(err: unknown): string {
  const failure = httpFailureOf(err);
  if (failure) return `${failure.system} answered ${failure.status}${failure.reason && failure.reason !== '{}' ? `: ${failure.reason}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

export function permanentFailureOf(err: unknown, activity: string): ApplicationFailure | undefined {
  const failure = httpFailureOf(err);
  if (!failure) return undefined;
  const permanent = failure.system === 'Kubernetes' ? KUBERNETES_PERMANENT : ELASTICSEARCH_PERMANENT;
  if (!permanent.has(failure.status)) return undefined;
  return ApplicationFailure.nonRetryable(
    `${failure.system} answered ${failure.status} to ${activity}: ${failure.reason}`,
    `${failure.system}${failure.status}`,
  );
}

export const permanentErrors: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (err) {
        throw permanentFailureOf(err, Context.current().info.activityType) ?? err;
      }
    },
  },
});
