// `-o json|yaml|wide` on the read commands, as kubectl does: the same data as machine-readable
// JSON or YAML, or the human table with more columns (wide). `--json` stays as `-o json`.
import { stringify } from 'yaml';

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function outputFormat(options: { output?: OutputFormat; json?: boolean }): OutputFormat {
  return options.json ? 'json' : (options.output ?? 'table');
}

/** The data as JSON or YAML; undefined for the human formats, which each command renders itself. */
export function structuredOutput(format: OutputFormat, data: unknown): string | undefined {
  if (format === 'json') return JSON.stringify(data, null, 2);
  // Through JSON first, so dates and undefined fields read the same in both.
  if (format === 'yaml') return stringify(JSON.parse(JSON.stringify(data)) as unknown).trimEnd();
  return undefined;
}
