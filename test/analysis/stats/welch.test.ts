import { describe, it } from 'node:test';
import { welch } from '../../../src/analysis/stats/welch.js';
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
