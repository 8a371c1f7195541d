// The config file's JSON Schema for editors: the committed docs/es-scaler.schema.json is what the
// zod schema generates (`npm run build:schema` after changing src/config/schema.ts), and it
// accepts the shipped configs and flags what the loader rejects.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { CONFIG_SCHEMA_FILE, configJsonSchema, configSchemaText } from '../../src/client/config-json-schema.js';
import { packageRoot } from '../../src/util/paths.js';

describe('config JSON Schema', () => {
  it(`${CONFIG_SCHEMA_FILE} is the one generated from the zod schema (else run \`npm run build:schema\`)`, async () => {
    assert.equal(await readFile(join(packageRoot, CONFIG_SCHEMA_FILE), 'utf8'), configSchemaText());
  });

  it('accepts the shipped configs, and rejects an unknown field and a missing one by name', async () => {
    const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(configJsonSchema());
    const compose = parse(await readFile(join(packageRoot, 'deploy/compose/es-scaler.yaml'), 'utf8')) as Record<string, unknown>;
    const configMap = parse(await readFile(join(packageRoot, 'deploy/kubernetes/base/configmap.yaml'), 'utf8')) as { data: Record<string, string> };
    for (const config of [compose, parse(configMap.data['es-scaler.yaml']!) as unknown]) assert.ok(validate(config), JSON.stringify(validate.errors));

    const clusters = compose.clusters as Record<string, Record<string, unknown>>;
    const [name, cluster] = Object.entries(clusters)[0]!;
    assert.equal(validate({ ...compose, clusters: { [name]: { ...cluster, paused: true } } }), false);
    assert.ok(validate.errors!.some((e) => e.keyword === 'additionalProperties' && e.params.additionalProperty === 'paused'));
    const { minReplicas: _, ...withoutMin } = cluster;
    assert.equal(validate({ ...compose, clusters: { [name]: withoutMin } }), false);
    assert.ok(validate.errors!.some((e) => e.keyword === 'required' && e.params.missingProperty === 'minReplicas'));
  });
});
