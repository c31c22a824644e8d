import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SETTLE, type CheckContext } from '../../../src/analysis/checks/index.js';
import { atLeastOrAtMost, intervalCheck } from '../../../src/analysis/checks/interval.js';
import type { Comparison, MetricName } from '../../../src/model/index.js';
import { comparison, plan } from '../helpers.js';

/** A made-up claim for the judge alone: "at least halves the figure" (ratio ≤ 0.5), p-gated. */
interface HalvesLine {
  id: string;
  text: string;
  metric: MetricName;
  quantile?: number;
}
const halves = intervalCheck<HalvesLine>({
  meta: { id: 'halves', title: 'Halves', howJudged: () => 'ratio ≤ 0.5' },
  region: () => atLeastOrAtMost(0.5, false),
  figures: () => ({ bound: 0.5 }),
  gate: (_line, c) => (c.pAdjusted < 0.05 ? undefined : `p = ${c.pAdjusted}`),
  ciPrefix: 'ratio change ',
  says: { pass: () => 'halved', fail: () => 'not halved', warn: (_l, gated) => gated ?? 'straddles' },
});
const line: HalvesLine = { id: 'h', text: 'halves p99', metric: 'latencyMs' };
const ctx = (c: Partial<Comparison> | undefined): CheckContext => ({
  plan: plan(),
  phase: 'steady',
  comparisons: c ? [comparison({ metric: 'latencyMs', quantile: 0.99, ...c })] : [],
  summaries: [],
  errors: [],
});
const judge = (c: Partial<Comparison> | undefined) => halves.judge(line, ctx(c));

describe('interval judge', () => {
  it('passes when the whole CI is inside the region and the gate lets it', () => {
    const r = judge({ ratio: 0.4, ratioCI95: [0.35, 0.45], ratioCI95Rank: [0.3, 0.48], pAdjusted: 0.01 });
    assert.equal(r.status, 'pass');
    assert.equal(r.message, 'ratio change −60.0 % [−70.0 %, −52.0 %]: halved');
    assert.equal(r.figures.bound, 0.5);
    assert.equal(r.title, 'halves p99');
  });
  it('is inconclusive when the gate blocks a CI inside the region, saying why', () => {
    const r = judge({ ratio: 0.4, ratioCI95: [0.35, 0.45], ratioCI95Rank: [0.3, 0.48], pAdjusted: 0.2 });
    assert.equal(r.status, 'warn');
    assert.match(r.message, /: p = 0\.2 \(about \d+ runs per arm would settle it\)$/);
  });
  it('fails when the whole CI is outside, whatever the gate says', () => {
    const r = judge({ ratio: 0.8, ratioCI95: [0.7, 0.9], ratioCI95Rank: [0.6, 0.95], pAdjusted: 1 });
    assert.equal(r.status, 'fail');
    assert.match(r.message, /: not halved$/);
    assert.equal(r.figures[SETTLE], undefined);
  });
  it('is inconclusive on a CI across the edge, with runs to settle measured at that edge', () => {
    const r = judge({ ratio: 0.55, ratioCI95: [0.45, 0.65], ratioCI95Rank: [0.45, 0.65], pAdjusted: 0.01 });
    assert.equal(r.status, 'warn');
    // n' = 5·(h/d)², h = ln(0.65/0.45)/2, d = ln(0.55/0.5); at least the 5 + 1 runs there are
    const expected = Math.max(6, Math.ceil(5 * (Math.log(0.65 / 0.45) / 2 / Math.log(0.55 / 0.5)) ** 2));
    assert.equal(r.figures[SETTLE], expected);
  });
  it('compares only the bounded side of a one-sided region (an undefined low end cannot block a pass)', () => {
    const r = judge({ ratio: 0.4, ratioCI95: [NaN, 0.45], ratioCI95Rank: [0.3, 0.48], pAdjusted: 0.01 });
    assert.equal(r.status, 'pass');
  });
  it('cannot judge a line whose comparison is missing or has no finite ratio', () => {
    for (const c of [undefined, { ratio: Infinity }]) {
      const r = judge(c);
      assert.equal(r.status, 'error');
      assert.deepEqual(r.figures, { bound: 0.5 });
      assert.match(r.message, /no comparable p99 latency \(all requests, steady\)/);
    }
  });
  it("names the comparison it judges, with the plan's SLO quantile when the line has none", () => {
    assert.deepEqual(halves.judges?.(line, { plan: plan(), phase: 'steady' }), [
      { phase: 'steady', endpoint: '*', metric: 'latencyMs', quantile: 0.99 },
    ]);
  });
});
