import { sortedCopy } from './quantile.js';

/**
 * Cliff's delta, the dominance effect size: (#(b > a) − #(b < a)) / (nm), in [−1, 1]; positive when the
 * candidate b tends to be larger. Cliff (1993), "Dominance statistics: ordinal analyses to answer ordinal
 * questions", Psych. Bull. 114(3). Equals 2·U_b/(nm) − 1 with U_b the Mann-Whitney U of b.
 * Counted by merging the sorted samples in O((n + m) log(n + m)), so per-request samples are fine.
 */
export const cliffsDelta = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return NaN;
  const sa = sortedCopy(a);
  const sb = sortedCopy(b);
  let i = 0; // #(a < current b)
  let k = 0; // #(a ≤ current b)
  let greater = 0;
  let smaller = 0;
  for (let j = 0; j < m; j++) {
    const v = sb[j]!;
    while (i < n && sa[i]! < v) i++;
    while (k < n && sa[k]! <= v) k++;
    greater += i; // pairs with b_j > a_i
    smaller += n - k; // pairs with b_j < a_i
  }
  return (greater - smaller) / (n * m);
};
