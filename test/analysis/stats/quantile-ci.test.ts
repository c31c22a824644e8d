import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  minRequestsForQuantile,
  binomialCdf,
  binomialUpperFrom,
  quantileCI,
  quantileCIRanks,
} from '../../../src/analysis/stats/quantile-ci.js';
import { assertClose, oracle, relativeError } from './oracle.js';

interface Fixture {
  ranks: { n: number; p: number; level: number; lowerRank: number; upperRank: number; coverage: number }[];
  binomial: { n: number; p: number; k: number; cdf: number; sfFrom: number }[];
}
const { cases } = oracle<Fixture>('quantile-ci.json');

describe('quantileCI (order statistics, binomial)', () => {
  it('picks the same order-statistic ranks as an exhaustive search on scipy.stats.binom, n = 1 … 100 000', () => {
    for (const c of cases.ranks) {
      assert.deepEqual(
        quantileCIRanks(c.n, c.p, c.level),
        { lowerRank: c.lowerRank, upperRank: c.upperRank },
        `n=${c.n} p=${c.p} level=${c.level}`,
      );
      assert.ok(c.coverage >= c.level, 'the oracle interval covers at least the level');
    }
  });

  it('binomial CDF and upper tail agree with scipy to 1e-12 relative', () => {
    let worst = 0;
    for (const c of cases.binomial) {
      assertClose(binomialCdf(c.k, c.n, c.p), c.cdf, 1e-12, 1e-300, `F(${c.k}; ${c.n}, ${c.p})`);
      assertClose(binomialUpperFrom(c.k, c.n, c.p), c.sfFrom, 1e-12, 1e-300, `P(B ≥ ${c.k}; ${c.n}, ${c.p})`);
      worst = Math.max(worst, relativeError(binomialCdf(c.k, c.n, c.p), c.cdf));
    }
    console.log(`# binomial cdf: worst relative error vs scipy ${worst.toExponential(2)}`);
  });

  it('maps ranks to values: the p99 of 100 values has no upper bound, the median of 100 is [X(40), X(61)]', () => {
    const xs = Float64Array.from({ length: 100 }, (_, i) => (i + 1) * 10);
    assert.deepEqual(quantileCI(xs, 0.5), [400, 610]);
    assert.equal(quantileCI(xs, 0.99)[1], null);
    assert.deepEqual(quantileCI([1], 0.5), [null, null]);
  });
});

describe('minRequestsForQuantile', () => {
  it('is the fewest values whose 95 % order-statistic CI is bounded on both sides (checked on quantileCIRanks)', () => {
    for (const p of [0.5, 0.9, 0.95, 0.99, 0.999]) {
      const n = minRequestsForQuantile(p);
      const at = quantileCIRanks(n, p, 0.95);
      const below = quantileCIRanks(n - 1, p, 0.95);
      assert.ok(at.lowerRank >= 1 && at.upperRank <= n, `p${p}: bounded at ${n}`);
      assert.ok(below.lowerRank === 0 || below.upperRank === n, `p${p}: unbounded at ${n - 1}`);
    }
    assert.deepEqual(
      [0.5, 0.9, 0.95, 0.99, 0.999].map((p) => minRequestsForQuantile(p)),
      [6, 36, 72, 368, 3688],
    );
  });
});
