import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS, type CheckContext } from '../../../src/analysis/checks/index.js';
import type { Comparison, FlatPassLine } from '../../../src/model/index.js';
import { comparison, plan } from '../helpers.js';

const line: FlatPassLine = {
  id: 'rss',
  text: 'memory flat ±5%',
  check: 'flat',
  metric: 'rssBytesSteady',
  tolerance: 0.05,
};
const judge = (c: Partial<Comparison>) =>
  CHECKS.flat.judge(line, {
    plan: plan(),
    phase: 'steady',
    comparisons: [comparison({ metric: 'rssBytesSteady', ...c })],
    summaries: [],
    errors: [],
  } satisfies CheckContext);

describe('flat check (equivalence)', () => {
  it('passes when the whole CI lies inside ±tolerance', () => {
    assert.equal(judge({ ratio: 1.01, ratioCI95: [0.98, 1.03], ratioCI95Rank: [0.97, 1.04] }).status, 'pass');
  });
  it('fails when the whole CI lies outside', () => {
    assert.equal(judge({ ratio: 1.2, ratioCI95: [1.1, 1.3], ratioCI95Rank: [1.08, 1.35] }).status, 'fail');
  });
  it('is inconclusive when the CI overlaps an edge', () => {
    const r = judge({ ratio: 1.03, ratioCI95: [0.99, 1.08], ratioCI95Rank: [0.99, 1.08] });
    assert.equal(r.status, 'warn');
    assert.equal(typeof r.figures.runsPerArmToSettle, 'number');
  });
  it('counts the Holm family in its runs-to-settle estimate, like the change check', () => {
    const c = comparison({
      metric: 'rssBytesSteady',
      ratio: 1.07,
      ratioCI95: [1.06, 1.08],
      ratioCI95Rank: [1.04, 1.12],
    });
    const others = Array.from({ length: 29 }, (_, i) =>
      comparison({ metric: 'rssBytesSteady', endpoint: `e${i}` }),
    );
    const ctx = { plan: plan(), phase: 'steady', comparisons: [c], summaries: [], errors: [] };
    assert.equal(CHECKS.flat.judge(line, ctx).figures.runsPerArmToSettle, 6);
    // Holm over 30 judged comparisons: the exact test needs 7 runs per arm to reach p < 0.05/30
    assert.equal(
      CHECKS.flat.judge(line, { ...ctx, comparisons: [c, ...others] }).figures.runsPerArmToSettle,
      7,
    );
  });
});
