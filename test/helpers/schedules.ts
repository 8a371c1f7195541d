// Schedule tests: the world's config with a given list of schedules (as the YAML file a user keeps,
// or parsed in-process), and cleanup of every schedule a test created on the shared dev server.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ScheduleNotFoundError, type Client, type ScheduleOptions } from '@temporalio/client';
import { parseConfig } from '../../src/config/load.js';
import { scenarios } from '../../src/sandbox/scenario.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { CLUSTER, World } from './world.js';

export type ScheduleInput = NonNullable<ConfigInput['clusters'][string]['schedules']>[number];

export class ScheduleFixture {
  private readonly ids = new Set<string>();
  private dir?: string;

  constructor(private readonly world: World) {}

  get client(): Client {
    return this.world.client;
  }

  /** The config file's content: the world's cluster with these schedules. */
  fileContent(schedules: ScheduleInput[]) {
    const { temporal, clusters } = this.world.config;
    const cluster = clusters[CLUSTER]!;
    for (const s of schedules) this.ids.add(`${CLUSTER}/${s.name}`);
    return {
      temporal,
      clusters: { [CLUSTER]: { ...cluster, pollInterval: `${cluster.pollInterval}ms`, stallAfter: `${cluster.stallAfter}ms`, scheduleJitter: `${cluster.scheduleJitter}ms`, schedules } },
    };
  }

  config(schedules: ScheduleInput[]): Config {
    return parseConfig(this.fileContent(schedules));
  }

  async writeConfig(schedules: ScheduleInput[]): Promise<string> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'es-scaler-schedules-'));
    const path = join(this.dir, 'es-scaler.yaml');
    await writeFile(path, stringify(this.fileContent(schedules)));
    return path;
  }

  /** A schedule es-scaler does not manage (someone else's, or another deployment's). */
  async createForeign(options: Omit<ScheduleOptions, 'action'> & { taskQueue?: string }): Promise<void> {
    this.ids.add(options.scheduleId);
    await this.client.schedule.create({
      ...options,
      action: { type: 'startWorkflow', workflowType: 'someoneElsesWorkflow', taskQueue: options.taskQueue ?? 'someone-else', args: [] },
    });
  }

  async cleanup(): Promise<void> {
    for (const id of this.ids) {
      await this.client.schedule
        .getHandle(id)
        .delete()
        .catch((err: unknown) => {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
        });
    }
    this.ids.clear();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * For each test of the calling suite: a world on the even-8 sandbox with its schedule fixture, both
 * closed after the test (also when it fails), the fixture's schedules deleted first.
 */
export function scheduleWorldPerTest(): { readonly world: World; readonly schedules: ScheduleFixture } {
  let current: { world: World; schedules: ScheduleFixture } | undefined;
  beforeEach(async () => {
    const world = await World.start({ scenario: scenarios['even-8']! });
    current = { world, schedules: new ScheduleFixture(world) };
  });
  afterEach(async () => {
    await current?.schedules.cleanup();
    await current?.world.close();
    current = undefined;
  });
  const now = () => current ?? assert.fail('the schedule world exists only inside a test');
  return {
    get world() {
      return now().world;
    },
    get schedules() {
      return now().schedules;
    },
  };
}
