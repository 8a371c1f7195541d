// The demo's terminal output: lines stamped with the time since the demo started, indented blocks
// under them, and one progress line for long waits. On a terminal the progress line is redrawn in
// place; otherwise (CI, a pipe) a progress text is printed as a normal line when it changed, at
// most once a second per kind, so a log stays readable.

export interface OutputOptions {
  /** Where whole lines go. */
  out: (line: string) => void;
  /** Redraw progress in place and use colours (an interactive terminal). */
  tty: boolean;
}

const STAMP_WIDTH = 10; // "[  12.3s] "
const PROGRESS_EVERY_MS = 1_000;

export class Output {
  readonly startedAt = Date.now();
  private progressShown = false;
  private readonly lastProgress = new Map<string, { text: string; at: number }>();

  constructor(private readonly options: OutputOptions) {}

  /** Milliseconds since the demo started. */
  elapsed(at = Date.now()): number {
    return at - this.startedAt;
  }

  /** A stamped line; further lines of `text` are indented under it. */
  line(text: string): void {
    const [first, ...rest] = text.split('\n');
    this.emit([`${this.style('dim', stamp(this.elapsed()))}${first}`, ...rest.map((l) => `${' '.repeat(STAMP_WIDTH)}${l}`)].join('\n'));
  }

  /** Lines indented under the stamps, for tables and quoted text. */
  block(text: string, extraIndent = 2): void {
    const pad = ' '.repeat(STAMP_WIDTH + extraIndent);
    this.emit(text.split('\n').map((l) => (l ? pad + l : l)).join('\n'));
  }

  /** Unstamped text (headings, tables at the end). */
  plain(text = ''): void {
    this.emit(text);
  }

  heading(text: string): void {
    this.emit('');
    this.emit(this.style('bold', `━━ ${text} ${'━'.repeat(Math.max(3, 76 - text.length))}`));
  }

  /** The current state of a long wait, e.g. "es-data-6: 8 shards left". */
  progress(kind: string, text: string): void {
    if (this.options.tty) {
      process.stdout.write(`\r\x1b[2K${this.style('dim', `${stamp(this.elapsed())}… ${text}`)}`);
      this.progressShown = true;
      return;
    }
    const last = this.lastProgress.get(kind);
    const now = Date.now();
    if (last && (last.text === text || now - last.at < PROGRESS_EVERY_MS)) return;
    this.lastProgress.set(kind, { text, at: now });
    this.line(`… ${text}`);
  }

  /** Removes the progress line (the next line or block replaces it anyway). */
  clearProgress(): void {
    if (!this.progressShown) return;
    process.stdout.write('\r\x1b[2K');
    this.progressShown = false;
  }

  style(kind: 'bold' | 'dim' | 'warn' | 'bad' | 'good', text: string): string {
    if (!this.options.tty || process.env.NO_COLOR) return text;
    const code = { bold: '1', dim: '2', warn: '33', bad: '31', good: '32' }[kind];
    return `\x1b[${code}m${text}\x1b[0m`;
  }

  private emit(text: string): void {
    this.clearProgress();
    this.options.out(text);
  }
}

function stamp(ms: number): string {
  return `[${(ms / 1_000).toFixed(1).padStart(6)}s] `;
}

/** "0.4s", "12.3s", "2m05s": durations in the narration and the summary. */
export function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)}s`;
  const s = Math.round(ms / 1_000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
