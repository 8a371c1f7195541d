import assert from 'node:assert/strict';
import { format1Decimals, formatByteSize, freeBytesThreshold, parseByteSize, parseWatermark } from '../../src/domain/capacity/byte-size.js';
import { freeBytesRequired, headroomDecides, threshold } from '../../src/domain/capacity/watermarks.js';

const GB = 1024 ** 3;
const KEY = 'cluster.routing.allocation.disk.watermark.high';

describe('capacity: byte sizes and watermarks', function () {
  it('parses byte sizes with ES units, case-insensitive, and refuses a bare number', () => {
    assert.equal(parseByteSize('10gb', 'x'), 10 * GB);
    assert.equal(parseByteSize('10G', 'x'), 10 * GB);
    assert.equal(parseByteSize('1.5gb', 'x'), 1.5 * GB);
    assert.equal(parseByteSize('512b', 'x'), 512);
    assert.equal(parseByteSize('-1', 'x'), -1);
    assert.throws(() => parseByteSize('500', 'x'), /failed to parse setting \[x\] with value \[500\] as a size in bytes: unit is missing or unrecognized/);
  });

  it('reads a watermark as a used percentage, a ratio or free bytes', () => {
    assert.deepEqual(parseWatermark('90%', KEY), { kind: 'percent', usedPercent: 90, text: '90%' });
    assert.deepEqual(parseWatermark('0.9', KEY), { kind: 'percent', usedPercent: 90, text: '90%' });
    assert.deepEqual(parseWatermark('50gb', KEY), { kind: 'bytes', freeBytes: 50 * GB, text: '50gb' });
    assert.throws(() => parseWatermark('90', KEY), /unable to parse \[cluster\.routing\.allocation\.disk\.watermark\.high=90\] as either percentage or bytes/);
    assert.throws(() => parseWatermark('120%', KEY), /either percentage or bytes/);
  });

  it('percent vs bytes: 90% of a 100gb disk keeps 10gb free, 5gb in bytes keeps 5gb whatever the size', () => {
    assert.equal(freeBytesThreshold(100 * GB, parseWatermark('90%', KEY)), 10 * GB);
    assert.equal(freeBytesThreshold(100 * GB, parseWatermark('5gb', KEY)), 5 * GB);
    assert.equal(freeBytesThreshold(1000 * GB, parseWatermark('5gb', KEY)), 5 * GB);
  });

  it('caps the default percentage with the max headroom on big disks, but not once the watermark is set', () => {
    const defaults = threshold(() => undefined, 'high');
    assert.equal(freeBytesRequired(defaults, 10_000 * GB), 150 * GB, '10% of 10tb would be 1tb; the headroom caps it at 150gb');
    assert.ok(headroomDecides(defaults, 10_000 * GB));
    assert.equal(freeBytesRequired(defaults, 100 * GB), 10 * GB);
    assert.ok(!headroomDecides(defaults, 100 * GB));
    const set = threshold((k) => (k === KEY ? '90%' : undefined), 'high');
    assert.equal(freeBytesRequired(set, 10_000 * GB), 1000 * GB);
  });

  it('prints sizes and percentages like ES: one decimal, truncated', () => {
    assert.equal(formatByteSize(8 * GB), '8gb');
    assert.equal(formatByteSize(7.99 * GB), '7.9gb');
    assert.equal(formatByteSize(512), '512b');
    assert.equal(format1Decimals(92.36, '%'), '92.3%');
    assert.equal(format1Decimals(20, '%'), '20%');
  });
});
