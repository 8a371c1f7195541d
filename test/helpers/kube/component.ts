// One control-plane process: started in its own process group with its output in a log file,
// stopped with its whole group (SIGTERM, then SIGKILL), and killed with this process if it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasExited, waitForExit } from '../../../src/util/child-processes.js';

/** Process groups still running, killed when this process exits, even on a failure. */
const runningGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of runningGroups) killGroup(pid, 'SIGKILL');
});

export class Component {
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {}

  static start(name: string, binary: string, args: string[], dir: string): Component {
    const logFile = join(dir, `${name}.log`);
    const log = openSync(logFile, 'a');
    try {
      const child = spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', log, log] });
      child.on('error', () => undefined); // a failed spawn shows as no pid, reported below
      const pid = child.pid;
      if (pid === undefined) throw new Error(`cannot start ${name} (${binary})`);
      runningGroups.add(pid);
      child.once('exit', () => runningGroups.delete(pid));
      return new Component(name, child, logFile);
    } finally {
      closeSync(log);
    }
  }

  get running(): boolean {
    return !hasExited(this.child);
  }

  /** The last lines of its log, for error messages. */
  tail(lines = 20): string {
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Resident memory in bytes (from /proc), 0 once exited. */
  rssBytes(): number {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }

  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    signalGroup(this.child, 'SIGTERM');
    if (!(await waitForExit(this.child, graceMs))) {
      signalGroup(this.child, 'SIGKILL');
      await waitForExit(this.child, graceMs);
    }
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined && !hasExited(child)) killGroup(child.pid, signal);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}
