import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '../../src/config/load.js';
import { temporalTarget, withTemporalOverrides } from '../../src/temporal/connection-target.js';

const config = defineConfig({
  temporal: { address: 'temporal.example:7233', namespace: 'prod', taskQueue: 'es-scaler' },
  clusters: {
    production: {
      kubernetes: { namespace: 'search', statefulSet: 'es-data' },
      elasticsearch: { url: 'https://es.example:9200' },
      minReplicas: 3,
      maxReplicas: 6,
    },
  },
});

describe('Temporal connection from config and environment', () => {
  it('uses the file, then lets the environment override address, namespace and task queue', () => {
    assert.deepEqual(temporalTarget(config, {}).connection, { address: 'temporal.example:7233' });
    const { config: overridden, target } = withTemporalOverrides(config, {
      TEMPORAL_ADDRESS: 'other:7233',
      TEMPORAL_NAMESPACE: 'staging',
      TEMPORAL_TASK_QUEUE: 'es-scaler-2',
    });
    assert.deepEqual(overridden.temporal, { address: 'other:7233', namespace: 'staging', taskQueue: 'es-scaler-2' });
    assert.equal(target.connection.address, 'other:7233');
  });

  it('reads mTLS files and an API key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'es-scaler-tls-'));
    for (const name of ['tls.crt', 'tls.key', 'ca.crt']) await writeFile(join(dir, name), `${name} contents`);
    const { connection } = temporalTarget(config, {
      TEMPORAL_TLS_CERT: join(dir, 'tls.crt'),
      TEMPORAL_TLS_KEY: join(dir, 'tls.key'),
      TEMPORAL_TLS_CA: join(dir, 'ca.crt'),
    });
    const tls = connection.tls as { clientCertPair: { crt: Buffer; key: Buffer }; serverRootCACertificate: Buffer };
    assert.equal(tls.clientCertPair.crt.toString(), 'tls.crt contents');
    assert.equal(tls.clientCertPair.key.toString(), 'tls.key contents');
    assert.equal(tls.serverRootCACertificate.toString(), 'ca.crt contents');

    const withKey = temporalTarget(config, { TEMPORAL_API_KEY: 'k' }).connection;
    assert.equal(withKey.apiKey, 'k');
    assert.deepEqual(withKey.tls, {}, 'an API key implies TLS');
  });

  it('names both variables when only half of a client certificate pair is set', () => {
    assert.throws(() => temporalTarget(config, { TEMPORAL_TLS_CERT: '/x' }), /TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both/);
  });
});
