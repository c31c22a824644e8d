import { describe, it } from 'node:test';
import { erfc, normalCdf, normalQuantile, normalSf } from '../../../src/analysis/stats/normal.js';
import { studentTCdf, studentTSf } from '../../../src/analysis/stats/student-t.js';
import { assertClose, oracle, relativeError } from './oracle.js';

interface Fixture {
  normal: { z: number; cdf: number; sf: number; erfc: number }[];
  normalQuantile: { p: number; q: number }[];
  studentT: { t: number; df: number; cdf: number; sf: number }[];
}
const { cases } = oracle<Fixture>('distributions.json');

describe('normal distribution against scipy.stats.norm', () => {
  it('normalCdf/normalSf/erfc agree to 1e-12 relative from z = −38 to 37 (tails down to 1e-300)', () => {
    let worst = 0;
    for (const c of cases.normal) {
      assertClose(normalCdf(c.z), c.cdf, 1e-12, 1e-305, `cdf(${c.z})`);
      assertClose(normalSf(c.z), c.sf, 1e-12, 0, `sf(${c.z})`);
      assertClose(erfc(c.z / Math.SQRT2), c.erfc, 1e-12, 0, `erfc(${c.z}/√2)`);
      worst = Math.max(worst, relativeError(normalCdf(c.z), c.cdf), relativeError(normalSf(c.z), c.sf));
    }
    console.log(`# normal cdf/sf: worst relative error vs scipy ${worst.toExponential(2)}`);
  });

  it('normalQuantile inverts to 1e-13 relative from p = 1e-300 to 1 − 1e-10', () => {
    for (const c of cases.normalQuantile) assertClose(normalQuantile(c.p), c.q, 1e-13, 1e-15, `ppf(${c.p})`);
  });
});

describe("Student's t against scipy.stats.t", () => {
  // Above df = 1000 the continued fraction runs ~√df terms and its rounding reaches ~2e-11 at df = 1e6;
  // irrelevant for a p-value, but the tolerance says so rather than hiding it.
  it('studentTCdf/studentTSf agree to 1e-12 relative for df 0.5…1000 (non-integer included) and 1e-10 up to df = 1e6', () => {
    let worst = 0;
    let worstSmallDf = 0;
    for (const c of cases.studentT) {
      const rel = c.df <= 1000 ? 1e-12 : 1e-10;
      assertClose(studentTCdf(c.t, c.df), c.cdf, rel, 1e-300, `cdf(${c.t}; ${c.df})`);
      assertClose(studentTSf(c.t, c.df), c.sf, rel, 1e-300, `sf(${c.t}; ${c.df})`);
      const err = Math.max(
        relativeError(studentTCdf(c.t, c.df), c.cdf),
        relativeError(studentTSf(c.t, c.df), c.sf),
      );
      worst = Math.max(worst, err);
      if (c.df <= 1000) worstSmallDf = Math.max(worstSmallDf, err);
    }
    console.log(
      `# student t cdf/sf: worst relative error vs scipy ${worstSmallDf.toExponential(2)} (df ≤ 1000), ${worst.toExponential(2)} (df ≤ 1e6)`,
    );
  });
});
