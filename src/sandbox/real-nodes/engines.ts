// The real-node tier's matrix: which search engines and versions run R1–R3, each pinned and fetched
// from Maven Central (integ-test-zip) by scripts/elasticsearch/fetch.sh, and what each needs to start.

export type EngineName = 'elasticsearch' | 'opensearch';

export interface EngineSpec {
  /** Short id for output and the REAL_ES_ENGINES filter, e.g. elasticsearch-9. */
  id: string;
  engine: EngineName;
  version: string;
  /** The Java majors it runs on (the zips bundle no JDK). */
  java: { min: number; max?: number };
  /** SHA-256 of the zip where Maven Central publishes no checksum for it (fetch.sh then checks this one). */
  sha256?: string;
}

export const ENGINE_MATRIX: readonly EngineSpec[] = [
  { id: 'elasticsearch-8', engine: 'elasticsearch', version: '8.19.21', java: { min: 17 } },
  // Maven Central serves no .sha1 for the 9.x integ-test-zip: pinned to the hash of the zip fetched on 2026-11-29
  {
    id: 'elasticsearch-9',
    engine: 'elasticsearch',
    version: '9.2.0',
    java: { min: 21 },
    sha256: 'bf44938a0490ba2a303d39c9cb64b38963dd08c812ce93e10816e878585bcb6b',
  },
  // 2.x still runs under the Java security manager, which Java 24 removed
  { id: 'opensearch-2', engine: 'opensearch', version: '2.19.6', java: { min: 17, max: 23 } },
  { id: 'opensearch-3', engine: 'opensearch', version: '3.8.0', java: { min: 21 } },
];

/** The matrix, or the entries REAL_ES_ENGINES names (comma-separated ids), so one engine can be run alone. */
export function selectedEngines(filter = process.env.REAL_ES_ENGINES): EngineSpec[] {
  if (!filter) return [...ENGINE_MATRIX];
  const ids = filter.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !ENGINE_MATRIX.some((e) => e.id === id));
  if (unknown.length > 0) throw new Error(`REAL_ES_ENGINES: unknown engine ${unknown.join(', ')} (known: ${ENGINE_MATRIX.map((e) => e.id).join(', ')})`);
  return ENGINE_MATRIX.filter((e) => ids.includes(e.id));
}

/** How one engine's node is configured and launched. */
export interface EngineFlavour {
  launcher: string; // under the home: bin/<launcher>
  configFile: string;
  env: { javaHome: string; pathConf: string; tmpDir: string; javaOpts: string };
  masterRole: string;
  initialMastersSetting: string;
  /** Settings only this engine knows (an unknown setting stops a node at start). */
  extraSettings: Record<string, string | number | boolean>;
}

export const FLAVOURS: Record<EngineName, EngineFlavour> = {
  elasticsearch: {
    launcher: 'elasticsearch',
    configFile: 'elasticsearch.yml',
    env: { javaHome: 'ES_JAVA_HOME', pathConf: 'ES_PATH_CONF', tmpDir: 'ES_TMPDIR', javaOpts: 'ES_JAVA_OPTS' },
    masterRole: 'master',
    initialMastersSetting: 'cluster.initial_master_nodes',
    extraSettings: { 'xpack.security.enabled': false },
  },
  opensearch: {
    launcher: 'opensearch',
    configFile: 'opensearch.yml',
    env: { javaHome: 'OPENSEARCH_JAVA_HOME', pathConf: 'OPENSEARCH_PATH_CONF', tmpDir: 'OPENSEARCH_TMPDIR', javaOpts: 'OPENSEARCH_JAVA_OPTS' },
    masterRole: 'cluster_manager',
    initialMastersSetting: 'cluster.initial_cluster_manager_nodes',
    extraSettings: {},
  },
};

export const engineLabel = (e: { engine: EngineName; version: string }): string =>
  `${e.engine === 'elasticsearch' ? 'Elasticsearch' : 'OpenSearch'} ${e.version}`;
