// What every CLI command gets: the validated config and a Temporal client made from it.
import { Client, Connection } from '@temporalio/client';
import { configPath, loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { withTemporalOverrides } from '../worker/temporal-connection.js';

export interface CliContext {
  config: Config;
  configFile: string;
  client(): Promise<Client>;
  out: (line: string) => void;
  close(): Promise<void>;
}

export async function cliContext(configFlag: string | undefined, out: (line: string) => void): Promise<CliContext> {
  const configFile = configPath(configFlag);
  // TEMPORAL_ADDRESS / _NAMESPACE / _TASK_QUEUE override the file, for the CLI as for the worker,
  // so targets and schedules go to the task queue the worker really polls.
  const { config, target } = withTemporalOverrides(await loadConfigFile(configFile));
  let connection: Connection | undefined;
  return {
    config,
    configFile,
    out,
    async client() {
      connection ??= await Connection.connect(target.connection);
      return new Client({ connection, namespace: target.namespace });
    },
    async close() {
      await connection?.close();
    },
  };
}
