// The config file's JSON Schema, generated from the zod schema that validates it, so editors
// (yaml-language-server, VS Code) check and complete the file as the worker will read it.
// `npm run build:schema` writes it to docs/es-scaler.schema.json; a test keeps that file current.
import { z } from 'zod';
import { configSchema } from '../config/schema.js';

export const CONFIG_SCHEMA_FILE = 'docs/es-scaler.schema.json';

export function configJsonSchema(): Record<string, unknown> {
  // The input side: what a user writes (durations as text, defaults optional), not the parsed result.
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  return { ...schema, title: 'es-scaler config file', description: 'Clusters es-scaler scales, their guards and their schedules.' };
}

export function configSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
