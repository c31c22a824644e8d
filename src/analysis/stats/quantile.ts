/**
 * Sample quantile by linear interpolation between order statistics: Hyndman & Fan (1996), "Sample
 * quantiles in statistical packages", Am. Stat. 50(4), definition 7 — R's default `type = 7`, numpy's
 * default `method='linear'`, and what k6 reports for p(90), p(95)… With h = (n − 1)p (0-based),
 * Q(p) = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋ + 1] − x[⌊h⌋]).
 *
 * simple-statistics' `quantileSorted` (≥ 7.8) uses the same definition and agrees with this to the last
 * bit except where it interpolates as a + t(b − a) and numpy as b − (1 − t)(b − a) for t ≥ ½ (a rounding
 * difference of one ulp); it throws on empty input and takes plain arrays only, hence this function.
 * Checked against numpy.quantile in test/fixtures/oracle/quantile.json.
 *
 * @param sorted values sorted ascending (not checked: sorting is the caller's, once per sample)
 * @param p probability in [0, 1]
 * @returns NaN for an empty sample or p outside [0, 1]
 */
export const quantile = (sorted: ArrayLike<number>, p: number): number => {
  const n = sorted.length;
  if (n === 0 || !(p >= 0 && p <= 1)) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  if (lo >= n - 1) return sorted[n - 1]!;
  const t = h - lo;
  if (t === 0) return a;
  const b = sorted[lo + 1]!;
  // numpy's _lerp: the formula is exact at both ends and monotone in t.
  return t < 0.5 ? a + t * (b - a) : b - (1 - t) * (b - a);
};

/** Sorted ascending copy as a Float64Array (numeric sort, NaN excluded by the caller). */
export const sortedCopy = (xs: ArrayLike<number>): Float64Array => Float64Array.from(xs).sort();
