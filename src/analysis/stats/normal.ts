import { gammaP, gammaQ } from './special.js';

/**
 * The standard normal distribution, accurate in the tails (p-values down to ~1e-300), for the
 * asymptotic Mann-Whitney test. simple-statistics' `cumulativeStdNormalProbability` is a 4-decimal table
 * and must not be used for p-values.
 *
 * Method: erfc(x) = Q(1/2, x²) for x ≥ 0 (Abramowitz & Stegun 7.1.2 with 6.5.17: the complementary error
 * function is a regularized upper incomplete gamma function), computed by the series / continued fraction
 * in special.ts; Φ(z) = erfc(−z/√2)/2. Checked against scipy.special.erfc / scipy.stats.norm.
 */

/** erfc(x) = 1 − erf(x), with full relative precision for large positive x. */
export const erfc = (x: number): number => {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  if (x >= 0) return gammaQ(0.5, x * x);
  return 1 + gammaP(0.5, x * x);
};

/** Φ(z) = P(Z ≤ z) for a standard normal Z. */
export const normalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);

/** 1 − Φ(z) = P(Z > z), accurate for large z (no cancellation). */
export const normalSf = (z: number): number => 0.5 * erfc(z / Math.SQRT2);

/** The standard normal density φ(z). */
export const normalPdf = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/**
 * Φ⁻¹(p): a start from Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4), then Newton steps on the accurate
 * Φ above until the step is below 1e-15 relative (typically 2–3 steps).
 */
export const normalQuantile = (p: number): number => {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p < 0.5 ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(q));
  let x =
    t -
    (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t ** 3);
  x = p < 0.5 ? -x : x;
  for (let i = 0; i < 50; i++) {
    // Work on the smaller tail so the residual keeps its relative precision.
    const residual = p < 0.5 ? normalCdf(x) - p : q - normalSf(x);
    const step = residual / normalPdf(x);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
};
