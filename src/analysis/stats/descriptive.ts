import { quantile, sortedCopy } from './quantile.js';

/**
 * Mean and median of a sample. Written here rather than re-exported from simple-statistics so typed
 * arrays work and the median is the same type-7 quantile the rest of the report uses (they agree with
 * simple-statistics on plain arrays). NaN for an empty sample.
 */
export const mean = (xs: ArrayLike<number>): number => {
  if (xs.length === 0) return NaN;
  // Neumaier's compensated sum keeps the mean exact-ish for a million latencies.
  let sum = 0;
  let c = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return (sum + c) / xs.length;
};

export const median = (xs: ArrayLike<number>): number => quantile(sortedCopy(xs), 0.5);
