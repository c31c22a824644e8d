import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  pairedShiftCI,
  signedRankCounts,
  wilcoxonSignedRank,
} from '../../../src/analysis/stats/wilcoxon-signed-rank.js';
import { assertClose, oracle, relativeError } from './oracle.js';

interface Case {
  name: string;
  d: number[];
  statistic: number;
  p: number;
  method: 'exact' | 'permutation' | 'approx';
  pAsymptotic: number;
  z: number;
  pExact?: number;
}
const { cases } = oracle<Case[]>('wilcoxon.json');

describe('wilcoxonSignedRank against scipy.stats.wilcoxon', () => {
  it("matches method='auto': same statistic, same method choice (exact, permutation, approx), p to 1e-10 relative", () => {
    let worst = 0;
    for (const c of cases) {
      const r = wilcoxonSignedRank(c.d);
      assert.equal(r.statistic, c.statistic, `${c.name}: statistic`);
      assert.equal(r.method, c.method, `${c.name}: method`);
      assertClose(r.p, c.p, 1e-10, 1e-300, `${c.name}: p`);
      worst = Math.max(worst, relativeError(r.p, c.p));
    }
    console.log(
      `# wilcoxon auto: ${cases.length} cases, worst relative p error vs scipy ${worst.toExponential(2)}`,
    );
  });

  it("matches method='exact' and method='asymptotic' (with its tie correction and z) when forced", () => {
    for (const c of cases) {
      if (c.pExact !== undefined)
        assertClose(wilcoxonSignedRank(c.d, { method: 'exact' }).p, c.pExact, 1e-10, 0, `${c.name}: exact`);
      const a = wilcoxonSignedRank(c.d, { method: 'approx' });
      assertClose(a.p, c.pAsymptotic, 1e-10, 1e-300, `${c.name}: approx p`);
      assertClose(-Math.abs(a.z), c.z, 1e-10, 0, `${c.name}: z`);
    }
  });
});

describe('signed-rank null distribution', () => {
  it('counts 2^n sign patterns in total and is symmetric about n(n+1)/4', () => {
    for (const n of [1, 5, 12, 30]) {
      const c = signedRankCounts(n);
      assert.equal(
        c.reduce((s, x) => s + x, 0),
        2 ** n,
      );
      for (let k = 0; k < c.length; k++) assert.equal(c[k], c[c.length - 1 - k]);
    }
  });

  it('gives p = 1 and no method failure when every difference is zero (no evidence of a change)', () => {
    const r = wilcoxonSignedRank([0, 0, 0]);
    assert.equal(r.p, 1);
    assert.equal(r.n, 0);
  });
});

describe('pairedShiftCI (Hodges-Lehmann with the signed-rank interval)', () => {
  it('is the inversion of the exact test: shifts just inside the CI are not rejected at 5 %, just outside are', () => {
    const d = [0.12, -0.05, 0.3, -0.21, 0.07, 0.44, 0.18, 0.02, 0.25, -0.01, 0.09, 0.33];
    const { estimate, ci } = pairedShiftCI(d);
    const [lo, hi] = ci as [number, number];
    assert.ok(lo < estimate && estimate < hi);
    const p = (theta: number) =>
      wilcoxonSignedRank(
        d.map((x) => x - theta),
        { method: 'exact' },
      ).p;
    const eps = 1e-9;
    assert.ok(p(lo + eps) >= 0.05, `inside low: ${p(lo + eps)}`);
    assert.ok(p(hi - eps) >= 0.05, `inside high: ${p(hi - eps)}`);
    assert.ok(p(lo - eps) < 0.05, `outside low: ${p(lo - eps)}`);
    assert.ok(p(hi + eps) < 0.05, `outside high: ${p(hi + eps)}`);
  });

  it('leaves both sides unbounded with five or fewer differences (2·2^-5 > 5 %)', () => {
    assert.deepEqual(pairedShiftCI([0.1, 0.2, 0.3, 0.4, 0.5]).ci, [null, null]);
    assert.notDeepEqual(pairedShiftCI([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]).ci, [null, null]);
  });
});
