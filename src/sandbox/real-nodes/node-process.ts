// One real Elasticsearch or OpenSearch node as a child process: its own config, data, logs and temp dirs under
// the cluster's run dir, free loopback ports, and a process group of its own so that stopping it
// stops the server JVM that the `elasticsearch` launcher forks too.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, cpSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopProcess, track, waitForExit } from '../../util/child-processes.js';
import { freePort } from '../../util/ports.js';
import type { Distribution } from './distribution.js';
import { FLAVOURS } from './engines.js';

export interface NodeSpec {
  name: string; // node.name = the pod name
  zone: string; // node.attr.zone = the pod's zone
  masterEligible: boolean;
  seedTransport?: number; // transport port of the master-eligible node (discovery); undefined for that node itself
}

export interface NodeProcessOptions {
  distribution: Distribution;
  runDir: string; // the node's dirs go to <runDir>/<name>
  clusterName: string;
  heap: string; // -Xms/-Xmx, e.g. 128m
  runAs?: { uid: number; gid: number }; // when we are root: ES refuses to run as root
  extraSettings?: Record<string, string | number | boolean>; // more elasticsearch.yml lines
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

const HOST = '127.0.0.1';

/** Process groups of nodes still running: killed when this process exits, whatever happened. */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Some process of the group is still running. Zombies do not count: an orphaned server JVM may wait for a reaper. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  const members = groupMembers(pgid);
  return members === undefined || members.some((m) => m.state !== 'Z');
}

/** The processes of a process group, from /proc; undefined where there is no /proc. */
function groupMembers(pgid: number): { pid: number; state: string }[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const members: { pid: number; state: string }[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // after the parenthesised command: state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) members.push({ pid: Number(entry), state: fields[0]! });
    } catch {
      // the process went away
    }
  }
  return members;
}

/**
 * `setpriv --pdeathsig KILL` (util-linux), when there is one: the kernel kills the launcher as soon as this
 * process dies, however it dies (even SIGKILL), and the server JVM exits when its launcher is gone. The
 * exit hook above covers a normal exit; this covers the rest.
 */
