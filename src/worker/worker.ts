// Builds the es-scaler worker: the workflows plus activities bound to the configured clusters.
import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { ClusterConnections, createActivities } from '../activities/index.js';
import { activityLogAttributes } from '../activities/log-attributes.js';
import { permanentErrors } from '../activities/permanent-errors.js';
import type { Config } from '../config/schema.js';
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

export async function createScalerWorker(options: ScalerWorkerOptions): Promise<{ worker: Worker; connections: ClusterConnections }> {
  const connections = new ClusterConnections(options.config);
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : workflowSource()),
    interceptors: { activity: [activityLogAttributes, permanentErrors] },
    activities: createActivities({ client: options.client, config: options.config, connections }),
    shutdownGraceTime: options.shutdownGraceTime ?? '60s',
  });
  return { worker, connections };
}
