import { normalQuantile, normalSf } from './normal.js';

/**
 * Wilcoxon signed-rank test on paired differences d_i (here: per-window log-ratios of the two arms of a
 * canary), two-sided, and the Hodges-Lehmann one-sample estimate with its distribution-free CI.
 *
 * Definition: Wilcoxon (1945), "Individual comparisons by ranking methods", Biometrics Bulletin 1(6).
 * Zeros are dropped (Wilcoxon's own convention, scipy `zero_method='wilcox'`); the remaining |d_i| get
 * mid-ranks; T+ = Σ ranks of positive d_i, T− = Σ ranks of negative d_i; the statistic is min(T+, T−).
 *
 * Method choice follows scipy.stats.wilcoxon(method='auto', zero_method='wilcox', correction=False)
 * (scipy 1.17), with N the number of differences before dropping zeros:
 * - exact when N ≤ 50 and no |d_i| is tied and no d_i is zero: T+ under H0 is the sum of a random subset
 *   of {1..n} (each of the 2^n sign patterns equally likely), counted by dynamic programming;
 *   p = min(1, 2·min(P(T+ ≤ t), P(T+ ≥ t)));
 * - a permutation test when N ≤ 13 with ties or zeros: T+ over all 2^n sign flips of the mid-ranks
 *   (scipy's permutation_test, which enumerates them all below 9999), same two-sided rule;
 * - otherwise the normal approximation with the tie correction
 *   σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48, z = (T+ − n(n+1)/4)/σ, p = 2·(1 − Φ(|z|)).
 * Differences from scipy: no differences (n = 0 after zeros) gives p = 1 and statistic 0 instead of an
 * error or NaN (all windows equal is "no evidence of a change"). Checked against scipy in
 * test/fixtures/oracle/wilcoxon.json.
 *
 * The confidence interval of the centre (Hodges & Lehmann 1963; Hollander & Wolfe, "Nonparametric
 * Statistical Methods", §3.2): the median of the n(n+1)/2 Walsh averages (d_i + d_j)/2, i ≤ j, is the
 * estimate; the interval runs from the (C_α)-th smallest to the (M − C_α + 1)-th Walsh average with C_α
 * the largest c with P(T+ ≤ c − 1) ≤ α/2 (exact distribution for n ≤ 50, normal beyond). Null for a side
 * too few differences cannot bound (n ≤ 5 at 95 %).
 */
export type WilcoxonMethod = 'exact' | 'permutation' | 'approx';

export interface WilcoxonResult {
  /** min(T+, T−), as scipy's two-sided statistic. */
  statistic: number;
  /** Sum of the ranks of the positive differences. */
  rPlus: number;
  /** Differences left after dropping zeros. */
  n: number;
  zeros: number;
  p: number;
  method: WilcoxonMethod;
  /** Normal-approximation z of T+ (also given for the exact method, for reference). */
  z: number;
}

/** scipy's 'auto' rule: exact up to this many non-zero differences (when none is tied). */
export const WILCOXON_EXACT_MAX_N = 50;

/** scipy's 'auto' rule: with ties or zeros, every sign flip is enumerated up to this many differences. */
export const WILCOXON_PERMUTATION_MAX_N = 13;

/**
 * Two-sided p of T+ over all 2^n sign flips of the mid-ranks (scipy.stats.permutation_test with
 * permutation_type='samples', exact below 9999 patterns; its relative tolerance 100·ε for ties).
 */
const permutationP = (ranks: readonly number[], observed: number): number => {
  const n = ranks.length;
  const gamma = Math.abs(observed) * 100 * Number.EPSILON;
  let le = 0;
  let ge = 0;
  const total = 2 ** n;
  for (let mask = 0; mask < total; mask++) {
    let t = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) t += ranks[i]!;
    if (t <= observed + gamma) le++;
    if (t >= observed - gamma) ge++;
  }
  return Math.min(1, (2 * Math.min(le, ge)) / total);
};

/** Counts of subsets of {1..n} by sum: counts[k] = #{S ⊆ {1..n} : ΣS = k}, k = 0..n(n+1)/2. */
export const signedRankCounts = (n: number): Float64Array => {
  const max = (n * (n + 1)) / 2;
  const c = new Float64Array(max + 1);
  c[0] = 1;
  for (let r = 1; r <= n; r++) for (let k = (r * (r + 1)) / 2; k >= r; k--) c[k]! += c[k - r]!;
  return c;
};

/** P(T+ ≤ t) under H0 for n untied differences. */
const exactCdf = (counts: Float64Array, n: number, t: number): number => {
  const total = 2 ** n;
  let s = 0;
  for (let k = 0; k <= Math.floor(t) && k < counts.length; k++) s += counts[k]!;
  return s / total;
};

