// The workflow code is bundled once at build time (`npm run build`) and loaded by every worker,
// instead of being bundled at each start-up.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { packageRoot } from '../util/paths.js';

export const WORKFLOW_BUNDLE_PATH = join(packageRoot, 'lib', 'workflow-bundle.js');
const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.js', import.meta.url));
const WORKFLOW_INTERCEPTORS = [fileURLToPath(new URL('../workflows/log-attributes.js', import.meta.url))];

export async function buildWorkflowBundle(path = WORKFLOW_BUNDLE_PATH): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: WORKFLOW_INTERCEPTORS });
  await writeFile(path, code);
}

/** The prebuilt bundle when there is one, else bundle from source (development only). */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'interceptors'> {
  if (existsSync(WORKFLOW_BUNDLE_PATH)) return { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } };
  return { workflowsPath: WORKFLOWS_PATH, interceptors: { workflowModules: WORKFLOW_INTERCEPTORS } };
}
