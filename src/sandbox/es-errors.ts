import { HttpError, type ApiResponse } from './http.js';

/** An error response in Elasticsearch's shape: {error: {root_cause, type, reason, ...}, status}. */
export function esError(status: number, type: string, reason: string, extra: Record<string, unknown> = {}): ApiResponse {
  const cause = { type, reason, ...extra };
  return { status, body: { error: { root_cause: [cause], ...cause }, status } };
}

export class EsException extends HttpError {
  constructor(status: number, type: string, reason: string, extra: Record<string, unknown> = {}) {
    super(esError(status, type, reason, extra));
  }
}

export function illegalArgument(reason: string): EsException {
  return new EsException(400, 'illegal_argument_exception', reason);
}

export function indexNotFound(index: string): EsException {
  return new EsException(404, 'index_not_found_exception', `no such index [${index}]`, {
    'resource.type': 'index_or_alias',
    'resource.id': index,
    index_uuid: '_na_',
    index,
  });
}
