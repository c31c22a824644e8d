import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS } from '../../../src/analysis/checks/index.js';
import { decide } from '../../../src/analysis/verdict.js';
import type { CheckResult, CorrectnessReport } from '../../../src/model/index.js';
import { plan } from '../helpers.js';

const report = (over: Partial<CorrectnessReport> = {}): CorrectnessReport => ({
  comparedRequests: 100,
  mismatches: 0,
  noisyLines: 2,
  byEndpoint: { scan: { compared: 60, mismatches: 0 }, fields: { compared: 40, mismatches: 0 } },
  examples: [],
  comparedLines: 20,
  ignoredLines: 0,
  noisyRequests: 7,
  unpairedRequests: 0,
  ...over,
});
const judge = (correctness: CorrectnessReport | undefined, endpoint?: string): CheckResult =>
  CHECKS['same-output'].judge(
    { id: 's', text: 'same output', check: 'same-output', ...(endpoint ? { endpoint } : {}) },
    {
      plan: plan(),
      phase: 'steady',
      comparisons: [],
      summaries: [],
      errors: [],
      ...(correctness ? { correctness } : {}),
    },
  );

describe('same-output check', () => {
  it('passes with no mismatch beyond the noise floor, saying how many requests were compared', () => {
    const r = judge(report());
    assert.equal(r.status, 'pass');
    assert.match(r.message, /0 mismatches over 100 compared requests \(2 noisy lines left out\)/);
  });

  it('fails on a single mismatch, naming the first example', () => {
    const r = judge(
      report({
        mismatches: 1,
        byEndpoint: { scan: { compared: 60, mismatches: 1 }, fields: { compared: 40, mismatches: 0 } },
        examples: [
          {
            line: 7,
            endpoint: 'scan',
            baselineStatus: 200,
            candidateStatus: 200,
            baselineDigest: 'aa',
            candidateDigest: 'bb',
            requestPrefix: '{}',
          },
        ],
      }),
    );
    assert.equal(r.status, 'fail');
    assert.match(
      r.message,
      /1 of 100 compared requests answered differently .*line 7 \(scan\) 200 aa vs 200 bb/,
    );
  });

  it('judges one endpoint when the line names it', () => {
    const c = report({
      mismatches: 3,
      byEndpoint: { scan: { compared: 60, mismatches: 0 }, fields: { compared: 40, mismatches: 3 } },
    });
    assert.equal(judge(c, 'scan').status, 'pass');
    assert.equal(judge(c, 'fields').status, 'fail');
    assert.equal(judge(c, 'orders').status, 'error');
  });

  it('cannot be judged without digests, or with nothing compared', () => {
    assert.equal(judge(undefined).status, 'error');
    assert.match(judge(undefined).message, /correctness: \{ digests: true \}/);
    assert.equal(judge(report({ comparedRequests: 0, byEndpoint: {} })).status, 'error');
  });

  it('a failed same-output line drops the verdict even when every speed line passes', () => {
    const fast: CheckResult = { ...judge(report()), id: 'cpu', text: 'CPU −30%', status: 'pass' };
    const v = decide([fast, judge(report({ mismatches: 2 }))], [], 5);
    assert.equal(v.decision, 'drop');
    assert.ok(v.reasons.some((r) => r.startsWith('"same output" failed')));
  });
});
