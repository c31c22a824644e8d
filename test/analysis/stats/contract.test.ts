import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as stats from '../../../src/analysis/stats/index.js';

// Hand-checkable values of the API-CONTRACT.md semantics; the scipy-oracle tests check precision.
describe('stats API contract (hand-checkable cases)', () => {
  it('quantile is R type 7 and NaN on an empty sample', () => {
    assert.equal(stats.quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(stats.quantile([10, 20, 30, 40, 50], 0.9), 46);
    assert.ok(Number.isNaN(stats.quantile([], 0.5)));
  });

  it('mannWhitney: u counts a > b plus half ties; complete separation of 5 vs 5 has exact p = 2/252', () => {
    const r = stats.mannWhitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
    assert.equal(r.u, 25);
    assert.equal(r.method, 'exact');
    assert.ok(Math.abs(r.p - 2 / 252) < 1e-15);
    assert.equal(stats.mannWhitney([1, 2], [2, 3]).u, 0.5);
  });

  it('welch: t is of mean(a) − mean(b)', () => {
    assert.ok(stats.welch([5, 6, 7], [1, 2, 3]).t > 0);
  });

  it('hodgesLehmann is the median of b_j − a_i and cliffsDelta counts b over a', () => {
    assert.equal(stats.hodgesLehmann([1, 2, 3], [4, 6, 9]), 4);
    assert.equal(stats.cliffsDelta([1, 2, 3], [4, 5, 6]), 1);
    assert.equal(stats.cliffsDelta([4, 5, 6], [1, 2, 3]), -1);
  });

  it('holm keeps the input order and is monotone in the sorted order', () => {
    assert.deepEqual(stats.holm([0.01, 0.04, 0.03, 0.2]), [0.04, 0.09, 0.09, 0.2]);
  });

  it('quantileCI gives null for a side the sample cannot bound', () => {
    const xs = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(stats.quantileCI(xs, 0.99)[1], null);
    assert.deepEqual(stats.quantileCI([], 0.5), [null, null]);
  });

  it('createRng is deterministic per seed and uniform in [0, 1)', () => {
    const a = stats.createRng(42);
    const b = stats.createRng(42);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(
      xs,
      Array.from({ length: 1000 }, () => b()),
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notEqual(stats.createRng(43)(), xs[0]);
  });

  it('bootstrapRatioCI brackets the observed ratio of medians and is reproducible from the seed', () => {
    const a = [10, 11, 12, 10.5, 11.5];
    const b = [11, 12, 13, 11.5, 12.5];
    const ci = stats.bootstrapRatioCI(a, b, { rng: stats.createRng(1) });
    assert.ok(ci[0] < 12 / 11 && 12 / 11 < ci[1]);
    assert.deepEqual(ci, stats.bootstrapRatioCI(a, b, { rng: stats.createRng(1) }));
  });
});
