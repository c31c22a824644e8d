import { betaIncBoth } from './special.js';
import { normalCdf, normalSf } from './normal.js';

/**
 * Student's t distribution for any real df > 0 (Welch's df is not an integer).
 *
 * Method: for T with ν degrees of freedom, P(|T| > |t|) = I_x(ν/2, 1/2) with x = ν/(ν + t²)
 * (Abramowitz & Stegun 26.7.1 / 26.5.27), the regularized incomplete beta function of special.ts.
 * Both x and 1 − x = t²/(ν + t²) are formed directly so neither tail loses precision.
 * ν = ∞ is the standard normal. Checked against scipy.stats.t.
 */

/** P(|T| > |t|), the two-sided tail probability. */
export const studentTTwoSided = (t: number, df: number): number => {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return 0;
  if (df === Infinity) return 2 * normalSf(Math.abs(t));
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  return betaIncBoth(df / 2, 0.5, x, y)[0];
};

/** P(T ≤ t). */
export const studentTCdf = (t: number, df: number): number => {
  if (df === Infinity) return normalCdf(t);
  const tail = studentTTwoSided(t, df) / 2;
  return t > 0 ? 1 - tail : tail;
};

/** P(T > t), accurate for large t (no cancellation). */
export const studentTSf = (t: number, df: number): number => {
  if (df === Infinity) return normalSf(t);
  const tail = studentTTwoSided(t, df) / 2;
  return t > 0 ? tail : 1 - tail;
};
