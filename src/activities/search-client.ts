// The one client es-scaler uses for every engine: the official Elasticsearch client. OpenSearch answers
// the same REST calls es-scaler makes (settings, _cat, _nodes, health, allocation/explain) with the same
// shapes, but it sends no `x-elastic-product` header and does not accept Elasticsearch's versioned media
// types, so for OpenSearch the transport skips the product check and speaks plain JSON.
import { Client, type ClientOptions } from '@elastic/elasticsearch';
import { Transport, type TransportOptions } from '@elastic/transport';
import type { Engine } from '../config/schema.js';

class OpenSearchTransport extends Transport {
  constructor(opts: TransportOptions) {
    const { productCheck: _elasticsearchOnly, ...rest } = opts;
    super({
      ...rest,
      vendoredHeaders: { jsonContentType: 'application/json', ndjsonContentType: 'application/x-ndjson', accept: 'application/json, text/plain' },
    });
  }
}

export function searchClient(engine: Engine, options: ClientOptions): Client {
  return new Client(engine === 'opensearch' ? { ...options, Transport: OpenSearchTransport } : options);
}
