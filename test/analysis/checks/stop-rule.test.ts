import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeStopRule } from '../../../src/analysis/checks/index.js';
import type { Comparison, StopRule } from '../../../src/model/index.js';
import { comparison, plan } from '../helpers.js';

const rule: StopRule = {
  id: 'cut',
  text: 'p99 cut < 10% → drop',
  metric: 'latencyMs',
  quantile: 0.99,
  minImprovement: 0.1,
  decision: 'drop',
};
const judge = (c: Partial<Comparison>) =>
  judgeStopRule(rule, {
    plan: plan(),
    phase: 'steady',
    comparisons: [comparison({ metric: 'latencyMs', quantile: 0.99, ...c })],
    summaries: [],
    errors: [],
  });

describe('stop rule', () => {
  it('fires when the whole CI of the improvement is below the required cut', () => {
    const r = judge({ ratio: 0.97, ratioCI95: [0.94, 0.99], ratioCI95Rank: [0.93, 1.0] });
    assert.equal(r.status, 'fail');
    assert.match(r.message, /fires/);
  });
  it('is clear when the whole CI reaches the cut', () => {
    assert.equal(judge({ ratio: 0.7, ratioCI95: [0.65, 0.8], ratioCI95Rank: [0.6, 0.85] }).status, 'pass');
  });
  it('is undecided when the CI straddles the cut', () => {
    assert.equal(judge({ ratio: 0.9, ratioCI95: [0.85, 0.95], ratioCI95Rank: [0.8, 0.97] }).status, 'warn');
  });
  it('counts the Holm family in its runs-to-settle estimate, like the change check', () => {
    const c = comparison({
      metric: 'latencyMs',
      quantile: 0.99,
      ratio: 0.85,
      ratioCI95: [0.84, 0.86],
      ratioCI95Rank: [0.8, 0.92],
    });
    const others = Array.from({ length: 29 }, (_, i) =>
      comparison({ metric: 'latencyMs', quantile: 0.99, endpoint: `e${i}` }),
    );
    const ctx = { plan: plan(), phase: 'steady', comparisons: [c], summaries: [], errors: [] };
    assert.equal(judgeStopRule(rule, ctx).figures.runsPerArmToSettle, 6);
    assert.equal(judgeStopRule(rule, { ...ctx, comparisons: [c, ...others] }).figures.runsPerArmToSettle, 7);
  });
});
