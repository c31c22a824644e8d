import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  boundPValue,
  buildComparisons,
  minRunsForSignificance,
  rankRatioCI,
  type CompareInput,
} from '../../src/analysis/compare.js';
import { createRng, mannWhitney } from '../../src/analysis/stats/index.js';
import type { Summary } from '../../src/model/index.js';

/** Summaries of one run per value: p99 of "*" = the value. */
const summaries = (role: 'baseline' | 'candidate', p99s: number[], endpoint = '*'): Summary[] =>
  p99s.map((v, i) => ({
    runId: `${role}-${i}`,
    role,
    phase: 'steady',
    endpoint,
    n: 1000,
    errors: 0,
    errorRate: 0,
    meanMs: v / 2,
    quantilesMs: { '0.5': v / 2, '0.9': v * 0.8, '0.99': v },
    quantileCI95Ms: {},
    durationSeconds: 10,
    achievedRps: 100,
    errorClasses: {},
    implShare: {},
    warnings: [],
  }));

const input = (base: number[], cand: number[], extra: Partial<CompareInput> = {}): CompareInput => ({
  summaries: [...summaries('baseline', base), ...summaries('candidate', cand)],
  resources: [],
  seed: 42,
  phases: ['steady'],
  judged: [{ phase: 'steady', endpoint: '*', metric: 'latencyMs', quantile: 0.99 }],
  bootstrapIterations: 2000,
  ...extra,
});

describe('buildComparisons (run-level)', () => {
  const base = [100, 104, 98, 102, 101];
  const cand = [80, 83, 79, 81, 82];
  const all = buildComparisons(input(base, cand));
  const p99 = all.find((c) => c.quantile === 0.99)!;

  it('compares one value per run: exact Mann-Whitney p = 2/C(10,5) for complete separation', () => {
    assert.equal(p99.method, 'mann-whitney-exact');
    assert.ok(Math.abs(p99.pValue - 2 / 252) < 1e-12);
    assert.equal(p99.ratio, 81 / 101);
    assert.equal(p99.cliffsDelta, -1);
    assert.equal(p99.hodgesLehmann, -20);
  });

  it('puts judged comparisons in their own Holm family and calls a clear change significant', () => {
    assert.equal(p99.family, 'verdict');
    assert.equal(p99.pAdjusted, p99.pValue);
    assert.ok(p99.ratioCI95[1] < 1);
    assert.equal(p99.significant, true);
    assert.ok(p99.judgedCI95![0]! <= Math.min(p99.ratioCI95[0], p99.ratioCI95Rank![0]!));
    assert.ok(p99.judgedCI95![1]! >= Math.max(p99.ratioCI95[1], p99.ratioCI95Rank![1]!));
    const shown = all.filter((c) => c.family === 'descriptive');
    assert.equal(shown.length, 2); // p50 and p90
    assert.ok(Math.abs(shown[0]!.pAdjusted - 2 * (2 / 252)) < 1e-12);
  });

  it('gives the same intervals for the same seed, whatever else is compared', () => {
    const again = buildComparisons(input(base, cand, { quantiles: [0.99] }));
    assert.deepEqual(again.find((c) => c.quantile === 0.99)!.ratioCI95, p99.ratioCI95);
  });

  it('never calls two runs per arm significant and says why', () => {
    const two = buildComparisons(input([100, 101], [50, 51]));
    const c = two.find((x) => x.quantile === 0.99)!;
    assert.equal(c.significant, false);
    assert.deepEqual(c.ratioCI95Rank, [null, null]);
    assert.deepEqual(c.judgedCI95, [null, null]);
    assert.match(
      c.warnings.find((w) => w.code === 'few-runs')!.message,
      /cannot reach p < 0.05 below 4 runs/,
    );
  });
});

describe('few-runs warning counts the Holm family the p is adjusted in', () => {
  // 5 runs per arm, 3 endpoints × 3 quantiles = 9 comparisons: 1 judged, 8 descriptive.
  const endpoints = ['*', '/a', '/b'];
  const base = [100, 104, 98, 102, 101];
  const cand = [80, 83, 79, 81, 82];
  const all = buildComparisons({
    ...input(base, cand),
    summaries: endpoints.flatMap((e) => [
      ...summaries('baseline', base, e),
      ...summaries('candidate', cand, e),
    ]),
  });

  it('a shown comparison at 5 per arm warns that Holm over 8 shown comparisons needs 6 per arm (8 · 2/252 ≥ 0.05)', () => {
    const shown = all.filter((c) => c.family === 'descriptive');
    assert.equal(shown.length, 8);
    for (const c of shown) {
      assert.ok(Math.abs(c.pAdjusted - Math.min(1, 8 * (2 / 252))) < 1e-12);
      assert.match(
        c.warnings.find((w) => w.code === 'few-runs')?.message ?? '',
        /cannot reach p < 0.05 below 6 runs per arm \(Holm over 8 shown comparisons\)/,
      );
    }
  });

  it('the judged comparison (a family of 1) at 5 per arm carries no few-runs warning', () => {
    const judged = all.find((c) => c.family === 'verdict')!;
    assert.equal(
      judged.warnings.some((w) => w.code === 'few-runs'),
      false,
    );
  });
});

