// Recorded workflow histories: where they live, how a scenario's workflows are saved there, and
// how they are read back for the replayer. One folder per es-scaler version that recorded them.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Client, HistoryAndWorkflowId } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { packageRoot } from '../../src/util/paths.js';
import { eventually } from '../helpers/eventually.js';

export const HISTORIES_DIR = join(packageRoot, 'test', 'replay', 'histories');
/** Per version folder: the workflow id of each history file (the code derives child ids from it, so replay needs it). */
const WORKFLOW_IDS = 'workflow-ids.json';

/** A recorded history with the file it came from ("<version>/<name>.json"). */
export interface RecordedHistory extends HistoryAndWorkflowId {
  file: string;
}

/**
 * Saves the history of every workflow that ran on `taskQueue` as
 * `<dir>/<scenario>-<workflow type>[-<n>].json`, numbered in start order. Waits until all of them
 * are closed, so each file is a whole run. Returns the files written.
 */
export async function saveHistories(client: Client, taskQueue: string, scenario: string, dir: string): Promise<string[]> {
  const executions = await eventually(
    `the workflows on ${taskQueue} to be closed and listed`,
    async () => {
      const found = [];
      for await (const execution of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) found.push(execution);
      return found.length > 0 && found.every((e) => e.status.name !== 'RUNNING') ? found : undefined;
    },
    30_000,
    250,
  );
  executions.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  await mkdir(dir, { recursive: true });
  const ids = await readWorkflowIds(dir);
  for (const old of Object.keys(ids).filter((n) => n.startsWith(`${scenario}-`))) {
    await rm(join(dir, old), { force: true });
    delete ids[old];
  }
  const files = [];
  for (const type of new Set(executions.map((e) => e.type))) {
    const ofType = executions.filter((e) => e.type === type);
    for (const [i, execution] of ofType.entries()) {
      const file = join(dir, `${scenario}-${type}${ofType.length > 1 ? `-${i + 1}` : ''}.json`);
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      await writeFile(file, historyToJSON(history) + '\n');
      ids[basename(file)] = execution.workflowId;
      files.push(file);
    }
  }
  await writeFile(join(dir, WORKFLOW_IDS), JSON.stringify(ids, null, 2) + '\n');
  return files;
}

/** Every recorded history of every version, oldest version folder first. */
export async function loadHistories(dir = HISTORIES_DIR): Promise<RecordedHistory[]> {
  const histories: RecordedHistory[] = [];
  for (const version of (await readdir(dir)).sort()) {
    const ids = await readWorkflowIds(join(dir, version));
    for (const name of Object.keys(ids).sort()) {
      const file = join(version, name);
      histories.push({ file, workflowId: ids[name]!, history: historyFromJSON(JSON.parse(await readFile(join(dir, file), 'utf8'))) });
    }
  }
  return histories;
}

async function readWorkflowIds(versionDir: string): Promise<Record<string, string>> {
  try {
    return JSON.parse(await readFile(join(versionDir, WORKFLOW_IDS), 'utf8')) as Record<string, string>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}
