import { normalSf } from './normal.js';
import { pooledRanks } from './ranks.js';

/**
 * Mann-Whitney U test (Wilcoxon rank-sum), two-sided.
 *
 * Definition: Mann & Whitney (1947), "On a test of whether one of two random variables is stochastically
 * larger than the other", Ann. Math. Stat. 18(1). U = #(a > b) + ½·#(a = b) = R_a − n(n+1)/2 from the
 * mid-ranks; the two-sided p uses max(U, nm − U).
 *
 * Method choice follows scipy.stats.mannwhitneyu(method='auto', use_continuity=True) (scipy 1.17):
 * - exact when min(n, m) ≤ 8 and there are no ties: the null distribution of U is the coefficient list of
 *   the Gaussian binomial [n+m choose n]_q (each of the C(n+m, n) rank assignments equally likely;
 *   Mann & Whitney's recurrence), p = 2·P(U ≥ max(U, nm − U)), capped at 1;
 * - otherwise the normal approximation with the tie correction
 *   σ² = nm/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1))) and continuity correction ½
 *   (z = (max(U, nm − U) − nm/2 − ½)/σ, p = 2·(1 − Φ(z)), capped at 1).
 * Differences from scipy: none in 'auto' semantics; empty input gives NaN rather than an error; the caller
 * may force 'exact' (not tie-corrected, as in scipy) or 'asymptotic'. Values must be finite (NaN is not ranked).
 * Checked against scipy in test/fixtures/oracle/mann-whitney.json.
 */
export type MannWhitneyMethod = 'exact' | 'asymptotic';

export interface MannWhitneyResult {
  /** #(a > b) + ½·#(a = b). */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: MannWhitneyMethod;
}

export interface MannWhitneyOptions {
  method?: 'auto' | MannWhitneyMethod;
  /** Continuity correction in the asymptotic method (default true, as scipy). */
  continuity?: boolean;
}

/** scipy's 'auto' rule: exact when one sample has at most this many values and nothing is tied. */
export const EXACT_MAX_SMALLER_SAMPLE = 8;

export const mannWhitney = (
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  opts: MannWhitneyOptions = {},
): MannWhitneyResult => {
  const n = a.length;
  const m = b.length;
  const requested = opts.method ?? 'auto';
  if (n === 0 || m === 0) return { u: NaN, p: NaN, method: requested === 'exact' ? 'exact' : 'asymptotic' };
  const { rankSumA, tieGroups } = pooledRanks(a, b);
  const u = rankSumA - (n * (n + 1)) / 2;
  const uMax = Math.max(u, n * m - u);
  const ties = tieGroups.some((t) => t > 1);
  const method: MannWhitneyMethod =
    requested !== 'auto'
      ? requested
      : Math.min(n, m) <= EXACT_MAX_SMALLER_SAMPLE && !ties
        ? 'exact'
        : 'asymptotic';
  const p =
    method === 'exact'
      ? 2 * exactUpperTail(n, m, uMax)
      : 2 * asymptoticUpperTail(n, m, uMax, tieGroups, opts.continuity ?? true);
  return { u, p: Math.min(1, Math.max(0, p)), method };
};

/** P(U ≥ u) under H0 without ties, from the Gaussian binomial coefficients (counts up to C(n+m, n)). */
export const exactUpperTail = (n: number, m: number, u: number): number => {
  const counts = uDistributionCounts(n, m);
  let total = 0;
  let tail = 0;
  const from = Math.ceil(u - 1e-9);
  for (let k = 0; k < counts.length; k++) {
    total += counts[k]!;
    if (k >= from) tail += counts[k]!;
  }
  return tail / total;
};

/**
 * counts[k] = number of rank assignments with U = k, the coefficients of
 * ∏_{i=1}^{s} (1 − q^{l+i}) / (1 − q^i) with s = min(n, m), l = max(n, m).
 */
export const uDistributionCounts = (n: number, m: number): Float64Array => {
  const s = Math.min(n, m);
  const l = Math.max(n, m);
  const degree = s * l;
  const c = new Float64Array(degree + 1);
  c[0] = 1;
  for (let i = 1; i <= s; i++) {
    const up = l + i;
    for (let k = degree; k >= up; k--) c[k]! -= c[k - up]!;
    for (let k = i; k <= degree; k++) c[k]! += c[k - i]!;
  }
  return c;
};

const asymptoticUpperTail = (
  n: number,
  m: number,
  uMax: number,
  tieGroups: number[],
  continuity: boolean,
): number => {
  const total = n + m;
  const tieTerm = tieGroups.reduce((acc, t) => acc + (t * t * t - t), 0);
  const sd = Math.sqrt(((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1))));
  const numerator = uMax - (n * m) / 2 - (continuity ? 0.5 : 0);
  // All values tied: sd = 0 and the numerator is −½, so z = −∞ and p = 1, as scipy.
  const z = numerator / sd;
  return normalSf(Number.isNaN(z) ? -Infinity : z);
};
