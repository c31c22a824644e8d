import { median } from './descriptive.js';
import { quantile } from './quantile.js';
import { randomInt, type Rng } from './rng.js';

/**
 * Percentile bootstrap confidence interval of the ratio statistic(b)/statistic(a) (candidate over baseline),
 * resampling each arm's runs with replacement, independently (a two-sample, stratified bootstrap).
 *
 * Method: Efron & Tibshirani, An Introduction to the Bootstrap (1993), ch. 13 (percentile interval) and
 * §8.3 (two-sample problems). The unit resampled is the run, not the request, because requests within a
 * run are autocorrelated and share the run's conditions (ARCHITECTURE.md, "Measurement method").
 * The interval ends are type-7 quantiles of the sorted bootstrap ratios at α/2 and 1 − α/2.
 * The percentile interval is known to undercover for very few runs (≲ 5 per arm); the report says so
 * with a warning beside the figure rather than widening it silently.
 *
 * Randomness only from the seeded `rng` (rng.ts), so the interval is reproducible from the plan's seed.
 * Replicates whose denominator is 0 or not finite are dropped; if all are, [NaN, NaN].
 */
export interface BootstrapOptions {
  rng: Rng;
  /** Resamples (default 10 000). */
  iterations?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Statistic of one arm (default: median). */
  statistic?: (xs: number[]) => number;
}

export const DEFAULT_BOOTSTRAP_ITERATIONS = 10_000;

export const bootstrapRatioCI = (a: number[], b: number[], opts: BootstrapOptions): [number, number] => {
  const ratios = bootstrapRatios(a, b, opts);
  if (ratios.length === 0) return [NaN, NaN];
  const alpha = 1 - (opts.level ?? 0.95);
  return [quantile(ratios, alpha / 2), quantile(ratios, 1 - alpha / 2)];
};

/** The sorted bootstrap replicates of statistic(b*)/statistic(a*). */
export const bootstrapRatios = (a: number[], b: number[], opts: BootstrapOptions): Float64Array => {
  if (a.length === 0 || b.length === 0) return new Float64Array(0);
  const statistic = opts.statistic ?? median;
  const iterations = opts.iterations ?? DEFAULT_BOOTSTRAP_ITERATIONS;
  const out = new Float64Array(iterations);
  const ra = new Array<number>(a.length);
  const rb = new Array<number>(b.length);
  let kept = 0;
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < a.length; i++) ra[i] = a[randomInt(opts.rng, a.length)]!;
    for (let j = 0; j < b.length; j++) rb[j] = b[randomInt(opts.rng, b.length)]!;
    const denominator = statistic(ra);
    const ratio = statistic(rb) / denominator;
    if (denominator !== 0 && Number.isFinite(ratio)) out[kept++] = ratio;
  }
  return out.subarray(0, kept).sort();
};
