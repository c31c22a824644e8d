import { normalSf } from './normal.js';
import { pooledRanks } from './ranks.js';

/**
 * Mann-Whitney U test (Wilcoxon rank-sum), two-sided or one-sided.
 *
 * Definition: Mann & Whitney (1947), "On a test of whether one of two random variables is stochastically
 * larger than the other", Ann. Math. Stat. 18(1). U = #(a > b) + ½·#(a = b) = R_a − n(n+1)/2 from the
 * mid-ranks.
 *
 * Method choice ('auto'): exact whenever both samples have at most EXACT_MAX_SAMPLE (50) values, with or
 * without ties; the normal approximation beyond. Run-level samples are small and often tied (a 10 ms CPU
 * counter, a histogram bucket), and there the normal approximation is badly off: 7× on a 20-vs-25 sample,
 * and tied 6-vs-6 and 8-vs-8 samples flip between significant and not (issue 10).
 * - Exact with ties: the permutation distribution of U conditional on the observed tie groups (each of
 *   the C(n+m, n) assignments of the pooled values to the first sample equally likely), counted by a
 *   dynamic programme over the tie groups in rank order (Klotz 1966, "The Wilcoxon, ties, and the
 *   computer", JASA 61; Cheung & Klotz 1997, Statistica Sinica 7 — the method benchstat's
 *   internal/stats uses; hotswap's code is its own). It is exactly what an exhaustive permutation test
 *   of U gives (test/analysis/stats/mann-whitney.test.ts enumerates one; scipy.stats.permutation_test
 *   in test/fixtures/oracle/mann-whitney-ties.json). Without ties it reduces to Mann & Whitney's
 *   recurrence (uDistribution), the same as scipy's method='exact'.
 * - Two-sided p = min(1, 2·min(P(U ≤ u), P(U ≥ u))), as scipy.stats.permutation_test; with ties the null
 *   distribution need not be symmetric, so both tails are computed. One-sided: 'greater' (the first
 *   sample tends to be larger: P(U ≥ u)), 'less' (P(U ≤ u)).
 * - Asymptotic: the normal approximation with the tie correction
 *   σ² = nm/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1))) and continuity correction ½, as
 *   scipy.stats.mannwhitneyu(method='asymptotic', use_continuity=True).
 * Differences from scipy's 'auto' (exact only for min(n, m) ≤ 8 without ties): exact up to 50 per sample,
 * ties included (benchstat: ≤ 50 without ties, ≤ 25 with); empty input gives NaN rather than an error.
 * Values must be finite (NaN is not ranked).
 */
export type MannWhitneyMethod = 'exact' | 'asymptotic';
export type MannWhitneyAlternative = 'two-sided' | 'greater' | 'less';

export interface MannWhitneyResult {
  /** #(a > b) + ½·#(a = b). */
  u: number;
  /** p-value for the requested alternative (two-sided by default). */
  p: number;
  method: MannWhitneyMethod;
}

export interface MannWhitneyOptions {
  method?: 'auto' | MannWhitneyMethod;
  /** 'greater': a tends to exceed b (P(U ≥ u)); 'less': P(U ≤ u). Default two-sided. */
  alternative?: MannWhitneyAlternative;
  /** Continuity correction in the asymptotic method (default true, as scipy). */
  continuity?: boolean;
}

/** 'auto' is exact (tie-aware) when both samples have at most this many values. */
export const EXACT_MAX_SAMPLE = 50;

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
  const method: MannWhitneyMethod =
    requested !== 'auto' ? requested : Math.max(n, m) <= EXACT_MAX_SAMPLE ? 'exact' : 'asymptotic';
  const alternative = opts.alternative ?? 'two-sided';
  const tails =
    method === 'exact'
      ? exactTails(n, m, tieGroups, u)
      : asymptoticTails(n, m, u, tieGroups, opts.continuity ?? true);
  const p =
    alternative === 'greater'
      ? tails.upper
      : alternative === 'less'
        ? tails.lower
        : 2 * Math.min(tails.lower, tails.upper);
  return { u, p: Math.min(1, Math.max(0, p)), method };
};

