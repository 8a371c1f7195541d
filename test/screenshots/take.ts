// `npm run screenshots`: the incident night on the sandbox, watched in the Temporal UI of a dev
// server, photographed with headless Chromium (the Debian package `chromium`; this script installs
// nothing) into docs/screenshots/. Needs `npm run setup` (the Temporal CLI) like the tests.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { packageRoot } from '../../src/util/paths.js';
import { sharedTemporal, stopSharedTemporal } from '../helpers/temporal.js';
import { World } from '../helpers/world.js';
import { incidentNightWorld } from '../replay/scenarios.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(packageRoot, 'docs', 'screenshots');
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install the Debian package (apt-get install chromium) or set CHROMIUM_PATH`);
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { forward: {}, filter: { core: 'ERROR', other: 'ERROR' } } } });

const { server } = await sharedTemporal({ ui: true });
const ui = server.uiUrl!;
const userDataDir = await mkdtemp(join(tmpdir(), 'es-scaler-chromium-'));
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: CHROMIUM_FLAGS,
  viewport: { width: 1440, height: 1200 },
});
const world = await World.start(incidentNightWorld);
try {
  await mkdir(OUT, { recursive: true });
  const page = await browser.newPage();
  const workflowPage = async (workflowId: string) => {
    const { runId } = await world.client.workflow.getHandle(workflowId).describe();
    return `${ui}/namespaces/${server.namespace}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;
  };

  await world.startWorker();
  await world.submit(6, 'schedule:production/night');
  const night = await world.runningOperation((s) => (s.stall?.reasons.length ?? 0) > 0, 30_000);
  await shoot(page, await workflowPage(night.workflowId), 'incident-operation-stalled.png');
  await page.getByRole('tab', { name: 'User Metadata' }).click();
  await shoot(page, undefined, 'incident-operation-details.png');
  await shoot(page, await workflowPage(world.clusterHandle().workflowId), 'incident-cluster-workflow.png');

  await world.submit(8, 'schedule:production/morning');
  await world.finishedOperations(2, 90_000);
  await shoot(page, await workflowPage(night.workflowId), 'incident-operation-superseded.png');
  // The list with es-scaler's search attributes as columns (the UI keeps the choice in the browser).
  await page.setViewportSize({ width: 1800, height: 700 });
  await page.goto(`${ui}/namespaces/${server.namespace}/workflows`, { waitUntil: 'load' });
  await page.getByLabel('Collapse saved views').click();
  await page.getByTestId('workflows-summary-table-configuration-button').click();
  for (const column of ['Run ID', 'Start', 'End']) await page.getByLabel(`Remove ${column} column`).click();
  for (const column of ['EsCluster', 'ScaleDirection', 'ScaleOutcome']) await page.getByLabel(`Add ${column} column`).click();
  await shoot(page, `${ui}/namespaces/${server.namespace}/workflows`, 'workflows-with-outcome.png');
  const query = encodeURIComponent(`ScaleOutcome = 'superseded'`);
  await shoot(page, `${ui}/namespaces/${server.namespace}/workflows?query=${query}`, 'workflows-superseded.png');
} finally {
  await world.close();
  await browser.close();
  await rm(userDataDir, { recursive: true, force: true });
  await stopSharedTemporal();
}

/** Opens `url` (or stays), lets the UI load its data (it polls, so the network never goes idle), and saves a screenshot. */
async function shoot(page: Page, url: string | undefined, file: string): Promise<void> {
  if (url) await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(url ? 4_000 : 1_500);
  await page.screenshot({ path: join(OUT, file), fullPage: true });
  console.log(`docs/screenshots/${file} ← ${page.url()}`);
}
