// F5 in the cluster: the worker reconciles the Temporal Schedules from the config file it mounts,
// when it starts and whenever the file changes, so the file in the cluster (the ConfigMap) is the
// one source of truth and nobody has to run `schedules apply` by hand.
//
// The directory is watched, not the file: a ConfigMap volume changes by swapping a symlink
// (..data) in that directory, which a watch on the old file would never see. Reconciling is
// idempotent (create, update, delete to match), so two worker replicas doing it at once is safe.
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Client } from '@temporalio/client';
import type { Config } from '../config/schema.js';
import { applySchedules } from './apply.js';
import { configDigest } from './config-digest.js';

export interface FileReconcilerOptions {
  client: Client;
  configFile: string;
  /** Reads and validates the file, with the same overrides as the worker's own config. */
  load(): Promise<Config>;
  /** The config the worker's activities run with (read at its start). */
  running: Config;
  log(level: 'INFO' | 'WARN' | 'ERROR', message: string, meta?: Record<string, unknown>): void;
  /** Quiet time after a change before reading the file (a swap is several events). */
  debounceMs?: number;
  /** How long to wait before trying again after a failure (Temporal away, a race). */
  retryMs?: number;
}

export class FileReconciler {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: FileReconcilerOptions) {}

  /** Reconciles once now, then on every change of the file. */
  start(): void {
    this.watcher = watch(dirname(this.options.configFile), () => this.schedule(this.options.debounceMs ?? 500));
    this.schedule(0);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // One reconciliation at a time; a change during one is picked up by the next.
      this.running = this.running.then(() => this.reconcile());
    }, delayMs);
  }

  private async reconcile(): Promise<void> {
    if (this.closed) return;
    const { configFile, log } = this.options;
    let config: Config;
    try {
      config = await this.options.load();
    } catch (err) {
      // A bad edit of the file: keep the schedules as they are until it is fixed.
      log('ERROR', 'config file invalid; schedules left as they are', { configFile, error: (err as Error).message });
      return;
    }
    try {
      const result = await applySchedules(this.options.client, config, { dryRun: false, appliedBy: 'worker' });
      const changes = result.changes.map((c) => `${c.action} ${c.scheduleId}`);
      const digest = configDigest(config);
      log(result.applied ? 'INFO' : 'ERROR', result.applied ? 'schedules reconciled' : 'schedules not reconciled: an id is taken by a schedule es-scaler does not manage', {
        configFile,
        configDigest: digest,
        changes,
        unchanged: result.unchanged.length,
      });
      if (configDigest(withoutSchedules(config)) !== configDigest(withoutSchedules(this.options.running))) {
        // Schedules follow the file at once; the clusters the activities use do not (the
        // Deployment rolls on a config change, see deploy/).
        log('WARN', 'the config file changed since the worker started: restart it for the cluster settings to take effect', { configFile });
      }
    } catch (err) {
      log('WARN', 'reconciling schedules failed; trying again', { configFile, error: (err as Error).message });
      this.schedule(this.options.retryMs ?? 5_000);
    }
  }
}

/** The settings the activities use: everything but the schedules, which follow the file at once. */
function withoutSchedules(config: Config): Config {
  const clusters = Object.fromEntries(Object.entries(config.clusters).map(([name, cluster]) => [name, { ...cluster, schedules: [] }]));
  return { ...config, clusters };
}
