import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS } from '../../../src/analysis/checks/index.js';
import { buildComparisons } from '../../../src/analysis/compare.js';
import { createRng, randomNormal, type Rng } from '../../../src/analysis/stats/index.js';
import type { ChangePassLine, Summary } from '../../../src/model/index.js';
import { plan } from '../helpers.js';

/**
 * Error rates of the change check end to end (comparison + check), on simulated per-run p99s: each
 * run's p99 = truth × a random run offset (log-normal, 8 % run-to-run spread, as between real runs).
 * Prints both rates; the bounds are the method's promises.
 */
const line: ChangePassLine = {
  id: 'p99',
  text: 'p99 −10%',
  check: 'change',
  metric: 'latencyMs',
  quantile: 0.99,
  maxChange: -0.1,
};

const arm = (role: 'baseline' | 'candidate', n: number, truth: number, rng: Rng): Summary[] =>
  Array.from({ length: n }, (_, i) => ({
    runId: `${role}-${i}`,
    role,
    phase: 'steady',
    endpoint: '*',
    n: 1000,
    errors: 0,
    errorRate: 0,
    meanMs: 1,
    quantilesMs: { '0.99': truth * Math.exp(0.08 * randomNormal(rng)) },
    quantileCI95Ms: {},
    durationSeconds: 1,
    achievedRps: 1,
    errorClasses: {},
    implShare: {},
    warnings: [],
  }));

const passRate = (trials: number, runs: number, candidateTruth: number, seed: number): number => {
  const rng = createRng(seed);
  let passes = 0;
  for (let t = 0; t < trials; t++) {
    const summaries = [...arm('baseline', runs, 100, rng), ...arm('candidate', runs, candidateTruth, rng)];
    const comparisons = buildComparisons({
      summaries,
      resources: [],
      seed: t,
      phases: [],
      judged: [{ phase: 'steady', endpoint: '*', metric: 'latencyMs', quantile: 0.99 }],
      bootstrapIterations: 500,
    });
    const r = CHECKS.change.judge(line, {
      plan: plan(),
      phase: 'steady',
      comparisons,
      summaries,
      errors: [],
    });
    if (r.status === 'pass') passes++;
  }
  return passes / trials;
};

describe('change check calibration (simulated runs)', () => {
  it('passes a −10 % claim for a candidate exactly at −10 % in at most 5 % of trials', () => {
    const rate = passRate(300, 5, 90, 11);
    console.log(`change check: false pass at the bound, 5 runs per arm: ${(rate * 100).toFixed(1)} %`);
    assert.ok(rate <= 0.05, `false pass rate ${rate}`);
  });

  it('passes a −10 % claim for a candidate truly 22 % faster in ≥ 80 % of trials at 10 runs per arm', () => {
    const rate = passRate(200, 10, 78, 12);
    console.log(`change check: power at a true −22 %, 10 runs per arm: ${(rate * 100).toFixed(1)} %`);
    assert.ok(rate >= 0.8, `power ${rate}`);
  });
});
