// Real engine nodes as what runs in pods: a pod that runs is a node process named after it, in its
// zone (ordinal 0 is the only master-eligible node and must run first); a pod that stops stops its
// process and loses its data (ephemeral storage: a new pod of the same name is a new, empty node).
// Whoever plays the StatefulSet drives it: the sandbox's simulated one, or the test kubelet watching
// a real one (the real-Kubernetes tier).
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeRuntime } from '../statefulset.js';
import { stageDistribution, type Distribution } from './distribution.js';
import { EsNodeProcess, unprivilegedUser } from './node-process.js';

export interface RealNodesOptions {
  /** A fetched distribution (fetchDistribution); it is staged into the run dir. */
  distribution: Distribution;
  clusterName: string;
  /** -Xms/-Xmx of every node; default $ES_HEAP or 128m. */
  heap?: string;
  /** Extra elasticsearch.yml settings for every node. */
  nodeSettings?: Record<string, string | number | boolean>;
  /** Progress lines (node started/stopped); default: none. */
  log?: (line: string) => void;
  /** Once aborted, no node starts any more. */
  signal?: AbortSignal;
}

export interface RealNodes {
  runtime: NodeRuntime;
  /** The staged distribution the nodes run. */
  distribution: Distribution;
  /** The node of ordinal 0 while it runs. */
  master(): EsNodeProcess | undefined;
  /** Every node process started and not yet stopped, including ones starting now. */
  processes(): EsNodeProcess[];
  /** Stops every node process and removes the run dir; idempotent. */
  close(): Promise<void>;
}

const DEFAULT_NODE_SETTINGS = {
  // Tests must not depend on how full the machine's disk is; the simulation does not model disk either.
  'cluster.routing.allocation.disk.threshold_enabled': false,
};

/** A run dir of its own (readable by the unprivileged user the nodes run as when we are root) and the runtime. */
export function startRealNodes(opts: RealNodesOptions): RealNodes {
  const log = opts.log ?? (() => undefined);
  const runAs = unprivilegedUser();
  const runDir = mkdtempSync(join(tmpdir(), 'es-scaler-real-'));
  if (runAs) chownSync(runDir, runAs.uid, runAs.gid); // ES refuses to run as root: it runs as nobody
  let distribution: Distribution;
  try {
    distribution = stageDistribution(opts.distribution, runDir, runAs);
  } catch (err) {
    rmSync(runDir, { recursive: true, force: true });
    throw err;
  }
  const nodeOptions = {
    distribution,
    runDir,
    clusterName: opts.clusterName,
    heap: opts.heap ?? process.env.ES_HEAP ?? '128m',
    ...(runAs ? { runAs } : {}),
    extraSettings: { ...DEFAULT_NODE_SETTINGS, ...opts.nodeSettings },
    log,
  };
  const processes = new Map<string, EsNodeProcess>();
  let master: EsNodeProcess | undefined;

  const runtime: NodeRuntime = {
    start: async (pod) => {
      opts.signal?.throwIfAborted();
      const first = pod.ordinal === 0;
      if (!first && !master) throw new Error(`${pod.name} cannot start before the pod of ordinal 0, the master`);
      const node = new EsNodeProcess(
        { name: pod.name, zone: pod.zone, masterEligible: first, ...(first ? {} : { seedTransport: master!.transportPort }) },
        nodeOptions,
      );
      processes.set(pod.name, node);
      const t0 = Date.now();
      await node.start();
      if (first) master = node;
      log(`${pod.name} (zone ${pod.zone}) started in ${((Date.now() - t0) / 1000).toFixed(1)} s: pid ${node.pid}, http ${node.httpPort}`);
    },
    stop: async (pod) => {
      const node = processes.get(pod.name);
      if (!node) return;
      const t0 = Date.now();
      await node.stop();
      node.removeData();
      processes.delete(pod.name);
      if (node === master) master = undefined;
      log(`${pod.name} stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    },
  };

  let closing: Promise<void> | undefined;
  return {
    runtime,
    distribution,
    master: () => master,
    processes: () => [...processes.values()],
    close: () =>
      (closing ??= (async () => {
        // every pod, including ones starting or stopping right now
        await Promise.all([...processes.values()].map((n) => n.stop()));
        processes.clear();
        master = undefined;
        rmSync(runDir, { recursive: true, force: true });
      })()),
  };
}