describe('tied per-run values', () => {
  it('use the exact tie-aware p and carry a tied-runs warning about resolution', () => {
    const [c] = buildComparisons(
      input([0.15, 0.15, 0.17, 0.16, 0.15, 0.17], [0.14, 0.15, 0.13, 0.14, 0.14, 0.15], {
        quantiles: [0.99],
      }),
    );
    assert.equal(c!.method, 'mann-whitney-exact');
    assert.ok(Math.abs(c!.pValue - 0.021645021645021644) < 1e-12); // scipy.stats.permutation_test, mann-whitney-ties.json
    assert.match(
      c!.warnings.find((w) => w.code === 'tied-runs')!.message,
      /exact distribution given the ties/,
    );
  });
});

describe('minRunsForSignificance', () => {
  it('needs 4 per arm for α = 0.05, more under Holm over several comparisons', () => {
    assert.equal(minRunsForSignificance(1), 4); // 2/70 = 0.029; 3 per arm bottoms out at 0.1
    assert.equal(minRunsForSignificance(4), 5); // 2/252 = 0.0079 ≤ 0.0125
    assert.equal(minRunsForSignificance(20), 6); // 2/924 = 0.0022 ≤ 0.0025
  });
});

describe('rankRatioCI (Mann-Whitney inverted on log values)', () => {
  it('is [min, max] of the pairwise ratios at 4 per arm (P(U = 0) = 1/70 ≤ 0.025 < 2/70)', () => {
    const b = [10, 11, 12, 13];
    const c = [8, 9, 9.5, 10.5];
    const ratios = b.flatMap((x) => c.map((y) => y / x));
    const [lo, hi] = rankRatioCI(b, c);
    assert.ok(Math.abs(lo! - Math.min(...ratios)) < 1e-12);
    assert.ok(Math.abs(hi! - Math.max(...ratios)) < 1e-12);
  });

  it('agrees with the exact test: ratios just inside the CI are not rejected, just outside are', () => {
    const rng = createRng(3);
    const b = Array.from({ length: 7 }, () => 100 * Math.exp(0.2 * rng()));
    const c = Array.from({ length: 6 }, () => 85 * Math.exp(0.2 * rng()));
    const [lo, hi] = rankRatioCI(b, c) as [number, number];
    const pAt = (theta: number): number =>
      mannWhitney(
        b,
        c.map((y) => y / theta),
        { method: 'exact' },
      ).p;
    for (const edge of [lo, hi]) {
      const inside = edge === lo ? edge * (1 + 1e-9) : edge * (1 - 1e-9);
      const outside = edge === lo ? edge * (1 - 1e-9) : edge * (1 + 1e-9);
      assert.ok(pAt(inside) > 0.05, `p inside at ${inside}: ${pAt(inside)}`);
      assert.ok(pAt(outside) <= 0.05, `p outside at ${outside}: ${pAt(outside)}`);
    }
  });
});

describe('boundPValue (one-sided test of the ratio against a pass line bound)', () => {
  it('5 vs 5 wholly below the bound gives 1/252; the opposite claim 1; at the bound it agrees with the 90 % rank CI', () => {
    const b = [100, 104, 98, 102, 101];
    const c = [80, 83, 79, 81, 82];
    assert.equal(boundPValue(b, c, 0.9, 'below'), 1 / 252);
    assert.ok(Math.abs(boundPValue(b, c, 0.9, 'above') - 1) < 1e-12);
    // A bound inside the data: p ≤ 0.05 exactly when the one-sided 95 % bound of the rank CI (level 0.9) clears it.
    const [, hi] = rankRatioCI(b, c, 0.9);
    for (const bound of [0.78, 0.79, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85]) {
      assert.equal(boundPValue(b, c, bound, 'below') <= 0.05, hi! < bound, `bound ${bound}`);
    }
  });
});
