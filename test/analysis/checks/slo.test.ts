import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS } from '../../../src/analysis/checks/index.js';
import type { Summary } from '../../../src/model/index.js';
import { plan } from '../helpers.js';

const run = (p99: number, errorRate = 0, runId = 'x'): Summary => ({
  runId,
  role: 'candidate',
  phase: 'steady',
  endpoint: '*',
  n: 100,
  errors: 0,
  errorRate,
  meanMs: 1,
  quantilesMs: { '0.99': p99 },
  quantileCI95Ms: {},
  durationSeconds: 1,
  achievedRps: 1,
  errorClasses: {},
  implShare: {},
  warnings: [],
});
// SLO: p99 ≤ 100 ms, errors ≤ 1 %
const judge = (runs: Summary[]) =>
  CHECKS.slo.judge(
    { id: 's', text: 'meets the SLO', check: 'slo' },
    { plan: plan(), phase: 'steady', comparisons: [], summaries: runs, errors: [] },
  );

describe('slo check', () => {
  it('passes when every candidate run meets latency and error bounds', () => {
    assert.equal(judge([run(80), run(95), run(99)]).status, 'pass');
  });
  it('fails when the median run misses', () => {
    assert.equal(judge([run(80), run(120), run(130)]).status, 'fail');
    assert.equal(judge([run(80, 0.05), run(90, 0.02), run(90)]).status, 'fail');
  });
  it('is inconclusive when only some runs miss', () => {
    const r = judge([run(80), run(90), run(120)]);
    assert.equal(r.status, 'warn');
    assert.match(r.message, /1 of 3 runs/);
  });
  it('cannot be judged without candidate runs', () => {
    assert.equal(judge([]).status, 'error');
  });
  it('counts a failed candidate run and one that missed the offered load as missing the SLO', () => {
    const ctx = {
      plan: plan(),
      phase: 'steady',
      comparisons: [],
      summaries: [run(80, 0, 'a'), run(90, 0, 'b'), run(95, 0, 'c')],
      errors: [],
      suspectRuns: [
        { runId: 'c', role: 'candidate' as const, reason: 'rate-not-achieved' },
        { runId: 'd', role: 'candidate' as const, reason: 'is failed: service exited 2' },
      ],
    };
    const r = CHECKS.slo.judge({ id: 's', text: 'meets the SLO', check: 'slo' }, ctx);
    assert.equal(r.status, 'fail', r.message);
    assert.equal(r.figures.runs, 4);
    assert.equal(r.figures.runsMissing, 2);
    const one = CHECKS.slo.judge(
      { id: 's', text: 'meets the SLO', check: 'slo' },
      { ...ctx, suspectRuns: ctx.suspectRuns.slice(1) },
    );
    assert.equal(one.status, 'warn', one.message);
    assert.match(one.message, /1 of 4 runs miss the SLO \(d failed/);
  });
  it('fails when every candidate run failed', () => {
    const r = CHECKS.slo.judge(
      { id: 's', text: 'meets the SLO', check: 'slo' },
      {
        plan: plan(),
        phase: 'steady',
        comparisons: [],
        summaries: [],
        errors: [],
        suspectRuns: [{ runId: 'd', role: 'candidate', reason: 'is failed' }],
      },
    );
    assert.equal(r.status, 'fail');
  });
});
