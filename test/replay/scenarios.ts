// The scenarios whose workflow histories are recorded for the replay tests: each one drives a
// test world the way its test in test/scenarios does, and checks it ended as that test expects,
// so a recording is always of a correct run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { scenarios } from '../../src/sandbox/scenario.js';
import { temporalCliPath } from '../../src/temporal/dev-server.js';
import { eventually } from '../helpers/eventually.js';
import { holdDrainAt, resumeInNewWorker, type World, type WorldOptions } from '../helpers/world.js';

const run = promisify(execFile);

export interface RecordedScenario {
  /** File-name prefix of its histories. */
  name: string;
  world: WorldOptions;
  /** Runs the scenario to its end on a world with no worker yet. */
  drive(world: World): Promise<void>;
}

const even8 = scenarios['even-8']!;
const incident = scenarios.incident!;

async function expectOutcomes(world: World, ...outcomes: string[]): Promise<void> {
  const records = await world.finishedOperations(outcomes.length, 90_000);
  assert.deepEqual(records.map((r) => r.outcome), outcomes, records.map((r) => r.detail).join('\n'));
}

/** The incident night: stuck on es-data-6's zone, superseded by the morning's 8 once the stall reason shows. */
export async function incidentNight(world: World): Promise<void> {
  await world.submit(6, 'schedule:production/night');
  await world.runningOperation((s) => (s.stall?.reasons.length ?? 0) > 0, 30_000);
  await world.submit(8, 'schedule:production/morning');
  await expectOutcomes(world, 'superseded', 'succeeded');
  assert.equal(world.sandbox.replicas(), 8);
}

export const incidentNightWorld: WorldOptions = {
  scenario: incident,
  cluster: { awarenessPolicy: 'allow', pollInterval: '500ms', stallAfter: '30s', maxReplicas: 8 },
};

export const RECORDED_SCENARIOS: RecordedScenario[] = [
  {
    name: 'scale-in',
    world: { scenario: even8 },
    async drive(world) {
      await world.startWorker();
      await world.submit(6);
      await expectOutcomes(world, 'succeeded');
      assert.equal(world.sandbox.replicas(), 6);
    },
  },
  {
    name: 'incident-night',
    world: incidentNightWorld,
    async drive(world) {
      await world.startWorker();
      await incidentNight(world);
    },
  },
  {
    name: 'cancel',
    world: { scenario: even8 },
    async drive(world) {
      await world.startWorker();
      const draining = await holdDrainAt(world, 7);
      const { address, namespace } = world.config.temporal;
      await run(temporalCliPath(), ['workflow', 'cancel', '--address', address, '--namespace', namespace, '--workflow-id', draining.workflowId]);
      await expectOutcomes(world, 'cancelled');
      world.sandbox.faults.stallRelocations(false);
      assert.deepEqual(world.sandbox.exclusions(), {});
    },
  },
  {
    name: 'worker-crash',
    world: { scenario: even8 },
    async drive(world) {
      await world.startWorkerProcess();
      await holdDrainAt(world, 7);
      await world.killWorkerProcess();
      await resumeInNewWorker(world, 7);
    },
  },
  {
    name: 'scale-out',
    world: { scenario: { ...even8, zones: even8.zones.slice(0, 6) } },
    async drive(world) {
      await world.startWorker();
      await world.submit(8);
      await expectOutcomes(world, 'succeeded');
      assert.equal(world.sandbox.replicas(), 8);
    },
  },
  {
    name: 'stall-failure',
    world: { scenario: incident, cluster: { awarenessPolicy: 'allow', stallAfter: '3s' } },
    async drive(world) {
      await world.startWorker();
      await world.submit(6);
      await expectOutcomes(world, 'failed');
      await eventually('the exclusion to be cleaned up', () => Object.keys(world.sandbox.exclusions()).length === 0);
    },
  },
];
