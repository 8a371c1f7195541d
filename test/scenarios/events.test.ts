// Issue 14: the Kubernetes Events an on-call engineer reads with `kubectl events --for
// statefulset/es-data` during the incident night: the scale started, the drain stalled with
// Elasticsearch's reason, the morning target superseded it, the cleanup was done; and a stale
// exclusion found the next night. Read back through the events.k8s.io API.
import assert from 'node:assert/strict';
import { scenarios } from '../../src/sandbox/scenario.js';
import { eventually } from '../helpers/eventually.js';
import { worldPerTest } from '../helpers/world.js';

describe('Kubernetes Events on the StatefulSet', function () {
  const startWorld = worldPerTest();

  it('the incident night: ScaleStarted, DrainStalled with the awareness reason, Superseded, CleanupDone; then StaleExclusion', async () => {
    const world = await startWorld({ scenario: scenarios.incident!, cluster: { awarenessPolicy: 'allow', stallAfter: '10m', minReplicas: 3 } });
    await world.startWorker();
    await world.submit(6, 'schedule:production/night');
    await world.runningOperation((s) => s.stall !== undefined, 60_000);
    await world.submit(8, 'schedule:production/morning');
    await world.finishedOperations(2, 60_000);

    const events = await eventually('the Events', async () => {
      const found = await world.observer.statefulSetEvents();
      return found.some((e) => e.reason === 'CleanupDone') ? found : undefined;
    });
    const reasons = events.map((e) => e.reason);
    for (const reason of ['ScaleStarted', 'DrainStalled', 'Superseded', 'CleanupDone']) assert.ok(reasons.includes(reason), `${reason} in ${reasons.join(', ')}`);
    const stalled = events.find((e) => e.reason === 'DrainStalled')!;
    assert.equal(stalled.type, 'Warning');
    assert.match(stalled.note, /es-data-6.*\[awareness\]/);
    assert.match(events.find((e) => e.reason === 'Superseded')!.note, /superseded by target 8 \(schedule:production\/morning\)/);

    await world.otherWriter().putSettings('persistent', { 'cluster.routing.allocation.exclude._name': 'es-data-9' });
    await world.submit(7, 'cli:test');
    await world.finishedOperations(3, 60_000);
    const later = await world.observer.statefulSetEvents();
    const stale = later.find((e) => e.reason === 'StaleExclusion');
    assert.ok(stale, `StaleExclusion in ${later.map((e) => e.reason).join(', ')}`);
    assert.match(stale.note, /_name:es-data-9/);
  });
});