let deathSignalWrapper: string[] | undefined;
function dieWithUs(): string[] {
  if (deathSignalWrapper) return deathSignalWrapper;
  try {
    const help = execFileSync('setpriv', ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    deathSignalWrapper = help.includes('--pdeathsig') ? ['setpriv', '--pdeathsig', 'KILL'] : [];
  } catch {
    deathSignalWrapper = [];
  }
  return deathSignalWrapper;
}

/** The unprivileged user ES runs as when we are root: `nobody` (its uid and primary gid). */
export function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** GET on the node's HTTP port; resolves with the status and body, rejects on connection errors. */
export function httpGet(port: number, path: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, path, method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function yamlValue(v: string | number | boolean | string[]): string {
  return Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function chownTree(path: string, owner: { uid: number; gid: number }): void {
  chownSync(path, owner.uid, owner.gid);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), owner);
}

export class EsNodeProcess {
  readonly dir: string;
  httpPort = 0;
  transportPort = 0;
  private child?: ChildProcess;
  private pgid?: number;
  private stopRequested = false;

  constructor(
    readonly spec: NodeSpec,
    private readonly opts: NodeProcessOptions,
  ) {
    this.dir = join(opts.runDir, spec.name);
  }

  get pid(): number | undefined {
    return this.pgid;
  }

  get url(): string {
    return `http://${HOST}:${this.httpPort}`;
  }

  /** Starts the node and resolves once it has joined the cluster. Retries with other ports if one was taken meanwhile. */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.startOnce();
      if (outcome === 'started') return;
      this.removeData();
      if (attempt >= 5) throw new Error(`${this.spec.name}: could not bind its ports after ${attempt} attempts`);
      this.opts.log?.(`${this.spec.name}: port ${this.httpPort} or ${this.transportPort} was taken meanwhile; trying other ports`);
    }
  }

  private async startOnce(): Promise<'started' | 'port-taken'> {
    if (this.stopRequested) throw new Error(`${this.spec.name} was stopped while starting`);
    this.httpPort = await freePort(HOST);
    do this.transportPort = await freePort(HOST);
    while (this.transportPort === this.httpPort);
    this.prepareDirs();
    const { distribution, heap, runAs } = this.opts;
    const output = openSync(join(this.dir, 'console.log'), 'w'); // this attempt's output only
    let child: ChildProcess;
    // setpriv runs after the uid/gid change below, so the death signal is not reset by it
    const flavour = FLAVOURS[distribution.engine];
    const [command, ...args] = [...dieWithUs(), join(distribution.esHome, 'bin', flavour.launcher)];
    try {
      child = track(
        spawn(command!, args, {
          cwd: this.dir,
          detached: true, // own process group: the launcher JVM forks the server JVM
          stdio: ['ignore', output, output],
          // uid/gid: libuv drops the supplementary groups too (setgroups(0)), like setpriv --clear-groups
          ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
          env: {
            PATH: '/usr/local/bin:/usr/bin:/bin',
            HOME: this.dir,
            LANG: 'C.UTF-8',
            [flavour.env.javaHome]: distribution.javaHome,
            [flavour.env.pathConf]: join(this.dir, 'config'),
            [flavour.env.tmpDir]: join(this.dir, 'tmp'),
            [flavour.env.javaOpts]: `-Xms${heap} -Xmx${heap}`,
          },
        }),
      );
    } finally {
      closeSync(output);
    }
    this.child = child;
    this.pgid = child.pid!;
    liveGroups.add(this.pgid);
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 180_000);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        await this.reap();
        // another process took one of the ports between freePort() and the bind: try other ports
        if (/BindException|Address already in use/.test(this.consoleTail(Number.POSITIVE_INFINITY))) return 'port-taken';
        throw new Error(`${this.spec.name} exited (${child.exitCode ?? child.signalCode}) while starting:\n${this.consoleTail()}`);
      }
      if (this.stopRequested) throw new Error(`${this.spec.name} was stopped while starting`);
      if (await this.joined()) return 'started';
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`${this.spec.name} did not join the cluster within ${this.opts.startTimeoutMs ?? 180_000} ms:\n${this.consoleTail()}`);
      }
      await sleep(250);
    }
  }

  /** It answers HTTP, knows an elected master, and is in the cluster's node list. */
  private async joined(): Promise<boolean> {
    try {
      const health = await httpGet(this.httpPort, '/_cluster/health?master_timeout=1s&timeout=1s');
      if (health.status !== 200) return false;
      const nodes = await httpGet(this.httpPort, '/_cat/nodes?h=name');
      return nodes.status === 200 && nodes.body.split('\n').map((l) => l.trim()).includes(this.spec.name);
    } catch {
      return false;
    }
  }

  /** SIGTERM to the whole process group, wait; SIGKILL what is left after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    this.stopRequested = true;
    const { child, pgid } = this;
    if (!child || pgid === undefined) return;
    if (groupAlive(pgid)) {
      try {
        process.kill(-pgid, 'SIGTERM');
      } catch {
        // gone meanwhile
      }
      const deadline = Date.now() + graceMs;
      while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
      if (groupAlive(pgid)) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    }
    await stopProcess(child, 5_000);
    await this.reap();
  }

  private async reap(): Promise<void> {
    if (this.child) await waitForExit(this.child, 5_000);
    const pgid = this.pgid;
    if (pgid !== undefined) {
      const deadline = Date.now() + 10_000;
      while (groupAlive(pgid) && Date.now() < deadline) await sleep(50);
      if (!groupAlive(pgid)) liveGroups.delete(pgid);
    }
    this.child = undefined;
    this.pgid = undefined;
  }

  /** Ephemeral storage: the next pod with this name starts with an empty data dir. */
  removeData(): void {
    rmSync(join(this.dir, 'data'), { recursive: true, force: true });
  }

  /** Resident memory of every process of the node (launcher and server JVM), in bytes; 0 when stopped. */
  rssBytes(): number {
    return this.pgid === undefined ? 0 : groupRssBytes(this.pgid);
  }

  consoleTail(lines = 40): string {
    try {
      const all = readFileSync(join(this.dir, 'console.log'), 'utf8').split('\n');
      return all.slice(Math.max(0, all.length - lines)).join('\n');
    } catch {
      return '(no console.log)';
    }
  }

  private prepareDirs(): void {
    const { distribution, runAs } = this.opts;
    for (const sub of ['data', 'logs', 'tmp']) mkdirSync(join(this.dir, sub), { recursive: true });
    rmSync(join(this.dir, 'config'), { recursive: true, force: true });
    cpSync(join(distribution.esHome, 'config'), join(this.dir, 'config'), { recursive: true }); // ES writes its keystore there
    nodeLocalJvmPaths(join(this.dir, 'config/jvm.options'), this.dir);
    const { spec } = this;
    const flavour = FLAVOURS[distribution.engine];
    const settings: Record<string, string | number | boolean | string[]> = {
      'cluster.name': this.opts.clusterName,
      'node.name': spec.name,
      'node.roles': spec.masterEligible ? [flavour.masterRole, 'data', 'ingest'] : ['data', 'ingest'],
      'node.attr.zone': spec.zone,
      'node.processors': 1,
      'path.data': join(this.dir, 'data'),
      'path.logs': join(this.dir, 'logs'),
      'network.host': HOST,
      'http.port': this.httpPort,
      'transport.port': this.transportPort,
      'discovery.seed_hosts': [`${HOST}:${spec.seedTransport ?? this.transportPort}`],
      ...(spec.masterEligible ? { [flavour.initialMastersSetting]: [spec.name] } : {}),
      ...flavour.extraSettings,
      ...this.opts.extraSettings,
    };
    writeFileSync(
      join(this.dir, 'config', flavour.configFile),
      Object.entries(settings)
        .map(([k, v]) => `${k}: ${yamlValue(v)}`)
        .join('\n') + '\n',
    );
    if (runAs) chownTree(this.dir, runAs);
  }
}

/**
 * jvm.options names the GC log, error file and heap dump relative to the working directory, which
 * OpenSearch's launcher sets to its (shared, root-owned) home: point them into the node's own dirs.
 */
function nodeLocalJvmPaths(jvmOptions: string, nodeDir: string): void {
  const text = readFileSync(jvmOptions, 'utf8');
  writeFileSync(jvmOptions, text.replace(/([=:])(logs\/|data$)/gm, (_, sep: string, rel: string) => `${sep}${nodeDir}/${rel}`));
}

/** Sum of VmRSS of the processes in a process group (Linux /proc). */
export function groupRssBytes(pgid: number): number {
  let total = 0;
  for (const { pid } of groupMembers(pgid) ?? []) {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      // the process went away
    }
  }
  return total;
}
