// Which engine and version a cluster runs, as its root endpoint (`GET /`) says, and whether it has the
// node-shutdown API: Elasticsearch 7.15 and later; OpenSearch never.
import type { Engine } from '../config/schema.js';

export interface EngineInfo {
  engine: Engine;
  version: string;
}

/** The `GET /` body, as much of it as es-scaler reads. */
export interface RootInfo {
  version?: { number?: string; distribution?: string };
}

export function engineOfRoot(root: RootInfo): EngineInfo {
  return { engine: root.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch', version: root.version?.number ?? 'unknown' };
}

const SHUTDOWN_SINCE = [7, 15] as const;

/** Why `drainMethod: shutdown` cannot work on this engine, or undefined when it can. */
export function nodeShutdownProblem(info: EngineInfo): string | undefined {
  if (info.engine === 'opensearch') return `drainMethod: expected "exclude" for this cluster, found "shutdown": it runs OpenSearch ${info.version} (detected from GET /), which has no node-shutdown API`;
  const [major = 0, minor = 0] = info.version.split('.').map(Number);
  if (major < SHUTDOWN_SINCE[0] || (major === SHUTDOWN_SINCE[0] && minor < SHUTDOWN_SINCE[1])) {
    return `drainMethod: expected "exclude" for this cluster, found "shutdown": it runs Elasticsearch ${info.version} (detected from GET /); the node-shutdown API needs 7.15 or later`;
  }
  return undefined;
}
