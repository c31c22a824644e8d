import { PERCENTILES, type QuantileCIMap, type QuantileMap } from '../../model/index.js';
import { cliffsDelta } from './cliffs-delta.js';
import { mean } from './descriptive.js';
import { hodgesLehmann } from './hodges-lehmann.js';
import { mannWhitney, type MannWhitneyResult } from './mann-whitney.js';
import { quantileCI } from './quantile-ci.js';
import { quantile, sortedCopy } from './quantile.js';
import { welch, type WelchResult } from './welch.js';

/**
 * The figures behind `hotswap stats summarize` and `hotswap compare` (ARCHITECTURE.md contracts), as
 * plain data. Quantiles are type 7 (quantile.ts), their CIs distribution-free (quantile-ci.ts).
 */
export interface SampleDescription {
  n: number;
  mean: number;
  median: number;
  quantiles: QuantileMap;
  quantileCI95: QuantileCIMap;
}

export const describeSample = (
  values: ArrayLike<number>,
  probabilities: readonly number[] = PERCENTILES,
): SampleDescription => {
  const sorted = sortedCopy(values);
  const quantiles: QuantileMap = {};
  const quantileCI95: QuantileCIMap = {};
  for (const p of probabilities) {
    quantiles[String(p)] = quantile(sorted, p);
    quantileCI95[String(p)] = quantileCI(sorted, p, 0.95);
  }
  return { n: sorted.length, mean: mean(sorted), median: quantile(sorted, 0.5), quantiles, quantileCI95 };
};

export interface SampleComparison {
  baseline: { n: number; median: number; quantiles: QuantileMap };
  candidate: { n: number; median: number; quantiles: QuantileMap };
  /** u = #(a > b) + ½·#(a = b), two-sided p. */
  mannWhitney: MannWhitneyResult;
  /** t of mean(A) − mean(B). */
  welch: WelchResult;
  /** Median of all (b_j − a_i). */
  hodgesLehmann: number;
  /** (#(b > a) − #(b < a)) / (n·m). */
  cliffsDelta: number;
}

/** Baseline `a` vs candidate `b`, the `hotswap compare --json` document. */
export const compareSamples = (a: ArrayLike<number>, b: ArrayLike<number>): SampleComparison => {
  const arm = (xs: ArrayLike<number>) => {
    const d = describeSample(xs);
    return { n: d.n, median: d.median, quantiles: d.quantiles };
  };
  return {
    baseline: arm(a),
    candidate: arm(b),
    mannWhitney: mannWhitney(a, b),
    welch: welch(a, b),
    hodgesLehmann: hodgesLehmann(a, b),
    cliffsDelta: cliffsDelta(a, b),
  };
};
