/**
 * Mid-ranks of the pooled samples (ties get the average of the ranks they span) and the sizes of the
 * tie groups, as in scipy.stats.rankdata(method='average'). Shared by the rank tests.
 */
export interface PooledRanks {
  /** Sum of the ranks of the first sample's values. */
  rankSumA: number;
  /** Size of every group of equal values (length 1 for untied values). */
  tieGroups: number[];
}

export const pooledRanks = (a: ArrayLike<number>, b: ArrayLike<number>): PooledRanks => {
  const n = a.length;
  const total = n + b.length;
  const values = new Float64Array(total);
  for (let i = 0; i < n; i++) values[i] = a[i]!;
  for (let j = 0; j < b.length; j++) values[n + j] = b[j]!;
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((x, y) => values[x]! - values[y]!);
  let rankSumA = 0;
  const tieGroups: number[] = [];
  for (let start = 0; start < total;) {
    let end = start + 1;
    while (end < total && values[order[end]!] === values[order[start]!]) end++;
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (order[k]! < n) rankSumA += midRank;
    tieGroups.push(end - start);
    start = end;
  }
  return { rankSumA, tieGroups };
};
