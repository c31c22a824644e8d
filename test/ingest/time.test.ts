import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseK6Time, parseRfc3339 } from '../../src/ingest/time.js';

describe('k6 timestamps', () => {
  const ms = Date.UTC(2026, 10, 21, 23, 2, 54, 531);
  it('reads every K6_CSV_TIME_FORMAT by its number of digits', () => {
    assert.equal(parseK6Time('1795302174'), 1795302174000);
    assert.equal(parseK6Time('1795302174531'), 1795302174531);
    assert.equal(parseK6Time('1795302174531591'), 1795302174531.591);
    assert.ok(Math.abs(parseK6Time('1795302174531591593') - 1795302174531.5916) < 1e-3);
    assert.ok(Number.isNaN(parseK6Time('12345')));
    assert.ok(Number.isNaN(parseK6Time('')));
  });

  it('reads RFC 3339 with any fraction length and offsets, keeping sub-millisecond digits', () => {
    assert.ok(Math.abs(parseRfc3339('2026-11-21T23:02:54.531591593Z') - (ms + 0.591593)) < 1e-6);
    assert.equal(parseRfc3339('2026-11-21T23:02:54.5Z'), ms - 31);
    assert.equal(parseRfc3339('2026-11-21T23:02:54Z'), ms - 531);
    assert.equal(parseRfc3339('2026-11-22T00:02:54.531+01:00'), ms);
    assert.ok(Number.isNaN(parseRfc3339('yesterday')));
  });
});
