/** Elasticsearch's Regex.simpleMatch: `*` matches any run of characters, everything else is literal. */
export function simpleMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${re}$`).test(value);
}

/** Comma-separated value to trimmed, non-empty tokens (Strings.tokenizeToStringArray). */
export function tokens(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}
