import { normalQuantile } from './normal.js';

/**
 * The Wilson score interval for a binomial proportion k/n (Wilson 1927; Agresti & Coull 1998 recommend
 * it over the Wald interval, which collapses to a point at 0 or n and undercovers for small n). Used for
 * the share of a CPU profile's samples in a function: n samples, k of them in the function. Checked
 * against statsmodels `proportion_confint(method='wilson')` (test/fixtures/oracle/proportion.json).
 */
export const wilsonInterval = (k: number, n: number, level = 0.95): [number, number] => {
  if (!(n > 0) || k < 0 || k > n) return [0, 1];
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
};
