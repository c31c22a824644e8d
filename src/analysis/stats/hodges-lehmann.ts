import { sortedCopy } from './quantile.js';

/**
 * Hodges-Lehmann estimate of the shift between two samples: the median of all nm differences b_j − a_i.
 *
 * Definition: Hodges & Lehmann (1963), "Estimates of location based on rank tests", Ann. Math. Stat. 34(2);
 * the estimator that goes with the Mann-Whitney test (Lehmann, Nonparametrics, 1975, §2.5). Positive
 * when b (the candidate) is larger.
 *
 * Method: for nm ≤ 4·10⁶ all differences are formed and sorted; above that (per-request samples), the k-th
 * smallest difference is found without forming them: bisection on the value with an O(n + m) two-pointer
 * count of differences ≤ d on the sorted samples (selection in X + Y; Johnson & Mizoguchi 1978 give a
 * faster bound, not needed here), ending on the exact difference. Both paths give the same result
 * (test/analysis/stats/hodges-lehmann.test.ts); the small path is checked against numpy.
 */
const BRUTE_FORCE_MAX_PAIRS = 4_000_000;

export const hodgesLehmann = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return NaN;
  const sa = sortedCopy(a);
  const sb = sortedCopy(b);
  const total = n * m;
  if (total <= BRUTE_FORCE_MAX_PAIRS) return medianOfDifferencesBruteForce(sa, sb);
  const k = Math.floor((total - 1) / 2); // 0-based lower middle
  const lower = kthDifference(sa, sb, k);
  return total % 2 === 1 ? lower : (lower + kthDifference(sa, sb, k + 1)) / 2;
};

export const medianOfDifferencesBruteForce = (sa: Float64Array, sb: Float64Array): number => {
  const d = new Float64Array(sa.length * sb.length);
  let k = 0;
  for (let i = 0; i < sa.length; i++) for (let j = 0; j < sb.length; j++) d[k++] = sb[j]! - sa[i]!;
  d.sort();
  const mid = d.length >> 1;
  return d.length % 2 === 1 ? d[mid]! : (d[mid - 1]! + d[mid]!) / 2;
};

/** The k-th smallest (0-based) of { sb[j] − sa[i] }, sa and sb sorted ascending. */
export const kthDifference = (sa: Float64Array, sb: Float64Array, k: number): number => {
  let lo = sb[0]! - sa[sa.length - 1]!; // the smallest difference: count ≥ 1
  let hi = sb[sb.length - 1]! - sa[0]!; // the largest: count = nm
  if (countAtMost(sa, sb, lo) > k) return lo;
  // Invariant: count(lo) ≤ k < count(hi), so the answer lies in (lo, hi].
  for (let iter = 0; iter < 2200; iter++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (countAtMost(sa, sb, mid) > k) hi = mid;
    else lo = mid;
  }
  return largestAtMost(sa, sb, hi);
};

/** #{(i, j) : sb[j] − sa[i] ≤ d}; for rising sa[i] the qualifying j form a growing prefix. */
const countAtMost = (sa: Float64Array, sb: Float64Array, d: number): number => {
  let count = 0;
  let j = 0;
  for (let i = 0; i < sa.length; i++) {
    while (j < sb.length && sb[j]! - sa[i]! <= d) j++;
    count += j;
  }
  return count;
};

/** max{ sb[j] − sa[i] ≤ d }. */
const largestAtMost = (sa: Float64Array, sb: Float64Array, d: number): number => {
  let best = -Infinity;
  let j = 0;
  for (let i = 0; i < sa.length; i++) {
    while (j < sb.length && sb[j]! - sa[i]! <= d) j++;
    if (j > 0) best = Math.max(best, sb[j - 1]! - sa[i]!);
  }
  return best;
};
