// How the worker and the CLI reach Temporal: address and namespace from the config file, each
// overridable from the environment, plus mTLS files or an API key for Temporal Cloud and
// secured clusters.
import { readFileSync } from 'node:fs';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config/schema.js';

export interface TemporalTarget {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Accepted by both NativeConnection (worker) and Connection (client). */
  connection: { address: string; tls?: NativeConnectionOptions['tls']; apiKey?: string };
}

export function temporalTarget(config: Config, env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const address = env.TEMPORAL_ADDRESS ?? config.temporal.address;
  const connection: TemporalTarget['connection'] = { address };
  if (env.TEMPORAL_TLS_CERT || env.TEMPORAL_TLS_KEY || env.TEMPORAL_TLS_CA) {
    if (!env.TEMPORAL_TLS_CERT !== !env.TEMPORAL_TLS_KEY) {
      throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both for mTLS, or neither');
    }
    connection.tls = {
      ...(env.TEMPORAL_TLS_CA && { serverRootCACertificate: readFileSync(env.TEMPORAL_TLS_CA) }),
      ...(env.TEMPORAL_TLS_CERT && {
        clientCertPair: { crt: readFileSync(env.TEMPORAL_TLS_CERT), key: readFileSync(env.TEMPORAL_TLS_KEY!) },
      }),
    };
  }
  if (env.TEMPORAL_API_KEY) {
    connection.apiKey = env.TEMPORAL_API_KEY;
    connection.tls ??= {};
  }
  return {
    address,
    namespace: env.TEMPORAL_NAMESPACE ?? config.temporal.namespace,
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? config.temporal.taskQueue,
    connection,
  };
}

/** The config with the environment's Temporal settings in force, and how to connect. */
export function withTemporalOverrides(config: Config, env: NodeJS.ProcessEnv = process.env): { config: Config; target: TemporalTarget } {
  const target = temporalTarget(config, env);
  return {
    config: { ...config, temporal: { address: target.address, namespace: target.namespace, taskQueue: target.taskQueue } },
    target,
  };
}
