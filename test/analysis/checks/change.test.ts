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

describe('change check on a higher-is-better figure (throughputRps)', () => {
  const tput = (maxChange: number): ChangePassLine => ({
    id: 'tput',
    text: 'throughput no worse',
    check: 'change',
    metric: 'throughputRps',
    maxChange,
  });
  const judgeT = (maxChange: number, c: Partial<Comparison>) =>
    CHECKS.change.judge(tput(maxChange), {
      ...ctx({}),
      comparisons: [comparison({ metric: 'throughputRps', ...c })],
    });

  it('fails "throughput no worse" when throughput halves', () => {
    const r = judgeT(0, {
      ratio: 0.5,
      ratioCI95: [0.45, 0.55],
      ratioCI95Rank: [0.44, 0.56],
      pAdjusted: 0.008,
    });
    assert.equal(r.status, 'fail', r.message);
  });

  it('passes "throughput no worse" when the whole CI of the change is at or above zero', () => {
    const r = judgeT(0, { ratio: 1.3, ratioCI95: [1.2, 1.4], ratioCI95Rank: [1.15, 1.45], pAdjusted: 0.5 });
    assert.equal(r.status, 'pass', r.message);
    assert.match(r.howJudged, /higher is better.*≥ \+0.0 %/);
  });

  it('needs the rank test too for a claimed gain (+20 %), and fails when the whole CI is below it', () => {
    const ci = {
      ratio: 1.5,
      ratioCI95: [1.3, 1.7] as [number, number],
      ratioCI95Rank: [1.25, 1.75] as [number, number],
    };
    assert.equal(judgeT(0.2, { ...ci, pAdjusted: 0.2 }).status, 'warn');
    assert.equal(judgeT(0.2, { ...ci, pAdjusted: 0.01 }).status, 'pass');
    assert.equal(
      judgeT(0.2, { ratio: 1.05, ratioCI95: [1.0, 1.1], ratioCI95Rank: [0.98, 1.12] }).status,
      'fail',
    );
  });

  it('is inconclusive when the CI straddles the required minimum', () => {
    const r = judgeT(-0.05, { ratio: 0.96, ratioCI95: [0.9, 1.02], ratioCI95Rank: [0.88, 1.03] });
    assert.equal(r.status, 'warn', r.message);
  });
});
