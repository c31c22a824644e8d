import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS, SETTLE, type CheckContext } from '../../../src/analysis/checks/index.js';
import type { ChangePassLine, Comparison } from '../../../src/model/index.js';
import { comparison, plan } from '../helpers.js';

const line: ChangePassLine = {
  id: 'cpu',
  text: 'CPU −30%',
  check: 'change',
  metric: 'cpuSecondsPerRequest',
  maxChange: -0.3,
};
const ctx = (c: Partial<Comparison>): CheckContext => ({
  plan: plan(),
  phase: 'steady',
  comparisons: [comparison({ metric: 'cpuSecondsPerRequest', ...c })],
  summaries: [],
  errors: [],
});
const judge = (c: Partial<Comparison>) => CHECKS.change.judge(line, ctx(c));

describe('change check', () => {
  it('passes only when the whole CI is within the bound and the adjusted p < 0.05', () => {
    const r = judge({ ratio: 0.6, ratioCI95: [0.55, 0.66], ratioCI95Rank: [0.5, 0.69], pAdjusted: 0.008 });
    assert.equal(r.status, 'pass');
    assert.equal(r.figures.changeCI95High, 0.69 - 1);
    assert.match(r.howJudged, /whole 95 % CI/);
  });

  it('is inconclusive when the CI straddles the bound, with runs per arm to settle it', () => {
    const r = judge({ ratio: 0.65, ratioCI95: [0.5, 0.8], ratioCI95Rank: [0.5, 0.8], pAdjusted: 0.01 });
    assert.equal(r.status, 'warn');
    assert.match(r.message, /straddles −30.0 %/);
    const settle = r.figures[SETTLE] as number;
    // n' = 5·(h/d)² with h = ln(0.8/0.5)/2, d = ln(0.7/0.65)
    const expected = Math.ceil(5 * (Math.log(0.8 / 0.5) / 2 / Math.log(0.7 / 0.65)) ** 2);
    assert.equal(settle, expected);
  });

  it('is inconclusive when the CI clears but the rank test does not (too few runs)', () => {
    const r = judge({ ratio: 0.6, ratioCI95: [0.55, 0.65], ratioCI95Rank: [0.5, 0.68], pAdjusted: 0.2 });
    assert.equal(r.status, 'warn');
    assert.match(r.message, /Holm-adjusted p/);
  });

  it('judges on the wider of bootstrap and rank CI: an unbounded rank CI cannot pass or fail', () => {
    const r = judge({ ratio: 0.9, ratioCI95: [0.88, 0.92], ratioCI95Rank: [null, null] });
    assert.equal(r.status, 'warn');
    assert.match(r.message, /unbounded/);
    assert.equal(r.figures.changeCI95Low, null);
  });

  it('fails when the whole CI misses the bound', () => {
    assert.equal(judge({ ratio: 0.9, ratioCI95: [0.85, 0.95], ratioCI95Rank: [0.84, 0.96] }).status, 'fail');
  });

  it('cannot be judged without the comparison', () => {
    const r = CHECKS.change.judge(line, { ...ctx({}), comparisons: [] });
    assert.equal(r.status, 'error');
    assert.match(r.message, /cpuSecondsPerRequest/);
  });
});
