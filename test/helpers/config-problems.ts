// The field-named problems a config (as data or as YAML text) is refused with; empty when it is valid.
import { ConfigError, parseConfig, parseConfigText } from '../../src/config/load.js';

export function configProblems(input: unknown): string[] {
  try {
    if (typeof input === 'string') parseConfigText(input);
    else parseConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}
