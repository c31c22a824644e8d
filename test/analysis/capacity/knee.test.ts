import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findKnee, mergeRuns, stepFigures, type StepFigures } from '../../../src/analysis/capacity/knee.js';
import type { Slo } from '../../../src/model/index.js';
import { sampleSet, type Row } from '../helpers.js';

const slo: Slo = { quantile: 0.99, latencyMs: 50, maxErrorRate: 0.01 };
const steps = [
  { rateRps: 10, durationSeconds: 2 },
  { rateRps: 20, durationSeconds: 2 },
  { rateRps: 40, durationSeconds: 2 },
];

/** A ramp: each plateau at its rate, with the given latency and achieved share. */
const ramp = (latencies: number[], achievedShare = [1, 1, 1]): Row[] => {
  const rows: Row[] = [];
  let t = 0;
  steps.forEach((s, k) => {
    const n = Math.round(s.rateRps * s.durationSeconds * achievedShare[k]!);
    for (let i = 0; i < n; i++)
      rows.push({ tMs: t + (i * s.durationSeconds * 1000) / n, latencyMs: latencies[k]! });
    t += s.durationSeconds * 1000;
  });
  return rows;
};

describe('knee', () => {
  it('is the last plateau that meets the SLO before the first that does not', () => {
    const figures = stepFigures(sampleSet(ramp([10, 20, 80])), steps, slo);
    assert.deepEqual(
      figures.map((f) => [f.offeredRps, f.achievedRps, f.ok]),
      [
        [10, 10, true],
        [20, 20, true],
        [40, 40, false],
      ],
    );
    assert.equal(findKnee(figures, slo).kneeRps, 20);
  });

  it('fails a plateau whose achieved rate falls below 97 % of the offered one', () => {
    const figures = stepFigures(sampleSet(ramp([10, 10, 10], [1, 0.9, 1])), steps, slo);
    assert.equal(figures[1]!.ok, false);
    assert.equal(findKnee(figures, slo).kneeRps, 10, 'a lucky pass above a failure is not capacity');
  });

  it('says the knee was not reached when every plateau passes, and reports none when the first fails', () => {
    const all = findKnee(stepFigures(sampleSet(ramp([10, 10, 10])), steps, slo), slo);
    assert.equal(all.kneeRps, 40);
    assert.equal(all.warnings[0]!.code, 'knee-not-reached');
    assert.equal(all.kneeIsLowerBound, true, 'the top step is only a lower bound on the knee');
    const reached = findKnee(stepFigures(sampleSet(ramp([10, 10, 90])), steps, slo), slo);
    assert.equal(reached.kneeIsLowerBound, undefined);
    const none = findKnee(stepFigures(sampleSet(ramp([90, 90, 90])), steps, slo), slo);
    assert.equal(none.kneeRps, undefined);
    assert.equal(none.warnings[0]!.code, 'knee-below-ramp');
  });

  it('takes the median across runs plateau by plateau', () => {
    const f = (p99Ms: number): StepFigures => ({
      offeredRps: 10,
      achievedRps: 10,
      p99Ms,
      errorRate: 0,
      ok: p99Ms <= 50,
    });
    const merged = mergeRuns([[f(10)], [f(60)], [f(40)]], slo);
    assert.equal(merged[0]!.p99Ms, 40);
    assert.equal(merged[0]!.ok, true);
  });

  it('uses the driver stages when ingest knows them', () => {
    const s = sampleSet(ramp([10, 10, 10]), { stages: [{ startMs: 0, endMs: 6000, rateRps: 70 / 6 }] });
    const figures = stepFigures(s, steps, slo);
    assert.equal(figures.length, 1);
    assert.ok(Math.abs(figures[0]!.achievedRps - 140 / 6) < 1e-9);
  });
});
