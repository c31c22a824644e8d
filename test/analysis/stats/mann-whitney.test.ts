import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EXACT_MAX_SAMPLE,
  mannWhitney,
  tiedUDistribution,
  uDistribution,
} from '../../../src/analysis/stats/mann-whitney.js';
import { assertClose, oracle, relativeError } from './oracle.js';

interface Case {
  name: string;
  a: number[];
  b: number[];
  u: number;
  p: number;
  method: 'exact' | 'asymptotic';
  pExact?: number;
  pExactTies?: number;
  pAsymptotic: number;
}
const { cases } = oracle<Case[]>('mann-whitney.json');

interface TieCase {
  name: string;
  a: number[];
  b: number[];
  u: number;
  p: number;
  pGreater: number;
  pLess: number;
  pAsymptotic: number;
  pPermutation?: number;
  pPermutationGreater?: number;
}
const { cases: tieCases } = oracle<TieCase[]>('mann-whitney-ties.json');

/**
 * The exhaustive permutation test, written independently of the library: every subset of the pooled
 * values of the first sample's size, U counted pairwise (no ranks), two-sided = 2·min of the tails.
 */
const permutationP = (a: number[], b: number[]): { two: number; greater: number; less: number } => {
  const pooled = [...a, ...b];
  const n = a.length;
  const uOf = (xs: number[], ys: number[]): number =>
    xs.reduce((acc, x) => acc + ys.reduce((s, y) => s + (x > y ? 1 : x === y ? 0.5 : 0), 0), 0);
  const observed = uOf(a, b);
  let ge = 0;
  let le = 0;
  let total = 0;
  const pick: number[] = [];
  const walk = (from: number): void => {
    if (pick.length === n) {
      const xs = pick.map((i) => pooled[i]!);
      const ys = pooled.filter((_, i) => !pick.includes(i));
      const u = uOf(xs, ys);
      total++;
      if (u >= observed - 1e-9) ge++;
      if (u <= observed + 1e-9) le++;
      return;
    }
    for (let i = from; i <= pooled.length - (n - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return { two: Math.min(1, (2 * Math.min(ge, le)) / total), greater: ge / total, less: le / total };
};

describe('mannWhitney against scipy.stats.mannwhitneyu', () => {
  it("method 'auto' is exact up to 50 per sample, ties included: same U, p to 1e-12 relative against scipy's exact (no ties) or the exact tie-aware p (ties), asymptotic beyond", () => {
    let worst = 0;
    for (const c of cases) {
      const r = mannWhitney(c.a, c.b);
      assert.equal(r.u, c.u, `${c.name}: U`);
      const exact = Math.max(c.a.length, c.b.length) <= EXACT_MAX_SAMPLE;
      assert.equal(r.method, exact ? 'exact' : 'asymptotic', `${c.name}: method`);
      const expected = exact ? (c.pExact ?? c.pExactTies!) : c.pAsymptotic;
      assert.ok(expected !== undefined, `${c.name}: oracle has the p`);
      assertClose(r.p, expected, 1e-12, 1e-300, `${c.name}: p`);
      worst = Math.max(worst, relativeError(r.p, expected));
    }
    console.log(
      `# mann-whitney auto: ${cases.length} cases, worst relative p error vs oracle ${worst.toExponential(2)}`,
    );
  });

  it("matches scipy's method='exact' (no ties) and method='asymptotic' when forced", () => {
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

describe('mannWhitney exact with ties (the permutation distribution given the tie groups)', () => {
  it('equals the exact tie-aware p of the oracle (Python integers) two-sided and one-sided, to 1e-12 relative, up to 25 vs 25 and p ≈ 6e-12', () => {
    let worst = 0;
    for (const c of tieCases) {
      const two = mannWhitney(c.a, c.b);
      assert.equal(two.method, 'exact', c.name);
      assert.equal(two.u, c.u, `${c.name}: U`);
      assertClose(two.p, c.p, 1e-12, 0, `${c.name}: two-sided`);
      assertClose(
        mannWhitney(c.a, c.b, { alternative: 'greater' }).p,
        c.pGreater,
        1e-12,
        0,
        `${c.name}: greater`,
      );
      assertClose(mannWhitney(c.a, c.b, { alternative: 'less' }).p, c.pLess, 1e-12, 0, `${c.name}: less`);
      worst = Math.max(worst, relativeError(two.p, c.p));
    }
    const far = tieCases.find((c) => c.name === 'far-tail-20-vs-25')!;
    console.log(
      `# mann-whitney ties: ${tieCases.length} cases, worst relative p error ${worst.toExponential(2)}; far-tail-20-vs-25 exact p ${far.p.toExponential(3)} vs normal approximation ${far.pAsymptotic.toExponential(3)} (${(far.pAsymptotic / far.p).toFixed(0)}×)`,
    );
  });

  it('equals scipy.stats.permutation_test (all C(n+m, n) permutations) on every tied case small enough to enumerate', () => {
    const checked = tieCases.filter((c) => c.pPermutation !== undefined);
    assert.ok(checked.length >= 8, 'enough enumerated cases');
    for (const c of checked) {
      assertClose(mannWhitney(c.a, c.b).p, c.pPermutation!, 1e-9, 0, `${c.name}: permutation two-sided`);
      assertClose(
        mannWhitney(c.a, c.b, { alternative: 'greater' }).p,
        c.pPermutationGreater!,
        1e-9,
        0,
        `${c.name}: permutation greater`,
      );
    }
  });

  it('equals an exhaustive permutation test written here (pairwise U, no ranks) on tied samples up to 8 vs 8', () => {
    for (const c of tieCases.filter((x) => x.a.length + x.b.length <= 16)) {
      const perm = permutationP(c.a, c.b);
      assertClose(mannWhitney(c.a, c.b).p, perm.two, 1e-12, 0, `${c.name}: two-sided`);
      assertClose(
        mannWhitney(c.a, c.b, { alternative: 'greater' }).p,
        perm.greater,
        1e-12,
        0,
        `${c.name}: greater`,
      );
      assertClose(mannWhitney(c.a, c.b, { alternative: 'less' }).p, perm.less, 1e-12, 0, `${c.name}: less`);
    }
  });

  it('the tied 6-vs-6 and 8-vs-8 samples the normal approximation calls significant are not (p ≥ 0.05 exactly)', () => {
    for (const name of ['flip-6-vs-6', 'flip-8-vs-8']) {
      const c = tieCases.find((x) => x.name === name)!;
      assert.ok(mannWhitney(c.a, c.b, { method: 'asymptotic' }).p < 0.05, `${name}: asymptotic < 0.05`);
      assert.ok(mannWhitney(c.a, c.b).p >= 0.05, `${name}: exact ≥ 0.05`);
    }
  });

  it('without ties the tie-aware distribution equals Mann & Whitney’s recurrence; it sums to 1 with ties', () => {
    const plain = uDistribution(7, 9);
    const viaTies = tiedUDistribution(7, 9, new Array<number>(16).fill(1));
    for (let k = 0; k < plain.length; k++)
      assertClose(viaTies[2 * k]!, plain[k]!, 1e-13, 1e-300, `P(U=${k})`);
    for (let k = 0; k < plain.length - 1; k++) assert.equal(viaTies[2 * k + 1], 0);
    const tied = tiedUDistribution(20, 25, [3, 7, 1, 9, 10, 2, 8, 5]);
    assertClose(
      tied.reduce((x, y) => x + y, 0),
      1,
      1e-12,
      0,
      'sum',
    );
    assert.throws(() => tiedUDistribution(2, 2, [1, 2]), RangeError);
  });

  it('all values tied gives p = 1 (no evidence either way)', () => {
    assert.equal(mannWhitney([3, 3, 3], [3, 3, 3, 3]).p, 1);
  });
});
