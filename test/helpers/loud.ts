/** A banner nobody scrolls past: for a tier that is skipped because this machine cannot run it. */
export function loud(lines: string[]): void {
  const bar = '!'.repeat(100);
  console.log(['', bar, ...lines.map((l) => `!!  ${l}`), bar, ''].join('\n'));
}
