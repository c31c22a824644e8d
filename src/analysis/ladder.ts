import type { LadderRow, Role, SampleSet, SpectrumSeries, Summary } from '../model/index.js';
import { isResponse } from '../model/index.js';
import { median, minRequestsForQuantile, quantile, quantileCI, sortedCopy } from './stats/index.js';

/**
 * The percentile ladder (p50 … p99.9 per configuration, phase and endpoint) and the percentile
 * spectrum, for display. The ladder's value is the median across runs of each run's own quantile,
 * with a distribution-free 95 % CI of that median across runs from order statistics (Conover 1999,
 * §3.2; the same method as a quantile CI, applied to the per-run values): with fewer than six runs it
 * is unbounded on a side (null), which is honest for so few runs. The per-request CI of the pooled
 * quantile is given for reference only: it ignores run-to-run variation (so the median across runs may
 * lie outside it without anything being wrong). A row whose runs had fewer requests than its percentile
 * needs (minRequestsForQuantile: a run's p99.9 from 22 requests is its maximum) is flagged
 * `tooFewRequests`: the report shows "too few requests for p99.9" there instead of the number.
 */

export interface PooledLatencies {
  role: Role;
  phase: string;
  endpoint: string;
  /** Latencies of every run of this role/phase/endpoint that got a response, sorted ascending. */
  sorted: Float64Array;
}

/**
 * Pools the responses of the given runs per role/phase/endpoint ("*" = all). Typed arrays filled in two
 * passes (count, then copy): ten runs of a million requests pool without a million-element JS array.
 */
export const poolLatencies = (
  runs: { role: Role; phase: string; samples: SampleSet }[],
): PooledLatencies[] => {
  const groups = new Map<string, { role: Role; phase: string; endpoint: string; parts: Float64Array[] }>();
  const add = (role: Role, phase: string, endpoint: string, part: Float64Array): void => {
    const k = `${role}|${phase}|${endpoint}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { role, phase, endpoint, parts: [] }));
    g.parts.push(part);
  };
  for (const { role, phase, samples } of runs) {
    const counts = new Uint32Array(samples.endpoints.length + 1);
    for (let i = 0; i < samples.n; i++) if (isResponse(samples, i)) counts[samples.endpoint[i]!]!++;
    const parts = [...counts].map((c) => new Float64Array(c));
    const all = new Float64Array(counts.reduce((a, b) => a + b, 0));
    const fill = new Uint32Array(counts.length);
    let k = 0;
    for (let i = 0; i < samples.n; i++) {
      if (!isResponse(samples, i)) continue;
      const e = samples.endpoint[i]!;
      const v = samples.latencyMs[i]!;
      parts[e]![fill[e]!++] = v;
      all[k++] = v;
    }
    add(role, phase, '*', all);
    samples.endpoints.forEach((name, e) => {
      if (parts[e]!.length > 0) add(role, phase, name, parts[e]!);
    });
  }
  return [...groups.values()].map((g) => {
    const sorted = new Float64Array(g.parts.reduce((a, p) => a + p.length, 0));
    let off = 0;
    for (const p of g.parts) {
      sorted.set(p, off);
      off += p.length;
    }
    return { role: g.role, phase: g.phase, endpoint: g.endpoint, sorted: sorted.sort() };
  });
};

export const buildLadders = (
  summaries: Summary[],
  pooled: PooledLatencies[],
  quantiles: readonly number[],
): LadderRow[] => {
  const rows: LadderRow[] = [];
  for (const pool of pooled) {
    const runs = summaries.filter(
      (s) => s.role === pool.role && s.phase === pool.phase && s.endpoint === pool.endpoint,
    );
    for (const q of quantiles) {
      const values = runs
        .map((s) => s.quantilesMs[String(q)])
        .filter((v): v is number => v !== undefined && Number.isFinite(v));
      if (values.length === 0) continue;
      const valueMs = median(values);
      const pooledCI95Ms = quantileCI(pool.sorted, q, 0.95);
      const requestsPerRun = median(runs.map((s) => s.n));
      const minRequests = minRequestsForQuantile(q);
      rows.push({
        role: pool.role,
        phase: pool.phase,
        endpoint: pool.endpoint,
        quantile: q,
        valueMs,
        ci95Ms: quantileCI(sortedCopy(values), 0.5, 0.95),
        pooledCI95Ms,
        requestsPerRun,
        minRequests,
        ...(requestsPerRun < minRequests ? { tooFewRequests: true } : {}),
      });
    }
  }
  return rows;
};

/**
 * Probabilities for the spectrum: 1/(1 − p) spaced evenly on a log scale from 2 (p50) to n (the
 * largest quantile n requests can show), five points per decade, plus p = 0 (the minimum).
 */
export const spectrumProbabilities = (n: number): number[] => {
  const ps = [0];
  for (let j = 0; ; j++) {
    const odds = 2 * 10 ** (j / 5);
    if (odds > n) break;
    ps.push(1 - 1 / odds);
  }
  return ps;
};

export const buildSpectra = (pooled: PooledLatencies[]): SpectrumSeries[] =>
  pooled
    .filter((p) => p.sorted.length > 0)
    .map((p) => ({
      role: p.role,
      phase: p.phase,
      endpoint: p.endpoint,
      points: spectrumProbabilities(p.sorted.length).map((prob) => ({
        p: prob,
        latencyMs: quantile(p.sorted, prob),
      })),
    }));
