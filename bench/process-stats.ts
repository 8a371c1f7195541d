// CPU seconds and resident memory of a process from /proc (Linux), for the worker and the Temporal server.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux the bench runs on

export interface ProcessSample {
  cpuSeconds: number;
  rssBytes: number;
  /** VmHWM: the highest resident set size so far. */
  peakRssBytes: number;
}

export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    // comm (field 2) may hold spaces: split after its closing parenthesis; utime and stime are fields 14 and 15
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { cpuSeconds, rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** Samples RSS every `everyMs` to find the peak within a window (VmHWM covers the whole life). */
export class RssWatch {
  peakBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number, everyMs = 250) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.sample();
  }

  private sample(): void {
    this.peakBytes = Math.max(this.peakBytes, sampleProcess(this.pid)?.rssBytes ?? 0);
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peakBytes;
  }
}

export const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);
