import assert from 'node:assert/strict';
import { podOrdinal, podsToAdd, podsToRemove, replicasProblem, scaleDirection } from '../../src/domain/scale-plan.js';

describe('scale plan', () => {
  it('removes the highest ordinals first, one pod per replica', () => {
    assert.deepEqual(podsToRemove('es-data', 8, 6), ['es-data-7', 'es-data-6']);
    assert.deepEqual(podsToRemove('es-data', 6, 6), []);
    assert.deepEqual(podsToRemove('es-data', 6, 8), []);
  });

  it('adds ordinals in creation order', () => {
    assert.deepEqual(podsToAdd('es-data', 6, 8), ['es-data-6', 'es-data-7']);
    assert.deepEqual(podsToAdd('es-data', 8, 6), []);
  });

  it('knows the direction', () => {
    assert.equal(scaleDirection(8, 6), 'in');
    assert.equal(scaleDirection(6, 8), 'out');
    assert.equal(scaleDirection(6, 6), 'none');
  });

  it('reads ordinals only from this StatefulSet’s pod names', () => {
    assert.equal(podOrdinal('es-data', 'es-data-12'), 12);
    assert.equal(podOrdinal('es-data', 'es-data-0'), 0);
    assert.equal(podOrdinal('es-data', 'es-data-01'), undefined);
    assert.equal(podOrdinal('es-data', 'es-data-x'), undefined);
    assert.equal(podOrdinal('es-data', 'es-master-1'), undefined);
  });

  it('names the replicas field when a target breaks the guards', () => {
    const guards = { minReplicas: 6, maxReplicas: 12 };
    assert.equal(replicasProblem(8, guards), undefined);
    assert.match(replicasProblem(5, guards)!, /^replicas: expected at least minReplicas \(6\), found 5$/);
    assert.match(replicasProblem(13, guards)!, /^replicas: expected at most maxReplicas \(12\), found 13$/);
    assert.match(replicasProblem(6.5, guards)!, /^replicas: expected a whole number, found 6.5$/);
    assert.match(replicasProblem('7', guards)!, /^replicas: expected a whole number, found "7"$/);
  });
});
