import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeSample } from '../../../src/analysis/stats/describe.js';
import {
  minRequestsForQuantile,
  quantileCI,
  quantileCIRanks,
} from '../../../src/analysis/stats/quantile-ci.js';
import { PERCENTILES } from '../../../src/model/index.js';
import { assertClose, oracle } from './oracle.js';

/**
 * `stats summarize`'s figures against scipy/numpy (test/fixtures/oracle/summarize.json, from
 * scripts/oracle/make_reference.py): the type-7 estimate, the order-statistic CI, the CI as shown (widened
 * to hold the estimate) and which percentiles the sample is too small for. The first sample is the real k6
 * output test/fixtures/k6/small.csv (n = 21), whose p99.9 (81.16) lay below its own CI's lower bound (81.38).
 */
interface Row {
  p: number;
  estimate: number;
  ci: [number | null, number | null];
  shown: [number | null, number | null];
  tooFew: boolean;
}
const { cases } = oracle<{
  minValues: Record<string, number>;
  samples: { name: string; values: number[]; rows: Row[] }[];
}>('summarize.json');

const closeOrNull = (actual: number | null, expected: number | null, what: string): void => {
  if (expected === null) return assert.equal(actual, null, what);
  assert.notEqual(actual, null, what);
  assertClose(actual!, expected, 1e-12, 0, what);
};

describe('describeSample against scipy (stats summarize)', () => {
  it('the fewest values each percentile needs match a search over scipy binomial ranks', () => {
    for (const p of PERCENTILES)
      assert.equal(minRequestsForQuantile(p), cases.minValues[String(p)], `p=${p}`);
  });

  for (const sample of cases.samples) {
    it(`${sample.name} (n=${sample.values.length}): estimate, CI, CI as shown, too few`, () => {
      const d = describeSample(sample.values);
      const sorted = [...sample.values].sort((a, b) => a - b);
      for (const row of sample.rows) {
        const key = String(row.p);
        const what = `${sample.name} p=${row.p}`;
        assertClose(d.quantiles[key]!, row.estimate, 1e-12, 0, `${what} estimate`);
        const raw = quantileCI(sorted, row.p, 0.95);
        closeOrNull(raw[0], row.ci[0], `${what} order-statistic lower`);
        closeOrNull(raw[1], row.ci[1], `${what} order-statistic upper`);
        const [lo, hi] = d.quantileCI95[key]!;
        closeOrNull(lo, row.shown[0], `${what} shown lower`);
        closeOrNull(hi, row.shown[1], `${what} shown upper`);
        assert.ok(lo === null || lo <= d.quantiles[key]!, `${what}: estimate below its CI`);
        assert.ok(hi === null || hi >= d.quantiles[key]!, `${what}: estimate above its CI`);
        assert.equal(key in d.tooFew, row.tooFew, `${what} too few`);
      }
    });
  }

  it('the k6 fixture is the case that showed the bug: p99.9 below its order-statistic lower bound', () => {
    const row = cases.samples[0]!.rows.find((r) => r.p === 0.999)!;
    assert.ok(row.ci[0]! > row.estimate, 'scipy agrees the raw interval excludes the estimate');
    assert.equal(describeSample(cases.samples[0]!.values).tooFew['0.999'], 3688);
  });

  it('from each percentile minimum n up to 20 000 the ranks bracket the type-7 estimate (no widening)', () => {
    for (const p of PERCENTILES) {
      for (let n = minRequestsForQuantile(p); n <= 20_000; n++) {
        const { lowerRank: r, upperRank: s } = quantileCIRanks(n, p, 0.95);
        const h = (n - 1) * p;
        assert.ok(r <= Math.floor(h) + 1 && s >= Math.ceil(h) + 1, `p=${p} n=${n}: r=${r} s=${s}`);
      }
    }
  });
});
