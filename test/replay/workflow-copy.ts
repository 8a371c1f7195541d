// A next version of es-scaler made at test time: a copy of the compiled code (lib/src) in a temp
// folder with edits to its workflow modules, bundled by the copy's own build step. Nothing of it
// is committed; the edits fail loudly if the code they change no longer looks as they expect.
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/util/paths.js';

export interface CodeEdit {
  /** Under lib/src/workflows, e.g. "scale-in.js". */
  file: string;
  /** Text that must occur exactly once, and what replaces it. */
  from: string;
  to: string;
}

export interface ChangedVersion {
  /** Its workflow bundle, for a replayer or a worker. */
  bundlePath: string;
  /** Its worker entry point (lib/src/worker/main.js of the copy), for a worker process. */
  workerMain: string;
  remove(): Promise<void>;
}

export async function buildChangedVersion(edits: CodeEdit[]): Promise<ChangedVersion> {
  const root = await mkdtemp(join(tmpdir(), 'es-scaler-next-'));
  try {
    await cp(join(packageRoot, 'lib', 'src'), join(root, 'lib', 'src'), { recursive: true });
    // Its own package root (src/util/paths.js looks for package.json), with the same dependencies.
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'es-scaler-next', private: true, type: 'module' }));
    await symlink(join(packageRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
    for (const edit of edits) await applyEdit(join(root, 'lib', 'src', 'workflows', edit.file), edit);
    const build = (await import(pathToFileURL(join(root, 'lib', 'src', 'worker', 'workflow-bundle.js')).href)) as typeof import('../../src/worker/workflow-bundle.js');
    await build.buildWorkflowBundle();
    return {
      bundlePath: build.WORKFLOW_BUNDLE_PATH,
      workerMain: join(root, 'lib', 'src', 'worker', 'main.js'),
      remove: () => rm(root, { recursive: true, force: true }),
    };
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    throw err;
  }
}

async function applyEdit(path: string, edit: CodeEdit): Promise<void> {
  const code = await readFile(path, 'utf8');
  const found = code.split(edit.from).length - 1;
  if (found !== 1) throw new Error(`cannot make the test's code change: ${edit.file} contains "${edit.from}" ${found} times, expected once`);
  await writeFile(path, code.replace(edit.from, () => edit.to));
}
