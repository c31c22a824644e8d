import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS } from '../../../src/analysis/checks/index.js';
import type { ErrorClassRow, Summary } from '../../../src/model/index.js';
import { plan } from '../helpers.js';

const summary = (phase = 'steady'): Summary => ({
  runId: 'c1',
  role: 'candidate',
  phase,
  endpoint: '*',
  n: 100,
  errors: 0,
  errorRate: 0,
  meanMs: 1,
  quantilesMs: {},
  quantileCI95Ms: {},
  durationSeconds: 1,
  achievedRps: 100,
  errorClasses: {},
  implShare: {},
  warnings: [],
});
const judge = (errors: ErrorClassRow[], summaries: Summary[] = [summary()]) =>
  CHECKS['no-new-error-classes'].judge(
    { id: 'e', text: 'no new error classes', check: 'no-new-error-classes' },
    { plan: plan(), phase: 'steady', comparisons: [], summaries, errors },
  );
const row = (errorClass: string, baseline: number, candidate: number): ErrorClassRow => ({
  errorClass,
  endpoint: '*',
  baseline,
  candidate,
  isNew: candidate > 0 && baseline === 0,
});

describe('no-new-error-classes check', () => {
  it('passes when the candidate shows only classes the baseline has', () => {
    assert.equal(judge([row('http-400', 5, 7)]).status, 'pass');
  });
  it('fails on a new class seen more than once, naming it', () => {
    const r = judge([row('http-400', 5, 7), row('http-500', 0, 3)]);
    assert.equal(r.status, 'fail');
    assert.match(r.message, /http-500 ×3/);
    assert.equal(r.figures.newClasses, 1);
  });
  it('is inconclusive on a single request of a new class', () => {
    assert.equal(judge([row('transport', 0, 1)]).status, 'warn');
  });
  it('cannot be judged (error, not pass) without candidate requests in the compared phases', () => {
    const none = judge([], []);
    assert.equal(none.status, 'error');
    assert.match(none.message, /no candidate requests/);
    assert.equal(judge([], [summary('ramp-not-in-plan')]).status, 'error');
  });
});