/** P(U ≤ u) and P(U ≥ u) under H0, exact, given the tie groups of the pooled sample in rank order. */
export const exactTails = (
  n: number,
  m: number,
  tieGroups: readonly number[],
  u: number,
): { lower: number; upper: number } => {
  if (tieGroups.every((t) => t === 1)) {
    return { lower: exactUpperTail(n, m, n * m - u), upper: exactUpperTail(n, m, u) };
  }
  const pmf = tiedUDistribution(n, m, tieGroups);
  const at = Math.round(2 * u);
  let lower = 0;
  for (let k = 0; k <= at && k < pmf.length; k++) lower += pmf[k]!;
  let upper = 0;
  for (let k = pmf.length - 1; k >= at && k >= 0; k--) upper += pmf[k]!;
  return { lower: Math.min(1, lower), upper: Math.min(1, upper) };
};

/**
 * pmf[k] = P(2U = k) under H0 for samples of n and m whose pooled values form the given tie groups (sizes,
 * in rank order; they must sum to n + m). Counts the assignments group by group: putting a of a group's t
 * values in the first sample, with j second-sample values in lower groups, adds a·j + a·(t − a)/2 to U in
 * C(t, a) ways. Counts are kept as floats (only sums of positive products, so the tails keep their
 * relative precision) and divided by C(n + m, n) at the end. O(N·n·nm) time for N = n + m.
 */
export const tiedUDistribution = (n: number, m: number, tieGroups: readonly number[]): Float64Array => {
  const total = tieGroups.reduce((x, y) => x + y, 0);
  if (total !== n + m) throw new RangeError(`tie groups sum to ${total}, not n + m = ${n + m}`);
  const width = 2 * n * m + 1;
  // dp[k][v]: ways to place k first-sample values among the groups seen so far with 2U = v.
  let dp: Float64Array[] = Array.from({ length: n + 1 }, () => new Float64Array(width));
  dp[0]![0] = 1;
  let seen = 0;
  for (const t of tieGroups) {
    const next: Float64Array[] = Array.from({ length: n + 1 }, () => new Float64Array(width));
    for (let k = 0; k <= Math.min(n, seen); k++) {
      const below = seen - k; // second-sample values in lower groups
      if (below > m) continue;
      const row = dp[k]!;
      let choose = 1; // C(t, a)
      for (let a = 0; a <= t && k + a <= n; a++) {
        if (t - a <= m - below) {
          const shift = 2 * a * below + a * (t - a);
          const out = next[k + a]!;
          // k first-sample values above at most `below` others each: 2U ≤ 2·k·below so far.
          const top = Math.min(2 * k * below, width - 1 - shift);
          for (let v = 0; v <= top; v++) if (row[v] !== 0) out[v + shift]! += choose * row[v]!;
        }
        choose = (choose * (t - a)) / (a + 1);
      }
    }
    dp = next;
    seen += t;
  }
  const pmf = dp[n]!;
  let sum = 0;
  for (let v = 0; v < width; v++) sum += pmf[v]!;
  for (let v = 0; v < width; v++) pmf[v]! /= sum;
  return pmf;
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

const asymptoticTails = (
  n: number,
  m: number,
  u: number,
  tieGroups: number[],
  continuity: boolean,
): { lower: number; upper: number } => {
  const total = n + m;
  const tieTerm = tieGroups.reduce((acc, t) => acc + (t * t * t - t), 0);
  const sd = Math.sqrt(((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1))));
  const c = continuity ? 0.5 : 0;
  // All values tied: sd = 0, so z = ±∞ (or NaN at the centre) and both tails are 1, as scipy.
  const tail = (numerator: number): number => {
    const z = numerator / sd;
    return normalSf(Number.isNaN(z) || (sd === 0 && numerator <= 0) ? -Infinity : z);
  };
  return { upper: tail(u - (n * m) / 2 - c), lower: tail((n * m) / 2 - u - c) };
};