interface Ranked {
  rPlus: number;
  /** Mid-ranks of the non-zero |d_i|. */
  ranks: number[];
  n: number;
  zeros: number;
  tieGroups: number[];
}

const rankAbs = (d: ArrayLike<number>): Ranked => {
  const nz: number[] = [];
  let zeros = 0;
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    if (Number.isNaN(x)) throw new RangeError('wilcoxon: a difference is NaN, which has no rank');
    if (x === 0) zeros++;
    else nz.push(x);
  }
  const order = nz.map((x, i) => [Math.abs(x), i] as const).sort((a, b) => a[0] - b[0]);
  let rPlus = 0;
  const ranks: number[] = [];
  const tieGroups: number[] = [];
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const mid = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      ranks.push(mid);
      if (nz[order[k]![1]]! > 0) rPlus += mid;
    }
    tieGroups.push(j - i);
    i = j;
  }
  return { rPlus, ranks, n: nz.length, zeros, tieGroups };
};

export const wilcoxonSignedRank = (
  d: ArrayLike<number>,
  opts: { method?: 'auto' | WilcoxonMethod } = {},
): WilcoxonResult => {
  const { rPlus, ranks, n, zeros, tieGroups } = rankAbs(d);
  const total = (n * (n + 1)) / 2;
  const statistic = Math.min(rPlus, total - rPlus);
  const ties = tieGroups.some((t) => t > 1);
  const requested = opts.method ?? 'auto';
  const method: WilcoxonMethod =
    requested !== 'auto'
      ? requested
      : d.length > WILCOXON_EXACT_MAX_N
        ? 'approx'
        : !ties && zeros === 0
          ? 'exact'
          : d.length <= WILCOXON_PERMUTATION_MAX_N
            ? 'permutation'
            : 'approx';
  const tieSum = tieGroups.reduce((s, t) => s + (t * t * t - t), 0);
  const se = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieSum / 48);
  const z = se > 0 ? (rPlus - total / 2) / se : 0;
  if (n === 0) return { statistic: 0, rPlus: 0, n, zeros, p: 1, method, z: 0 };
  let p: number;
  if (method === 'exact') {
    const counts = signedRankCounts(n);
    const lower = exactCdf(counts, n, rPlus);
    const upper = 1 - exactCdf(counts, n, rPlus - 1);
    p = Math.min(1, 2 * Math.min(lower, upper));
  } else if (method === 'permutation') {
    p = permutationP(ranks, rPlus);
  } else {
    p = se > 0 ? Math.min(1, 2 * normalSf(Math.abs(z))) : 1;
  }
  return { statistic, rPlus, n, zeros, p, method, z };
};

/** Sorted Walsh averages (d_i + d_j)/2 for i ≤ j. */
const walshAverages = (d: readonly number[]): Float64Array => {
  const out = new Float64Array((d.length * (d.length + 1)) / 2);
  let k = 0;
  for (let i = 0; i < d.length; i++) for (let j = i; j < d.length; j++) out[k++] = (d[i]! + d[j]!) / 2;
  return out.sort();
};

/** Median of sorted values (linear between the middle two). */
const medianSorted = (s: Float64Array): number => {
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface HodgesLehmannPaired {
  /** Median of the Walsh averages. */
  estimate: number;
  /** Distribution-free CI of the centre; null for a side the sample cannot bound. */
  ci: [number | null, number | null];
}

/** The one-sample Hodges-Lehmann estimate of the differences' centre and its signed-rank CI. */
export const pairedShiftCI = (d: readonly number[], level = 0.95): HodgesLehmannPaired => {
  const n = d.length;
  if (n === 0) return { estimate: NaN, ci: [null, null] };
  const w = walshAverages(d);
  const m = w.length;
  const alpha = 1 - level;
  let c: number; // number of Walsh averages cut from each end
  if (n <= WILCOXON_EXACT_MAX_N) {
    const counts = signedRankCounts(n);
    const totalPatterns = 2 ** n;
    let cum = 0;
    c = 0;
    // the largest c with P(T+ ≤ c − 1) ≤ α/2
    for (let k = 0; k < counts.length; k++) {
      if ((cum + counts[k]!) / totalPatterns > alpha / 2) break;
      cum += counts[k]!;
      c = k + 1;
    }
  } else {
    const zq = normalQuantile(1 - alpha / 2);
    c = Math.floor(m / 2 - zq * Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24));
  }
  const ci: [number | null, number | null] = c >= 1 ? [w[c - 1]!, w[m - c]!] : [null, null];
  return { estimate: medianSorted(w), ci };
};
