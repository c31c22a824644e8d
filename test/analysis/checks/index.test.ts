import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CHECKS,
  judgedComparisons,
  judgePassLine,
  type CheckContext,
} from '../../../src/analysis/checks/index.js';
import type { PassLine } from '../../../src/model/index.js';
import { comparison, plan } from '../helpers.js';

const lines: PassLine[] = [
  { id: 'cpu', text: 'CPU −30%', check: 'change', metric: 'cpuSecondsPerRequest', maxChange: -0.3 },
  { id: 'slo', text: 'meets the SLO', check: 'slo' },
  {
    id: 'rss',
    text: 'memory flat',
    check: 'flat',
    metric: 'rssBytesSteady',
    tolerance: 0.05,
    endpoint: 'scan',
  },
  { id: 'err', text: 'no new error classes', check: 'no-new-error-classes' },
];

describe('check registry', () => {
  it('lists each check under its own id', () => {
    for (const [kind, check] of Object.entries(CHECKS)) assert.equal(check.meta.id, kind);
  });
  it('judges each pass line with the check of its kind', () => {
    const ctx: CheckContext = {
      plan: plan({ passLines: lines }),
      phase: 'steady',
      comparisons: [comparison({ metric: 'cpuSecondsPerRequest' })],
      summaries: [],
      errors: [],
    };
    for (const line of lines) {
      const r = judgePassLine(line, ctx);
      assert.equal(r.id, line.id);
      assert.equal(r.howJudged, CHECKS[line.check].meta.howJudged(line as never, ctx));
    }
  });
  it('puts the comparisons of interval claims and stop rules, and only those, in the Holm family', () => {
    const p = plan({
      passLines: lines,
      stopRules: [
        { id: 'cut', text: 'p99 cut < 10%', metric: 'latencyMs', minImprovement: 0.1, decision: 'drop' },
      ],
    });
    assert.deepEqual(judgedComparisons(p, 'steady'), [
      { phase: 'steady', endpoint: '*', metric: 'cpuSecondsPerRequest' },
      { phase: 'steady', endpoint: 'scan', metric: 'rssBytesSteady' },
      { phase: 'steady', endpoint: '*', metric: 'latencyMs', quantile: 0.99 },
    ]);
  });
});
