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
 * - exact when min(n, m) ≤ 8 and there are no ties: the null distribution of U from Mann & Whitney's
 *   recurrence (each of the C(n+m, n) rank assignments equally likely), p = 2·P(U ≥ max(U, nm − U)),
 *   capped at 1;
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

/** P(U ≥ u) under H0 without ties. */
export const exactUpperTail = (n: number, m: number, u: number): number => {
  const pmf = uDistribution(n, m);
  const from = Math.max(0, Math.ceil(u - 1e-9));
  let tail = 0;
  // Sum from the far end so the small terms are added first.
  for (let k = pmf.length - 1; k >= from; k--) tail += pmf[k]!;
  return Math.min(1, tail);
};

/**
 * pmf[k] = P(U = k) under H0 for samples of n and m without ties, by Mann & Whitney's (1947) recurrence
 * in probabilities, p(i, j, k) = i/(i+j)·p(i−1, j, k−j) + j/(i+j)·p(i, j−1, k): only additions of positive
 * terms, so small tail probabilities keep their relative precision and large n·m never overflows (the
 * counts C(n+m, n) would). O(n²m²/4) time, O(n·nm) memory: 100 × 100 takes ~2.5·10⁷ steps.
 */
export const uDistribution = (n: number, m: number): Float64Array => {
  const s = Math.min(n, m);
  const l = Math.max(n, m);
  // rows[i] = distribution for (i, j) at the current j; (i, 0) and (0, j) are a point mass at 0.
  const rows = Array.from({ length: s + 1 }, (_, i) => new Float64Array(i * l + 1));
  for (const row of rows) row[0] = 1;
  for (let j = 1; j <= l; j++) {
    for (let i = 1; i <= s; i++) {
      const prevI = rows[i - 1]!; // already updated to (i−1, j)
      const row = rows[i]!; // still (i, j−1)
      const wShift = i / (i + j);
      const wStay = j / (i + j);
      for (let k = i * j; k >= 0; k--) {
        const stay = k <= i * (j - 1) ? row[k]! : 0;
        const shifted = k >= j && k - j <= (i - 1) * j ? prevI[k - j]! : 0;
        row[k] = wStay * stay + wShift * shifted;
      }
    }
  }
  return rows[s]!;
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
