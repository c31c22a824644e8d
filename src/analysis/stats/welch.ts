import { studentTTwoSided } from './student-t.js';

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
