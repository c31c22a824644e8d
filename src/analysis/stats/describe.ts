import { PERCENTILES, type QuantileCIMap, type QuantileMap } from '../../model/index.js';
import { cliffsDelta } from './cliffs-delta.js';
import { mean } from './descriptive.js';
import { hodgesLehmann } from './hodges-lehmann.js';
import { mannWhitney, type MannWhitneyResult } from './mann-whitney.js';
import { minRequestsForQuantile, quantileCI } from './quantile-ci.js';
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
  /** Each quantile's 95 % CI, always containing the quantile itself (see `ciAround`). */
  quantileCI95: QuantileCIMap;
  /**
   * The percentiles this sample is too small for, each with the fewest values it needs
   * (minRequestsForQuantile: its CI bounded on both sides; p99.9 3 688): there the estimate is little
   * more than the sample's maximum, so the CLI shows "too few requests for p99.9" instead of a number,
   * as the report's ladder does. Empty when n is large enough for every percentile.
   */
  tooFew: Record<string, number>;
}

/**
 * The order-statistic CI of ξ_p (quantile-ci.ts), widened where needed so it contains the type-7
 * estimate `q`. Why it may not: the interval [X_(r), X_(s)] is for the true quantile, while type 7
 * interpolates between X_(⌊(n−1)p⌋+1) and the next value and never exceeds the maximum. With fewer values
 * than the percentile's minimum, r can pass that rank: for p99.9 and n ≤ 25 every value lies below ξ_p
 * with probability 0.999ⁿ ≥ 97.5 %, so the interval is [X_(n), ∞) while the estimate sits below X_(n)
 * (stats summarize of test/fixtures/k6/small.csv, n = 21: 81.16 with a CI from 81.38). A side moved out
 * to the estimate gives a wider interval, so its coverage stays ≥ 95 %. From the minimum n up the ranks
 * always bracket the estimate (checked for n ≤ 20 000 in test/analysis/stats/describe.test.ts), and
 * nothing changes.
 */
export const quantileCIAround = (
  [lo, hi]: [number | null, number | null],
  q: number,
): [number | null, number | null] => [
  lo === null ? null : Math.min(lo, q),
  hi === null ? null : Math.max(hi, q),
];

export const describeSample = (
  values: ArrayLike<number>,
  probabilities: readonly number[] = PERCENTILES,
): SampleDescription => {
  const sorted = sortedCopy(values);
  const quantiles: QuantileMap = {};
  const quantileCI95: QuantileCIMap = {};
  const tooFew: Record<string, number> = {};
  for (const p of probabilities) {
    const q = quantile(sorted, p);
    quantiles[String(p)] = q;
    quantileCI95[String(p)] = quantileCIAround(quantileCI(sorted, p, 0.95), q);
    const min = minRequestsForQuantile(p);
    if (sorted.length < min) tooFew[String(p)] = min;
  }
  return {
    n: sorted.length,
    mean: mean(sorted),
    median: quantile(sorted, 0.5),
    quantiles,
    quantileCI95,
    tooFew,
  };
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
