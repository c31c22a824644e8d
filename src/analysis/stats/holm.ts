/**
 * Holm's step-down adjustment for multiple comparisons (family-wise error rate), Holm (1979), "A simple
 * sequentially rejective multiple test procedure", Scand. J. Stat. 6(2). With p-values sorted ascending
 * p_(1) ≤ … ≤ p_(m): p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j)). Returned in the input order;
 * reject where p̃ ≤ α. Same as statsmodels multipletests(method='holm') and R p.adjust(method='holm').
 * NaN p-values are left NaN and do not count towards m (as R's p.adjust with na.rm semantics).
 */
export const holm = (pValues: number[]): number[] => {
  const idx = pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i]!));
  idx.sort((x, y) => pValues[x]! - pValues[y]!);
  const m = idx.length;
  const out = pValues.map(() => NaN);
  let running = 0;
  idx.forEach((original, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[original]!));
    out[original] = running;
  });
  return out;
};
