// Runs a command as a child process and remembers every process it starts (children,
// grandchildren), by sampling the process table with `ps`, so a test can check afterwards that
// none of them outlived it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export interface SeenProcess {
  pid: number;
  /** The command line when seen; a PID reused by another program afterwards does not count. */
  args: string;
}

interface Row {
  pid: number;
  ppid: number;
  /** Exited, waiting for its parent to reap it: `ps` shows its name in brackets, no command line. */
  zombie: boolean;
  args: string;
}

function processTable(): Row[] {
  const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,stat=,args='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return text.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s(.*)$/.exec(line);
    return match ? [{ pid: Number(match[1]), ppid: Number(match[2]), zombie: match[3]!.startsWith('Z'), args: match[4]!.trim() }] : [];
  });
}

function descendantsOf(root: number, rows: Row[]): Row[] {
  const children = new Map<number, Row[]>();
  for (const row of rows) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
  const found: Row[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Those of `seen` still running with the same command line. */
export function stillRunning(seen: SeenProcess[]): SeenProcess[] {
  const now = new Map(processTable().map((row) => [row.pid, row.args]));
  return seen.filter((p) => now.get(p.pid) === p.args);
}

export class TrackedRun {
  readonly child: ChildProcess;
  readonly seen = new Map<number, SeenProcess>();
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly sampler: NodeJS.Timeout;

  constructor(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
    this.child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.sampler = setInterval(() => this.sample(), 100);
    void this.exited.then(() => clearInterval(this.sampler));
  }

  /**
   * Records the child's current descendants. A descendant's command line is updated when it changes
   * (a process sampled between its fork and its exec still shows its parent's), not once it exited.
   */
  sample(): void {
    if (this.child.pid === undefined || this.child.exitCode !== null) return;
    for (const row of descendantsOf(this.child.pid, processTable())) {
      if (!row.zombie) this.seen.set(row.pid, { pid: row.pid, args: row.args });
    }
  }

  /** Waits until the output matches `pattern` (or the process ends, or time runs out). */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.output);
      if (match) return match;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no ${pattern} in the output (${this.child.exitCode !== null ? 'process ended' : 'timed out'}):\n${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Last resort for a test that failed half-way: kill what is left. */
  killAll(): void {
    clearInterval(this.sampler);
    for (const p of stillRunning([...this.seen.values()])) process.kill(p.pid, 'SIGKILL');
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
