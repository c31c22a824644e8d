import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTimeseries } from '../../src/analysis/timeseries.js';
import { sampleSet } from './helpers.js';

describe('buildTimeseries', () => {
  it('buckets a run per second with p50/p99, errors and the Rust share, and marks the flip', () => {
    // 4 s at 10 rps: rust for 2 s, then go (a rollback), one 500 in second 3.
    const rows = Array.from({ length: 40 }, (_, i) => ({
      tMs: 5000 + i * 100,
      latencyMs: i < 20 ? 5 : 9,
      impl: i < 20 ? 'rust' : 'go',
      status: i === 25 ? 500 : 200,
    }));
    const ts = buildTimeseries({ id: 'r', role: 'candidate', phase: 'rollback' }, sampleSet(rows));
    assert.equal(ts.bucketSeconds, 1);
    assert.deepEqual(
      ts.points.map((p) => [p.tSeconds, p.requests, p.p50Ms, p.errors, p.rustShare]),
      [
        [0, 10, 5, 0, 1],
        [1, 10, 5, 0, 1],
        [2, 10, 9, 1, 0],
        [3, 10, 9, 0, 0],
      ],
    );
    assert.deepEqual(ts.flips, [{ tSeconds: 2, from: 'rust', to: 'go' }]);
  });

  it('widens buckets so a long run has at most 120 points', () => {
    const rows = Array.from({ length: 600 }, (_, i) => ({ tMs: i * 1000, latencyMs: 1 }));
    const ts = buildTimeseries({ id: 'r', role: 'baseline', phase: 'soak' }, sampleSet(rows));
    assert.equal(ts.bucketSeconds, 5);
    assert.equal(ts.points.length, 120);
  });
});
