// What every CLI command gets: the validated config and a Temporal client made from it.
import { Client, Connection } from '@temporalio/client';
import { configPath, loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { cliTemporalTarget, type TemporalFlags } from './temporal-settings.js';

export interface CliContext {
  config: Config;
  configFile: string;
  client(): Promise<Client>;
  out: (line: string) => void;
  close(): Promise<void>;
}

export async function cliContext(flags: TemporalFlags & { config?: string }, out: (line: string) => void): Promise<CliContext> {
  const configFile = configPath(flags.config);
  const loaded = await loadConfigFile(configFile);
  // Flags, the environment and the `temporal` CLI's profile override the file, for the CLI as for
  // the worker, so targets and schedules go to the task queue the worker really polls.
  const target = cliTemporalTarget(loaded, flags);
  const config: Config = { ...loaded, temporal: { address: target.address, namespace: target.namespace, taskQueue: target.taskQueue } };
  let connection: Connection | undefined;
  return {
    config,
    configFile,
    out,
    async client() {
      connection ??= await Connection.connect(target.connection).catch((err: unknown) => {
        throw new Error(`cannot reach Temporal at ${target.address} (namespace "${target.namespace}"): ${(err as Error).message.split('\n')[0]}`);
      });
      return new Client({ connection, namespace: target.namespace });
    },
    async close() {
      await connection?.close();
    },
  };
}
