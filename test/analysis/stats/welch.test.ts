import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { welch, welchBoundPValue, welchInterval, welchOneSided } from '../../../src/analysis/stats/welch.js';
import { assertClose, oracle, relativeError } from './oracle.js';

interface Case {
  name: string;
  a: number[];
  b: number[];
  t: number;
  df: number;
  p: number;
}
const { cases } = oracle<Case[]>('welch.json');

describe('welch against scipy.stats.ttest_ind(equal_var=False)', () => {
  it('t, non-integer df and two-sided p agree to 1e-10 relative (NaN where both variances are 0)', () => {
    let worst = 0;
    for (const c of cases) {
      const r = welch(c.a, c.b);
      assertClose(r.t, c.t, 1e-10, 0, `${c.name}: t`);
      // scipy reports df = 1 beside t = NaN when both variances are 0; only t and p are meaningful there.
      if (!Number.isNaN(c.t)) assertClose(r.df, c.df, 1e-10, 0, `${c.name}: df`);
      assertClose(r.p, c.p, 1e-10, 1e-300, `${c.name}: p`);
      if (!Number.isNaN(c.p)) worst = Math.max(worst, relativeError(r.p, c.p));
    }
    console.log(`# welch: ${cases.length} cases, worst relative p error vs scipy ${worst.toExponential(2)}`);
  });
});

interface OneSidedCase {
  name: string;
  a: number[];
  b: number[];
  greater: number;
  less: number;
  intervals: { level: number; low: number; high: number }[];
  bounds: { bound: number; below: number; above: number }[];
}
const oneSided = oracle<OneSidedCase[]>('welch-one-sided.json').cases;

describe('one-sided Welch, its interval and the log-ratio bound test against scipy', () => {
  it('one-sided p (greater, less) agree with ttest_ind(alternative=…) to 1e-9 relative', () => {
    for (const c of oneSided) {
      assertClose(welchOneSided(c.a, c.b, 'greater').p, c.greater, 1e-9, 1e-300, `${c.name}: greater`);
      assertClose(welchOneSided(c.a, c.b, 'less').p, c.less, 1e-9, 1e-300, `${c.name}: less`);
    }
  });
  it('the interval at 95 %, 96.82 % (a repeated-CI level) and 99 % agrees with confidence_interval()', () => {
    for (const c of oneSided)
      for (const iv of c.intervals) {
        const [lo, hi] = welchInterval(c.a, c.b, iv.level);
        assertClose(lo, iv.low, 1e-8, 1e-12, `${c.name} @ ${iv.level}: low`);
        assertClose(hi, iv.high, 1e-8, 1e-12, `${c.name} @ ${iv.level}: high`);
      }
  });
  it('welchBoundPValue is the Welch test of log baseline against log candidate − log bound', () => {
    for (const c of oneSided)
      for (const b of c.bounds) {
        assertClose(
          welchBoundPValue(c.a, c.b, b.bound, 'below'),
          b.below,
          1e-9,
          1e-300,
          `${c.name} < ${b.bound}`,
        );
        assertClose(
          welchBoundPValue(c.a, c.b, b.bound, 'above'),
          b.above,
          1e-9,
          1e-300,
          `${c.name} > ${b.bound}`,
        );
      }
  });
  it('a one-sided p at the interval edge is its error: the 1 − 2c interval touches the bound where p = c', () => {
    const a = [1.0, 1.1, 0.95, 1.05, 1.02];
    const b = [0.7, 0.8, 0.75, 0.9, 0.6];
    const [lo] = welchInterval(a, b, 1 - 2 * 0.0159);
    // Shift b up by lo: the difference's lower edge is then 0 and the one-sided p is exactly 0.0159.
    assertClose(
      welchOneSided(
        a,
        b.map((v) => v + lo),
        'greater',
      ).p,
      0.0159,
      1e-8,
    );
  });
});

describe('welchBoundPValue without spread', () => {
  it('gives 0 on the claim side and 1 off it when both arms are constant (scipy: NaN), NaN below 2 runs', () => {
    assert.equal(welchBoundPValue([1, 1, 1], [0.5, 0.5, 0.5], 0.7, 'below'), 0);
    assert.equal(welchBoundPValue([1, 1, 1], [0.5, 0.5, 0.5], 0.7, 'above'), 1);
    assert.equal(welchBoundPValue([1, 1, 1], [0.7, 0.7, 0.7], 0.7, 'below'), 1);
    assert.ok(Number.isNaN(welchBoundPValue([1], [0.5, 0.6], 0.7, 'below')));
  });
});
