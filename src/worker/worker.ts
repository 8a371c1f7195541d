// Builds the es-scaler worker: the workflows plus activities bound to the configured clusters, and
// beside it, in the same process, the worker of the watch task queue: waiting activities sleep
// between polls, so they get a large slot budget of their own instead of holding the slots that
// reads, writes and cleanups need (docs/design.md → Performance).
import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type State, type WorkerOptions } from '@temporalio/worker';
import { ClusterConnections, createActivities } from '../activities/index.js';
import { activityLogAttributes } from '../activities/log-attributes.js';
import { permanentErrors } from '../activities/permanent-errors.js';
import type { Config } from '../config/schema.js';
import { watchTaskQueue } from '../workflows/task-queues.js';
import { workflowSource } from './workflow-bundle.js';

export interface ScalerWorkerOptions {
  config: Config;
  connection: NativeConnection;
  /** A client on the same server, for the activity that hands targets to cluster workflows. */
  client: Client;
  namespace: string;
  taskQueue: string;
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  workflowBundlePath?: string;
}

/** The two workers of one process, run and stopped together. */
export class ScalerWorker {
  constructor(
    private readonly main: Worker,
    private readonly watch: Worker,
  ) {}

  /** Resolves when both have stopped; if one fails, the other is shut down and the failure is thrown. */
  async run(): Promise<void> {
    const runs = [this.main.run(), this.watch.run()];
    try {
      await Promise.all(runs);
    } catch (err) {
      this.shutdown();
      await Promise.allSettled(runs);
      throw err;
    }
  }

  shutdown(): void {
    for (const worker of [this.main, this.watch]) if (worker.getState() === 'RUNNING') worker.shutdown();
  }

  /** RUNNING only while both run; FAILED if either failed; else the main worker's state. */
  getState(): State {
    const states = [this.main.getState(), this.watch.getState()];
    if (states.includes('FAILED')) return 'FAILED';
    return states.every((s) => s === 'RUNNING') ? 'RUNNING' : states[0]!;
  }
}

export async function createScalerWorker(options: ScalerWorkerOptions): Promise<{ worker: ScalerWorker; connections: ClusterConnections }> {
  const connections = new ClusterConnections(options.config);
  const tuning = options.config.worker;
  const activities = createActivities({ client: options.client, config: options.config, connections });
  const common = {
    connection: options.connection,
    namespace: options.namespace,
    interceptors: { activity: [activityLogAttributes, permanentErrors] },
    activities,
    shutdownGraceTime: options.shutdownGraceTime ?? '60s',
  };
  const [main, watch] = await Promise.all([
    Worker.create({
      ...common,
      taskQueue: options.taskQueue,
      ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : workflowSource()),
      maxConcurrentWorkflowTaskExecutions: tuning.workflowTaskSlots,
      maxConcurrentWorkflowTaskPolls: tuning.workflowTaskPollers,
      maxConcurrentActivityTaskExecutions: tuning.activitySlots,
      maxConcurrentActivityTaskPolls: tuning.activityTaskPollers,
      maxCachedWorkflows: tuning.stickyCacheSize,
    }),
    Worker.create({
      ...common,
      taskQueue: watchTaskQueue(options.taskQueue),
      maxConcurrentActivityTaskExecutions: tuning.watchSlots,
      maxConcurrentActivityTaskPolls: tuning.activityTaskPollers,
    }),
  ]);
  return { worker: new ScalerWorker(main, watch), connections };
}
