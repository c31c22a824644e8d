import { studentTSf, studentTTwoSided } from './student-t.js';

/**
 * Welch's unequal-variances t-test, two-sided.
 *
 * Definition: Welch (1947), "The generalization of 'Student's' problem when several different population
 * variances are involved", Biometrika 34; degrees of freedom by Satterthwaite (1946):
 *   t = (mean(a) − mean(b)) / √(s²_a/n + s²_b/m),
 *   df = (s²_a/n + s²_b/m)² / ((s²_a/n)²/(n − 1) + (s²_b/m)²/(m − 1)),
 * sample variances with n − 1. p = P(|T_df| > |t|) from the incomplete-beta Student-t of student-t.ts.
 * Same as scipy.stats.ttest_ind(a, b, equal_var=False); both variances 0 gives NaN (scipy too).
 * Variances use Welford's one-pass update, which keeps precision for large, offset values.
 */
export interface WelchResult {
  /** t of mean(a) − mean(b). */
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
}

export const welch = (a: ArrayLike<number>, b: ArrayLike<number>): WelchResult => {
  const sa = meanVar(a);
  const sb = meanVar(b);
  if (a.length < 2 || b.length < 2) return { t: NaN, df: NaN, p: NaN };
  const va = sa.variance / a.length;
  const vb = sb.variance / b.length;
  const se2 = va + vb;
  const t = (sa.mean - sb.mean) / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  return { t, df, p: Number.isNaN(t) || Number.isNaN(df) ? NaN : studentTTwoSided(t, df) };
};

/** Mean and sample variance (n − 1) by Welford's algorithm (Welford 1962, Technometrics 4(3)). */
export const meanVar = (xs: ArrayLike<number>): { mean: number; variance: number } => {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  }
  return { mean: xs.length ? mean : NaN, variance: xs.length > 1 ? m2 / (xs.length - 1) : NaN };
};

/**
 * One-sided Welch test: 'greater' tests mean(a) > mean(b) (small p supports it), 'less' the reverse.
 * p = P(T_df ≥ t) or P(T_df ≤ t), as scipy.stats.ttest_ind(a, b, equal_var=False, alternative=…).
 * Both variances 0 (or fewer than 2 values in an arm) gives NaN, as scipy does.
 */
export const welchOneSided = (
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  alternative: 'greater' | 'less',
): WelchResult => {
  const r = welch(a, b);
  if (Number.isNaN(r.t) || Number.isNaN(r.df)) return { ...r, p: NaN };
  return { ...r, p: studentTSf(alternative === 'greater' ? r.t : -r.t, r.df) };
};

/** The t quantile: the t with P(T_df > t) = tail, by bisection on studentTSf (0 < tail < 1). */
export const studentTQuantileUpper = (tail: number, df: number): number => {
  if (!(tail > 0 && tail < 1) || !(df > 0)) return NaN;
  let lo = -1;
  let hi = 1;
  while (studentTSf(hi, df) > tail) hi *= 2;
  while (studentTSf(lo, df) < tail) lo *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2;
    if (studentTSf(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
};

/**
 * Welch's interval for mean(a) − mean(b) at two-sided level `level` (each side's error (1 − level)/2):
 * difference ± t_{df, (1 + level)/2} · √(s²_a/n + s²_b/m). [NaN, NaN] where welch gives NaN.
 */
export const welchInterval = (
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  level: number,
): [number, number] => {
  const r = welch(a, b);
  if (Number.isNaN(r.t) || Number.isNaN(r.df)) return [NaN, NaN];
  const sa = meanVar(a);
  const sb = meanVar(b);
  const diff = sa.mean - sb.mean;
  const se = Math.sqrt(sa.variance / a.length + sb.variance / b.length);
  const q = studentTQuantileUpper((1 - level) / 2, r.df);
  return [diff - q * se, diff + q * se];
};

/**
 * One-sided Welch test of a claim about the candidate/baseline ratio against a bound, on log values
 * (the geometric-mean ratio, which log-normal run-to-run noise makes the median ratio too): the Welch
 * test of log bᵢ against log cⱼ − log(bound). 'below': the claim ratio < bound (small p supports it);
 * 'above': ratio > bound. Unlike a rank test its null hypothesis is the bound itself whatever the two
 * arms' spreads (Behrens-Fisher), exactly so for normal log values up to Satterthwaite's df. With a
 * non-positive value (no log) it is the Welch test of the raw values bᵢ against cⱼ/bound (ratio of
 * means). With no spread in either arm (every run the same, e.g. a coarse counter) the claim's side is
 * certain: p 0 when the candidate/bound values lie strictly on it, 1 otherwise (scipy gives NaN there).
 * NaN with fewer than 2 runs in an arm or a non-positive bound.
 */
export const welchBoundPValue = (
  baseline: readonly number[],
  candidate: readonly number[],
  boundRatio: number,
  claim: 'below' | 'above',
): number => {
  if (!(boundRatio > 0)) return NaN;
  const logs = [...baseline, ...candidate].every((v) => v > 0);
  const b = logs ? baseline.map(Math.log) : [...baseline];
  const c = logs
    ? candidate.map((v) => Math.log(v) - Math.log(boundRatio))
    : candidate.map((v) => v / boundRatio);
  if (b.length < 2 || c.length < 2) return NaN;
  if (meanVar(b).variance === 0 && meanVar(c).variance === 0) {
    const gain = b[0]! - c[0]!;
    return (claim === 'below' ? gain : -gain) > 0 ? 0 : 1;
  }
  return welchOneSided(b, c, claim === 'below' ? 'greater' : 'less').p;
};
