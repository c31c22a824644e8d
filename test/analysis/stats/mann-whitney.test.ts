import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mannWhitney, uDistribution } from '../../../src/analysis/stats/mann-whitney.js';
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

  it('the exact null distribution of U matches brute-force enumeration of all rank assignments, sums to 1 and is symmetric', () => {
    const n = 4;
    const m = 6;
    const counts = new Array<number>(n * m + 1).fill(0);
    let total = 0;
    // Every subset of {1..10} of size 4 is the set of ranks of the first sample.
    for (let mask = 0; mask < 1 << (n + m); mask++) {
      const ranks = [...Array(n + m).keys()].filter((r) => mask & (1 << r)).map((r) => r + 1);
      if (ranks.length !== n) continue;
      counts[ranks.reduce((x, y) => x + y, 0) - (n * (n + 1)) / 2]! += 1;
      total += 1;
    }
    const pmf = uDistribution(n, m);
    counts.forEach((c, k) => assertClose(pmf[k]!, c / total, 1e-14, 0, `P(U=${k})`));
    const big = uDistribution(60, 70);
    assertClose(
      big.reduce((x, y) => x + y, 0),
      1,
      1e-12,
      0,
      'sum',
    );
    for (let k = 0; k < big.length; k++)
      assertClose(big[k]!, big[big.length - 1 - k]!, 1e-9, 1e-300, `symmetry ${k}`);
  });

  it('forced exact on 60 vs 70 values agrees with the normal approximation where both are accurate', () => {
    const a = Array.from({ length: 60 }, (_, i) => i * 1.7);
    const b = Array.from({ length: 70 }, (_, i) => i * 1.5 + 3.3);
    const exact = mannWhitney(a, b, { method: 'exact' }).p;
    const approx = mannWhitney(a, b, { method: 'asymptotic' }).p;
    assertClose(exact, approx, 0.02, 0, 'exact vs asymptotic');
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
