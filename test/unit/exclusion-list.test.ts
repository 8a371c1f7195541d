import assert from 'node:assert/strict';
import { addEntryBody, effectiveExclusions, isSweepable, namedPod, parseList, removeEntryBody } from '../../src/domain/exclusion-list.js';

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

  it('removes only the given entry from the list in force, and clears an emptied list', () => {
    const settings = { persistent: { [KEY]: 'keep-me,es-data-7' }, transient: { [KEY]: 'es-data-7' } };
    assert.deepEqual(removeEntryBody(settings, '_name', 'es-data-7'), { transient: { [KEY]: null } });
    assert.equal(removeEntryBody(settings, '_name', 'es-data-70'), undefined);
    assert.equal(removeEntryBody(settings, '_ip', 'es-data-7'), undefined);
  });

  // Issue 9 item 11: the same value in the other scope is someone else's (shadowed) entry.
  it('other writers: removes from the scope the entry was added to, never the shadowed persistent twin', () => {
    const settings = { persistent: { [KEY]: 'es-data-7' }, transient: { [KEY]: 'es-data-7' } };
    assert.deepEqual(removeEntryBody(settings, '_name', 'es-data-7', 'transient'), { transient: { [KEY]: null } });
    assert.deepEqual(removeEntryBody(settings, '_name', 'es-data-7', 'persistent'), { persistent: { [KEY]: null } });
  });

  it('reports the entries in force per attribute, transient over persistent', () => {
    const effective = effectiveExclusions({
      persistent: { [KEY]: 'a,b', 'cluster.routing.allocation.exclude._ip': '10.0.0.1', 'cluster.other': 'x' },
      transient: { [KEY]: 'c' },
    });
    assert.deepEqual(effective, { _name: ['c'], _ip: ['10.0.0.1'] });
  });

  it('names a pod of this StatefulSet only through a _name entry', () => {
    assert.equal(namedPod('es-data', { attribute: '_name', value: 'es-data-6' }), 'es-data-6');
    assert.equal(namedPod('es-data', { attribute: '_name', value: 'es-master-0' }), undefined);
    assert.equal(namedPod('es-data', { attribute: '_ip', value: '10.0.0.6' }), undefined);
    assert.equal(namedPod('es-data', { attribute: '_host', value: 'es-data-6' }), undefined);
  });

  it('sweeps only entries we recorded as left behind, or naming a pod that is gone', () => {
    const entry = { attribute: '_name', value: 'es-data-2' };
    assert.equal(isSweepable(entry, { recorded: [], podGone: false }), false, "an operator's exclusion of a live pod stays");
    assert.equal(isSweepable(entry, { recorded: [], podGone: true }), true);
    assert.equal(isSweepable({ attribute: '_ip', value: '10.0.0.6' }, { recorded: ['_ip:10.0.0.6'], podGone: false }), true);
  });
});
