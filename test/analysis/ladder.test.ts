import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildLadders,
  buildSpectra,
  poolLatencies,
  spectrumProbabilities,
} from '../../src/analysis/ladder.js';
import { summarizeRun } from '../../src/analysis/summarize.js';
import { runRecord, sampleSet } from './helpers.js';

const run = (scale: number) =>
  sampleSet(
    Array.from({ length: 200 }, (_, i) => ({ tMs: i * 10, latencyMs: scale * (i + 1), endpoint: 'scan' })),
  );

describe('ladder and spectrum', () => {
  const runs = [1, 2, 3, 4, 5, 6, 7].map((k) => ({ run: runRecord(`r${k}`, 'baseline'), samples: run(k) }));
  const summaries = runs.flatMap((r) => summarizeRun(r.run, r.samples));
  const pooled = poolLatencies(runs.map((r) => ({ role: 'baseline', phase: 'steady', samples: r.samples })));

  it('gives the median across runs of each run’s quantile with an order-statistic CI across runs', () => {
    const rows = buildLadders(summaries, pooled, [0.5]);
    const all = rows.find((r) => r.endpoint === '*')!;
    assert.equal(all.valueMs, 4 * 100.5); // runs' p50 = k·100.5, median at k = 4
    // 7 values: the 95 % CI of the median is [x(1), x(7)] (binomial, coverage 0.984)
    assert.deepEqual(all.ci95Ms, [100.5, 7 * 100.5]);
    assert.equal(all.pooledCI95Ms!.length, 2);
  });

  it('flags a percentile its runs have too few requests for (200 per run: p99 needs 368, p99.9 3 688) and says what each needs', () => {
    const rows = buildLadders(summaries, pooled, [0.5, 0.99, 0.999]).filter((r) => r.endpoint === '*');
    const by = (q: number) => rows.find((r) => r.quantile === q)!;
    assert.equal(by(0.5).tooFewRequests, undefined);
    assert.equal(by(0.5).minRequests, 6);
    assert.equal(by(0.5).requestsPerRun, 200);
    assert.equal(by(0.99).tooFewRequests, true);
    assert.equal(by(0.999).tooFewRequests, true);
    assert.equal(by(0.999).minRequests, 3688);
  });

  it('spaces spectrum probabilities on a log scale of 1/(1 − p) up to what n requests can show', () => {
    const ps = spectrumProbabilities(1000);
    assert.equal(ps[0], 0);
    assert.equal(ps[1], 0.5);
    assert.ok(ps.at(-1)! <= 1 - 1 / 1000 + 1e-12 && ps.at(-1)! > 0.99);
    const spectra = buildSpectra(pooled);
    assert.equal(spectra.length, 2);
    const pts = spectra[0]!.points;
    for (let i = 1; i < pts.length; i++) assert.ok(pts[i]!.latencyMs >= pts[i - 1]!.latencyMs);
  });
});
