// The one client es-scaler uses for every engine: the official Elasticsearch client. OpenSearch answers
// the same REST calls es-scaler makes (settings, _cat, _nodes, health, allocation/explain) with the same
// shapes, but it sends no `x-elastic-product` header and does not accept Elasticsearch's versioned media
// types, so for OpenSearch the transport skips the product check and speaks plain JSON. With `engine:
// auto` the first request asks `GET /` which engine it is, and every request goes the matching way.
import { Client, errors, type ClientOptions } from '@elastic/elasticsearch';
import { Transport, type TransportOptions, type TransportRequestOptions, type TransportRequestParams } from '@elastic/transport';
import type { EngineSetting } from '../config/schema.js';
import { engineOfRoot, type RootInfo } from '../domain/engine.js';

class OpenSearchTransport extends Transport {
  constructor(opts: TransportOptions) {
    const { productCheck: _elasticsearchOnly, ...rest } = opts;
    super({
      ...rest,
      vendoredHeaders: { jsonContentType: 'application/json', ndjsonContentType: 'application/x-ndjson', accept: 'application/json, text/plain' },
    });
  }
}

/** Itself the Elasticsearch transport; hands every request to the OpenSearch one when `GET /` says OpenSearch. */
class EngineDetectingTransport extends Transport {
  private readonly openSearch: OpenSearchTransport;
  private detected?: Promise<boolean>;

  constructor(opts: TransportOptions) {
    super(opts);
    this.openSearch = new OpenSearchTransport(opts);
  }

  // One signature for the base class's three overloads: the result is whatever the chosen transport returns.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override async request(params: TransportRequestParams, options?: TransportRequestOptions): Promise<any> {
    this.detected ??= this.openSearch.request<RootInfo>({ method: 'GET', path: '/' }).then(
      (root) => engineOfRoot(root).engine === 'opensearch',
      (err: unknown) => {
        if (withoutRootEndpoint(err)) return false;
        this.detected = undefined; // asked again by the next request
        throw err;
      },
    );
    return (await this.detected) ? this.openSearch.request(params, options) : super.request(params, options);
  }
}

/** OpenSearch always serves `GET /`; Elasticsearch builds without the rest-root module (the Maven integ-test zips) answer 405. */
export function withoutRootEndpoint(err: unknown): boolean {
  return err instanceof errors.ResponseError && (err.statusCode === 405 || err.statusCode === 404);
}

export function searchClient(engine: EngineSetting, options: ClientOptions): Client {
  if (engine === 'elasticsearch') return new Client(options);
  return new Client({ ...options, Transport: engine === 'opensearch' ? OpenSearchTransport : EngineDetectingTransport });
}
