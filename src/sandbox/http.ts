// A tiny router and server shell shared by the simulated Kubernetes and Elasticsearch APIs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  api: 'k8s' | 'es';
  method: string;
  path: string; // with the query string, if any
}

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  params: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  body?: unknown; // serialised as JSON
  text?: string; // sent as is (e.g. _cat tables)
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: ApiRequest) => ApiResponse | Promise<ApiResponse>;

/** Thrown by handlers (or code they call) to answer with a ready-made error response in the API's own format. */
export class HttpError extends Error {
  constructor(readonly response: ApiResponse) {
    super(`HTTP ${response.status}`);
  }
}

interface Route {
  methods: string[];
  segments: string[];
  handler: Handler;
}

type RouteMatch = { handler: Handler; params: Record<string, string> } | { allowed: string[] };

export class Router {
  private readonly routes: Route[] = [];

  /** `pattern` segments starting with ':' capture one path segment; the first matching route wins. */
  on(methods: string | string[], pattern: string, handler: Handler): this {
    this.routes.push({ methods: ([] as string[]).concat(methods), segments: splitPath(pattern), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch | undefined {
    const segments = splitPath(path).map(decodeURIComponent);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.methods.includes(method)) return { handler: route.handler, params };
      allowed.push(...route.methods);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const a = actual[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = a;
    else if (p !== a) return undefined;
  }
  return params;
}

export interface ApiServerOptions {
  api: RecordedRequest['api'];
  host: string;
  /** 0 or absent: a free port. */
  port?: number;
  router: Router;
  requests: RecordedRequest[];
  /** Runs before routing; a response returned here (an injected fault) is sent instead of the route's. */
  before(req: ApiRequest): Promise<ApiResponse | undefined>;
  notFound(req: ApiRequest): ApiResponse;
  methodNotAllowed(req: ApiRequest, allowed: string[]): ApiResponse;
  internalError(err: unknown): ApiResponse;
  /** Headers on every response of this API. */
  headers: Record<string, string>;
  /** Last look at every response (e.g. ES's filter_path). */
  finish?(req: ApiRequest, res: ApiResponse): ApiResponse;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const server = http.createServer((req, res) => {
    void serve(opts, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${hostInUrl}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets of the clients would otherwise hold close() open
      }),
  };
}

async function serve(opts: ApiServerOptions, raw: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(raw.url ?? '/', 'http://sandbox');
  const method = (raw.method ?? 'GET').toUpperCase();
  opts.requests.push({ api: opts.api, method, path: url.pathname + url.search });
  const req: ApiRequest = { method, path: url.pathname, query: url.searchParams, headers: raw.headers, body: await readBody(raw), params: {} };
  let response: ApiResponse;
  try {
    response = (await opts.before(req)) ?? (await route(opts, req));
  } catch (err) {
    response = err instanceof HttpError ? err.response : opts.internalError(err);
  }
  if (opts.finish) response = opts.finish(req, response);
  write(res, method, req.query, { ...response, headers: { ...opts.headers, ...response.headers } });
}

async function route(opts: ApiServerOptions, req: ApiRequest): Promise<ApiResponse> {
  const match = opts.router.match(req.method, req.path);
  if (!match) return opts.notFound(req);
  if ('allowed' in match) return opts.methodNotAllowed(req, match.allowed);
  req.params = match.params;
  return match.handler(req);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `?pretty`, `?pretty=true` and `?flat_settings` style flags: present and not "false". */
export function flag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v !== null && v !== 'false';
}

function write(res: http.ServerResponse, method: string, query: URLSearchParams, r: ApiResponse): void {
  let payload = '';
  let contentType = r.contentType;
  if (r.text !== undefined) {
    payload = r.text;
    contentType ??= 'text/plain; charset=UTF-8';
  } else if (r.body !== undefined) {
    payload = flag(query, 'pretty') ? JSON.stringify(r.body, null, 2) + '\n' : JSON.stringify(r.body);
    contentType ??= 'application/json';
  }
  const headers: Record<string, string | number> = { ...r.headers, 'content-length': Buffer.byteLength(payload) };
  if (contentType) headers['content-type'] = contentType;
  res.writeHead(r.status, headers);
  res.end(method === 'HEAD' ? undefined : payload);
}
