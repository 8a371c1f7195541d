// Where the CLI finds Temporal: flags, then the environment, then the `temporal` CLI's profile
// file, then the es-scaler config file; the same names the `temporal` CLI uses.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '../../src/config/load.js';
import { cliTemporalTarget } from '../../src/client/temporal-settings.js';
import { InputError } from '../../src/domain/input-error.js';

describe('CLI Temporal settings', () => {
  let dir: string;
  let profileFile: string;
  const config = defineConfig({
    temporal: { address: 'file:7233', namespace: 'file-ns', taskQueue: 'file-queue' },
    clusters: {
      production: {
        kubernetes: { namespace: 'search', statefulSet: 'es-data' },
        elasticsearch: { url: 'http://127.0.0.1:9200' },
        minReplicas: 3,
        maxReplicas: 10,
      },
    },
  });
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'es-scaler-envconfig-'));
    await writeFile(join(dir, 'crt.pem'), 'CERT');
    await writeFile(join(dir, 'key.pem'), 'KEY');
    profileFile = join(dir, 'temporal.toml');
    await writeFile(profileFile, `[profile.default]\naddress = "profile:7233"\nnamespace = "profile-ns"\n[profile.prod]\naddress = "prod:7233"\n[profile.prod.tls]\nclient_cert_path = "${join(dir, 'crt.pem')}"\nclient_key_path = "${join(dir, 'key.pem')}"\n`);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const env = (extra: Record<string, string> = {}) => ({ TEMPORAL_CONFIG_FILE: profileFile, ...extra });

  it('without a profile file or environment: the config file', () => {
    const target = cliTemporalTarget(config, {}, { TEMPORAL_CONFIG_FILE: join(dir, 'none.toml') });
    assert.deepEqual([target.address, target.namespace, target.taskQueue], ['file:7233', 'file-ns', 'file-queue']);
  });

  it('the profile over the config file, the environment over the profile, flags over all', () => {
    const pick = (t: ReturnType<typeof cliTemporalTarget>) => [t.address, t.namespace];
    assert.deepEqual(pick(cliTemporalTarget(config, {}, env())), ['profile:7233', 'profile-ns']);
    assert.deepEqual(pick(cliTemporalTarget(config, {}, env({ TEMPORAL_ADDRESS: 'env:7233' }))), ['env:7233', 'profile-ns']);
    assert.deepEqual(pick(cliTemporalTarget(config, { address: 'flag:7233', namespace: 'flag-ns' }, env({ TEMPORAL_ADDRESS: 'env:7233' }))), ['flag:7233', 'flag-ns']);
    assert.equal(cliTemporalTarget(config, {}, env({ TEMPORAL_TASK_QUEUE: 'env-queue' })).taskQueue, 'env-queue');
  });

  it('a named profile (flag or TEMPORAL_PROFILE) with its mTLS files', () => {
    for (const target of [cliTemporalTarget(config, { profile: 'prod' }, env()), cliTemporalTarget(config, {}, env({ TEMPORAL_PROFILE: 'prod' }))]) {
      assert.equal(target.address, 'prod:7233');
      const tls = target.connection.tls as unknown as { clientCertPair: { crt: Uint8Array; key: Uint8Array } };
      assert.deepEqual([Buffer.from(tls.clientCertPair.crt).toString(), Buffer.from(tls.clientCertPair.key).toString()], ['CERT', 'KEY']);
    }
  });

  it('--tls-* flags give the mTLS files; one without the other is bad input', () => {
    const tls = cliTemporalTarget(config, { tlsCertPath: join(dir, 'crt.pem'), tlsKeyPath: join(dir, 'key.pem'), tlsServerName: 'temporal.internal' }, env()).connection
      .tls as unknown as { clientCertPair: { crt: Uint8Array }; serverNameOverride: string };
    assert.equal(Buffer.from(tls.clientCertPair.crt).toString(), 'CERT');
    assert.equal(tls.serverNameOverride, 'temporal.internal');
    assert.equal(cliTemporalTarget(config, { tls: true }, env()).connection.tls && true, true);
    assert.throws(() => cliTemporalTarget(config, { tlsCertPath: join(dir, 'crt.pem') }, env()), (err: unknown) => err instanceof InputError && /^--tls-cert-path and --tls-key-path/.test(err.message));
    assert.throws(() => cliTemporalTarget(config, { profile: 'nope' }, env()), (err: unknown) => err instanceof InputError && /^--profile: Profile 'nope' not found/.test(err.message));
  });
});
