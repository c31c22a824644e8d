import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS } from '../../../src/analysis/checks/index.js';
import type { ErrorClassRow } from '../../../src/model/index.js';
import { plan } from '../helpers.js';

const judge = (errors: ErrorClassRow[]) =>
  CHECKS['no-new-error-classes'].judge(
    { id: 'e', text: 'no new error classes', check: 'no-new-error-classes' },
    { plan: plan(), phase: 'steady', comparisons: [], summaries: [], errors },
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
});
