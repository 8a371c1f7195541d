import assert from 'node:assert/strict';
import { addEntryBody, effectiveExclusions, isLeftoverOf, parseList, removeEntryBody } from '../../src/domain/exclusion-list.js';

const KEY = 'cluster.routing.allocation.exclude._name';

describe('exclusion list edits', () => {
  it('parses comma lists with stray spaces and empties', () => {
    assert.deepEqual(parseList(' a, b,,c '), ['a', 'b', 'c']);
    assert.deepEqual(parseList(undefined), []);
  });

  it('appends to the persistent list, keeping entries others added', () => {
    const body = addEntryBody({ persistent: { [KEY]: 'other-node' }, transient: {} }, '_name', 'es-data-7');
    assert.deepEqual(body, { persistent: { [KEY]: 'other-node,es-data-7' } });
  });

  it('writes to the transient list when one overrides the persistent list', () => {
    const body = addEntryBody({ persistent: {}, transient: { [KEY]: 'x' } }, '_name', 'es-data-7');
    assert.deepEqual(body, { transient: { [KEY]: 'x,es-data-7' } });
  });

  it('adds nothing when the entry is already in force', () => {
    assert.equal(addEntryBody({ persistent: { [KEY]: 'es-data-7' }, transient: {} }, '_name', 'es-data-7'), undefined);
  });

  it('removes only the given entry, from both scopes, and clears an emptied list', () => {
    const settings = { persistent: { [KEY]: 'keep-me,es-data-7' }, transient: { [KEY]: 'es-data-7' } };
    assert.deepEqual(removeEntryBody(settings, '_name', 'es-data-7'), {
      persistent: { [KEY]: 'keep-me' },
      transient: { [KEY]: null },
    });
    assert.equal(removeEntryBody(settings, '_name', 'es-data-70'), undefined);
    assert.equal(removeEntryBody(settings, '_ip', 'es-data-7'), undefined);
  });

  it('reports the entries in force per attribute, transient over persistent', () => {
    const effective = effectiveExclusions({
      persistent: { [KEY]: 'a,b', 'cluster.routing.allocation.exclude._ip': '10.0.0.1', 'cluster.other': 'x' },
      transient: { [KEY]: 'c' },
    });
    assert.deepEqual(effective, { _name: ['c'], _ip: ['10.0.0.1'] });
  });

  it('counts as a leftover only a _name entry naming a pod of this StatefulSet', () => {
    assert.equal(isLeftoverOf('es-data', { attribute: '_name', value: 'es-data-6' }), true);
    assert.equal(isLeftoverOf('es-data', { attribute: '_name', value: 'es-master-0' }), false);
    assert.equal(isLeftoverOf('es-data', { attribute: '_ip', value: '10.0.0.6' }), false);
    assert.equal(isLeftoverOf('es-data', { attribute: '_host', value: 'es-data-6' }), false);
  });
});
