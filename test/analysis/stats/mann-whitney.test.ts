import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mannWhitney, uDistributionCounts } from '../../../src/analysis/stats/mann-whitney.js';
import { assertClose, oracle, relativeError } from './oracle.js';

interface Case {
  name: string;
  a: number[];
  b: number[];
  u: number;
  p: number;
  method: 'exact' | 'asymptotic';
  pExact?: number;
  pAsymptotic: number;
}
const { cases } = oracle<Case[]>('mann-whitney.json');

describe('mannWhitney against scipy.stats.mannwhitneyu', () => {
  it("matches method='auto': same U, same method choice, p to 1e-12 relative (small/large n, ties, equal and all-tied samples, p ≈ 1e-100)", () => {
    let worst = 0;
    for (const c of cases) {
      const r = mannWhitney(c.a, c.b);
      assert.equal(r.u, c.u, `${c.name}: U`);
      assert.equal(r.method, c.method, `${c.name}: method`);
      assertClose(r.p, c.p, 1e-12, 1e-300, `${c.name}: p`);
      worst = Math.max(worst, relativeError(r.p, c.p));
    }
    console.log(
      `# mann-whitney auto: ${cases.length} cases, worst relative p error vs scipy ${worst.toExponential(2)}`,
    );
  });

  it("matches method='exact' and method='asymptotic' when forced", () => {
    for (const c of cases) {
      if (c.pExact !== undefined)
        assertClose(mannWhitney(c.a, c.b, { method: 'exact' }).p, c.pExact, 1e-12, 0, `${c.name}: exact p`);
      assertClose(
        mannWhitney(c.a, c.b, { method: 'asymptotic' }).p,
        c.pAsymptotic,
        1e-12,
        1e-300,
        `${c.name}: asymptotic p`,
      );
    }
  });

  it('the exact null distribution of U sums to C(n+m, n) and is symmetric', () => {
    const counts = uDistributionCounts(7, 9);
    assert.equal(
      counts.reduce((s, x) => s + x, 0),
      11440,
    );
    for (let k = 0; k < counts.length; k++) assert.equal(counts[k], counts[counts.length - 1 - k]);
  });

  it('swapping the samples gives U′ = nm − U and the same p', () => {
    const c = cases.find((x) => x.name === 'n8-vs-30-no-ties')!;
    const ab = mannWhitney(c.a, c.b);
    const ba = mannWhitney(c.b, c.a);
    assert.equal(ba.u, c.a.length * c.b.length - ab.u);
    assert.equal(ba.p, ab.p);
  });

  it('returns NaN p for an empty sample instead of throwing', () => {
    assert.ok(Number.isNaN(mannWhitney([], [1, 2]).p));
  });

  it('refuses NaN values with a RangeError (NaN has no rank) rather than ranking them arbitrarily', () => {
    assert.throws(() => mannWhitney([1, NaN, 3], [2, 4]), RangeError);
  });
});
