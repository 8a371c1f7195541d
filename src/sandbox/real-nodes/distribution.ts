// Where the real Elasticsearch comes from: the integ-test-zip fetched from Maven Central by
// scripts/elasticsearch/fetch.sh (cached in .cache/elasticsearch/), and the JDK that runs it.
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../util/paths.js';

const run = promisify(execFile);

export const FETCH_SCRIPT = join(packageRoot, 'scripts/elasticsearch/fetch.sh');

/** Elasticsearch 8.x needs Java 17 or newer. */
const MIN_JAVA = 17;

export interface Distribution {
  esHome: string;
  version: string; // from the folder name fetch.sh unpacked, e.g. 8.19.21
  javaHome: string; // given to ES as ES_JAVA_HOME (the zip has no bundled JDK)
  javaVersion: string;
}

export type Availability = { ok: true; cached: boolean } | { ok: false; reason: string };

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** ES_JAVA_HOME, else JAVA_HOME, else the JDK of the `java` on PATH. */
function javaHomeCandidate(): string | undefined {
  const fromEnv = process.env.ES_JAVA_HOME || process.env.JAVA_HOME;
  if (fromEnv) return fromEnv;
  const java = onPath('java');
  return java ? dirname(dirname(realpathSync(java))) : undefined;
}

async function javaVersionOf(javaHome: string): Promise<string> {
  // `java -XshowSettings:properties -version` prints the properties on stderr
  const { stderr } = await run(join(javaHome, 'bin/java'), ['-XshowSettings:properties', '-version'], { timeout: 30_000 });
  const match = /java\.version = (\S+)/.exec(stderr);
  if (!match) throw new Error(`cannot read the Java version of ${javaHome}`);
  return match[1]!;
}

const major = (javaVersion: string): number => Number(javaVersion.split('.')[0]);

function cachedEsHome(version: string | undefined): string | undefined {
  const root = process.env.ES_CACHE_DIR ?? join(packageRoot, '.cache/elasticsearch');
  const v = version ?? pinnedVersion();
  if (!v) return undefined;
  const home = join(root, v, `elasticsearch-${v}`);
  return existsSync(join(root, v, '.complete')) && existsSync(join(home, 'bin/elasticsearch')) ? home : undefined;
}

/** The version fetch.sh pins (its `ES_VERSION="${ES_VERSION:-x.y.z}"` line), unless ES_VERSION is set. */
export function pinnedVersion(): string | undefined {
  if (process.env.ES_VERSION) return process.env.ES_VERSION;
  try {
    return /^ES_VERSION="\$\{ES_VERSION:-([^}]+)\}"/m.exec(readFileSync(FETCH_SCRIPT, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** Can this machine run the real-Elasticsearch tier? Says why not (missing java, or missing mvn with nothing cached). */
export async function availability(): Promise<Availability> {
  if (process.platform !== 'linux') return { ok: false, reason: `real Elasticsearch nodes are only supported on Linux (this is ${process.platform})` };
  const javaHome = javaHomeCandidate();
  if (!javaHome || !existsSync(join(javaHome, 'bin/java'))) {
    return { ok: false, reason: 'java was not found (no ES_JAVA_HOME/JAVA_HOME, no java on PATH); Elasticsearch 8.x needs Java 17+' };
  }
  let version: string;
  try {
    version = await javaVersionOf(javaHome);
  } catch (err) {
    return { ok: false, reason: `java at ${javaHome} does not run: ${(err as Error).message}` };
  }
  if (major(version) < MIN_JAVA) return { ok: false, reason: `java at ${javaHome} is ${version}; Elasticsearch 8.x needs Java ${MIN_JAVA}+` };
  const cached = cachedEsHome(undefined) !== undefined;
  if (!cached && !onPath('mvn')) {
    return { ok: false, reason: 'mvn (Apache Maven) was not found on PATH and no Elasticsearch is cached in .cache/elasticsearch; it is needed once to fetch it' };
  }
  return { ok: true, cached };
}

/** Runs fetch.sh (idempotent: prints the cached ES_HOME at once when present) and finds the JDK. */
export async function fetchDistribution(): Promise<Distribution> {
  let esHome: string;
  try {
    const { stdout } = await run(FETCH_SCRIPT, [], { timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 });
    esHome = stdout.trim().split('\n').pop()!;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`${FETCH_SCRIPT} failed: ${e.stderr?.trim() || e.message}`);
  }
  if (!existsSync(join(esHome, 'bin/elasticsearch'))) throw new Error(`${FETCH_SCRIPT} printed ${esHome}, which has no bin/elasticsearch`);
  const javaHome = javaHomeCandidate();
  if (!javaHome) throw new Error('java was not found (set ES_JAVA_HOME)');
  const javaVersion = await javaVersionOf(javaHome);
  if (major(javaVersion) < MIN_JAVA) throw new Error(`java at ${javaHome} is ${javaVersion}; Elasticsearch 8.x needs Java ${MIN_JAVA}+`);
  return { esHome, version: basename(esHome).replace(/^elasticsearch-/, ''), javaHome, javaVersion };
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
  const staged = { ...distribution, esHome };
  if (runAs) assertReachable(join(esHome, 'bin/elasticsearch'), runAs);
  return staged;
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
