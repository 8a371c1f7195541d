// Where a real engine comes from: the integ-test-zip fetched from Maven Central by
// scripts/elasticsearch/fetch.sh (cached in .cache/<engine>/), and a JDK of a major version it runs on.
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, realpathSync } from 'node:fs';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../util/paths.js';
import { engineLabel, FLAVOURS, type EngineName, type EngineSpec } from './engines.js';

const run = promisify(execFile);

export const FETCH_SCRIPT = join(packageRoot, 'scripts/elasticsearch/fetch.sh');
const JVM_DIR = '/usr/lib/jvm';

export interface Distribution {
  engine: EngineName;
  esHome: string; // the engine's home (bin/, config/, lib/, modules/)
  version: string; // e.g. 8.19.21
  javaHome: string; // given as ES_JAVA_HOME / OPENSEARCH_JAVA_HOME (the zips have no bundled JDK)
  javaVersion: string;
}

export type Availability = { ok: true; cached: boolean; javaHome: string; javaVersion: string } | { ok: false; reason: string };

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** JDK homes (with bin/java) among `homes`, each real path once. */
function jdkHomes(homes: string[]): string[] {
  const seen = new Set<string>();
  return homes.filter((home) => {
    if (!existsSync(join(home, 'bin/java'))) return false;
    const real = realpathSync(home);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

/** The machine's JDKs: the `java` on PATH and each of /usr/lib/jvm. */
function machineJavaHomes(): string[] {
  const java = onPath('java');
  let installed: string[] = [];
  try {
    installed = readdirSync(JVM_DIR).sort().map((entry) => join(JVM_DIR, entry));
  } catch {
    // no /usr/lib/jvm
  }
  return [...(java ? [dirname(dirname(realpathSync(java)))] : []), ...installed];
}

async function javaVersionOf(javaHome: string): Promise<string> {
  // `java -XshowSettings:properties -version` prints the properties on stderr
  const { stderr } = await run(join(javaHome, 'bin/java'), ['-XshowSettings:properties', '-version'], { timeout: 30_000 });
  const match = /java\.version = (\S+)/.exec(stderr);
  if (!match) throw new Error(`cannot read the Java version of ${javaHome}`);
  return match[1]!;
}

const major = (javaVersion: string): number => Number(javaVersion.split(/[.+-]/)[0]);

const javaRange = (spec: EngineSpec): string => (spec.java.max ? `Java ${spec.java.min}–${spec.java.max}` : `Java ${spec.java.min}+`);

type Jdk = { javaHome: string; javaVersion: string };

async function probeJdks(homes: string[]): Promise<Jdk[]> {
  const probed = await Promise.all(jdkHomes(homes).map(async (javaHome) => ({ javaHome, javaVersion: await javaVersionOf(javaHome).catch(() => '') })));
  return probed.filter((jdk) => jdk.javaVersion !== '');
}

/** ES_JAVA_HOME or JAVA_HOME when it fits the engine, else the machine's JDK of the lowest fitting major. */
async function findJava(spec: EngineSpec): Promise<Jdk | { reason: string }> {
  const fits = ({ javaVersion }: Jdk): boolean => major(javaVersion) >= spec.java.min && major(javaVersion) <= (spec.java.max ?? Infinity);
  const chosen = (await probeJdks([process.env.ES_JAVA_HOME ?? '', process.env.JAVA_HOME ?? ''].filter(Boolean))).find(fits);
  if (chosen) return chosen;
  const machine = await probeJdks(machineJavaHomes());
  const fitting = machine.filter(fits).sort((a, b) => major(a.javaVersion) - major(b.javaVersion));
  if (fitting[0]) return fitting[0];
  const seen = machine.map((f) => `${f.javaHome} (${f.javaVersion})`).join(', ') || 'none';
  return { reason: `${engineLabel(spec)} needs ${javaRange(spec)}; JDKs found: ${seen} (looked at ES_JAVA_HOME, JAVA_HOME, PATH, ${JVM_DIR})` };
}

function cacheRoot(): string {
  return process.env.ES_CACHE_DIR ?? join(packageRoot, '.cache');
}

function cachedHome(spec: EngineSpec): string | undefined {
  const dest = join(cacheRoot(), spec.engine, spec.version);
  const home = join(dest, `${spec.engine}-${spec.version}`);
  return existsSync(join(dest, '.complete')) && existsSync(join(home, 'bin', FLAVOURS[spec.engine].launcher)) ? home : undefined;
}

/** Can this machine run the engine? Says why not (Linux only, no JDK of a fitting version, no mvn with nothing cached). */
export async function availability(spec: EngineSpec): Promise<Availability> {
  if (process.platform !== 'linux') return { ok: false, reason: `real engine nodes are only supported on Linux (this is ${process.platform})` };
  const java = await findJava(spec);
  if ('reason' in java) return { ok: false, reason: java.reason };
  const cached = cachedHome(spec) !== undefined;
  if (!cached && !onPath('mvn')) {
    return { ok: false, reason: `mvn (Apache Maven) was not found on PATH and ${engineLabel(spec)} is not cached in ${cacheRoot()}; it is needed once to fetch it` };
  }
  return { ok: true, cached, ...java };
}

/** Runs fetch.sh (idempotent: prints the cached home at once when present) and picks the JDK. */
export async function fetchDistribution(spec: EngineSpec): Promise<Distribution> {
  const java = await findJava(spec);
  if ('reason' in java) throw new Error(java.reason);
  let esHome: string;
  try {
    const { stdout } = await run(FETCH_SCRIPT, [spec.engine, spec.version, ...(spec.sha256 ? [spec.sha256] : [])], {
      timeout: 15 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    esHome = stdout.trim().split('\n').pop()!;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`${FETCH_SCRIPT} failed: ${e.stderr?.trim() || e.message}`);
  }
  const launcher = join(esHome, 'bin', FLAVOURS[spec.engine].launcher);
  if (!existsSync(launcher)) throw new Error(`${FETCH_SCRIPT} printed ${esHome}, which has no ${launcher}`);
  return { engine: spec.engine, esHome, version: spec.version, ...java };
}

/**
 * A copy of the distribution inside the cluster's run dir, which the node user can enter. The cache
 * lives under the checkout, and when the tests run as root the nodes run as `nobody`, who may not pass
 * the checkout's parent directories (a clone inside `mktemp -d` is mode 0700): the nodes must never
 * depend on where the checkout lives.
 */
export function stageDistribution(distribution: Distribution, runDir: string, runAs?: { uid: number; gid: number }): Distribution {
  const esHome = join(runDir, basename(distribution.esHome));
  cpSync(distribution.esHome, esHome, { recursive: true, preserveTimestamps: true });
  if (runAs) assertReachable(join(esHome, 'bin', FLAVOURS[distribution.engine].launcher), runAs);
  return { ...distribution, esHome };
}

/** Is `path` inside the checkout (the package root)? The staged copy must not be. */
export function insideCheckout(path: string): boolean {
  const rel = relative(packageRoot, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
}

/** Fails with a clear message unless `runAs` can execute `launcher` (every parent must be enterable). */
export function assertReachable(launcher: string, runAs: { uid: number; gid: number }): void {
  const probe = spawnSync('setpriv', [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups', 'test', '-x', launcher]);
  if (probe.error) throw new Error(`cannot check that uid ${runAs.uid} can run ${launcher}: ${probe.error.message}`);
  if (probe.status !== 0) {
    throw new Error(
      `uid ${runAs.uid}, which the nodes run as, cannot execute ${launcher}: a parent directory is closed to it ` +
        `(set TMPDIR to a directory every user can enter, such as /tmp)`,
    );
  }
}
