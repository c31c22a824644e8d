import { warning } from '../model/index.js';
import type { Comparison, MetricName, ResourceUse, Role, Summary, Warning } from '../model/index.js';
import {
  bootstrapRatioCI,
  cliffsDelta,
  createRng,
  hodgesLehmann,
  holm,
  mannWhitney,
  median,
  exactUpperTail,
  normalQuantile,
  EXACT_MAX_SAMPLE,
} from './stats/index.js';

/**
 * Baseline vs candidate across runs (ARCHITECTURE.md, "Measurement method"). Each ok run contributes
 * one value per figure (its own p99 of an endpoint, its CPU seconds per request …); the arms are
 * compared on those per-run values:
 *  - Mann-Whitney U, two-sided, exact up to 50 runs per arm, ties included (the permutation
 *    distribution given the ties, as benchstat; Mann & Whitney 1947, Klotz 1966),
 *  - a percentile bootstrap over runs of median(candidate)/median(baseline) (Efron & Tibshirani 1993,
 *    ch. 13), seeded from the plan's seed and the comparison's key so adding a comparison does not
 *    move the others' intervals,
 *  - the Hodges-Lehmann shift and Cliff's delta as effect sizes,
 *  - Holm's step-down correction (Holm 1979) within a family. The comparisons a pass line or stop rule
 *    judges form the `verdict` family; every other comparison (shown, not judged) forms the
 *    `descriptive` family. Putting the descriptive ones into the verdict's family would make five runs
 *    per arm unable to reach significance on anything (the exact test's smallest p is 2/C(10,5) = 0.008)
 *    merely because the report shows more rows.
 * `significant` = Holm-adjusted p < 0.05 AND the ratio's CI excludes 1.
 */

export const ALPHA = 0.05;
/** Latency quantiles compared for every phase and endpoint, beside any a pass line names. */
export const DEFAULT_COMPARED_QUANTILES = [0.5, 0.9, 0.99] as const;
/** Resource figures compared for every phase (endpoint "*"), when both arms have them. */
export const RESOURCE_METRICS = [
  'cpuSecondsPerRequest',
  'allocBytesPerRequest',
  'rssBytesSteady',
  'rssBytesPeak',
  'gcPauseP99Ms',
] as const satisfies readonly MetricName[];
/** Below this many runs per arm a comparison carries a warning (the project's default repetitions). */
export const RECOMMENDED_RUNS_PER_ARM = 5;

export const UNITS: Record<MetricName, string> = {
  latencyMs: 'ms',
  errorRate: 'ratio',
  throughputRps: 'rps',
  cpuSecondsPerRequest: 's',
  allocBytesPerRequest: 'B',
  rssBytesSteady: 'B',
  rssBytesPeak: 'B',
  gcPauseP99Ms: 'ms',
};

/** Throughput is the one figure where more is better. */
export const higherIsBetter = (metric: MetricName): boolean => metric === 'throughputRps';

export interface ComparisonKey {
  phase: string;
  endpoint: string;
  metric: MetricName;
  quantile?: number;
}

export const keyOf = (k: ComparisonKey): string =>
  `${k.phase}|${k.endpoint}|${k.metric}|${k.metric === 'latencyMs' ? (k.quantile ?? '') : ''}`;

export interface CompareInput {
  summaries: Summary[];
  resources: ResourceUse[];
  seed: number;
  /** Phases whose latencies and resources are compared (the scenario traits' `compared`, model/scenarios.ts). */
  phases: string[];
  quantiles?: readonly number[];
  /** Closed-model phases (autocannon saturation) where the achieved throughput is compared too. */
  throughputPhases?: string[];
  /** Comparisons the pass lines and stop rules judge: always built, and Holm-corrected as one family. */
  judged: ComparisonKey[];
  bootstrapIterations?: number;
}

/** Per-run values of one figure for one arm, in run order; runs without the figure are left out. */
export const armValues = (
  key: ComparisonKey,
  role: Role,
  summaries: Summary[],
  resources: ResourceUse[],
): { values: number[]; runIds: string[] } => {
  const values: number[] = [];
  const runIds: string[] = [];
  const push = (runId: string, v: number | undefined): void => {
    if (v === undefined || !Number.isFinite(v)) return;
    values.push(v);
    runIds.push(runId);
  };
  if (key.metric === 'latencyMs' || key.metric === 'errorRate' || key.metric === 'throughputRps') {
    for (const s of summaries) {
      if (s.role !== role || s.phase !== key.phase || s.endpoint !== key.endpoint) continue;
      if (key.metric === 'latencyMs') push(s.runId, s.quantilesMs[String(key.quantile ?? 0.99)]);
      else push(s.runId, key.metric === 'errorRate' ? s.errorRate : s.achievedRps);
    }
  } else if (key.endpoint === '*') {
    for (const r of resources) {
      if (r.role === role && r.phase === key.phase) push(r.runId, r[key.metric]);
    }
  }
  return { values, runIds };
};

export const buildComparisons = (input: CompareInput): Comparison[] => {
  const judgedKeys = new Set(input.judged.map(keyOf));
  const keys = new Map<string, ComparisonKey>();
  for (const k of input.judged) keys.set(keyOf(k), k);
  for (const k of defaultKeys(input)) if (!keys.has(keyOf(k))) keys.set(keyOf(k), k);

  const built: Comparison[] = [];
  for (const [id, key] of keys) {
    const b = armValues(key, 'baseline', input.summaries, input.resources);
    const c = armValues(key, 'candidate', input.summaries, input.resources);
    if (b.values.length === 0 || c.values.length === 0) continue;
    built.push(compareOne(key, b, c, input.seed, judgedKeys.has(id), input.bootstrapIterations));
  }
  for (const family of ['verdict', 'descriptive'] as const) {
    const members = built.filter((x) => x.family === family);
    const adjusted = holm(members.map((x) => x.pValue));
    members.forEach((x, i) => {
      x.pAdjusted = adjusted[i]!;
      x.significant = x.pAdjusted < ALPHA && (x.ratioCI95[0] > 1 || x.ratioCI95[1] < 1);
    });
  }
  for (const x of built) {
    const [lo, hi] = judgedRatioCI(x);
    x.judgedCI95 = [lo > 0 ? lo : null, Number.isFinite(hi) ? hi : null];
  }
  // The few-runs warning counts the family each p is Holm-adjusted in (issue 10: not a family of 1).
  const familySize = { verdict: 0, descriptive: 0 };
  for (const x of built) familySize[x.family ?? 'descriptive'] += 1;
  for (const x of built)
    x.warnings.push(...fewRunsWarnings(x, x.family ?? 'descriptive', familySize[x.family ?? 'descriptive']));
  return built;
};

/** Every endpoint of each compared phase × the default quantiles, plus resource figures for "*". */
const defaultKeys = (input: CompareInput): ComparisonKey[] => {
  const out: ComparisonKey[] = [];
  const quantiles = input.quantiles ?? DEFAULT_COMPARED_QUANTILES;
  for (const phase of input.phases) {
    const endpoints = [...new Set(input.summaries.filter((s) => s.phase === phase).map((s) => s.endpoint))];
    endpoints.sort((a, b) => (a === '*' ? -1 : b === '*' ? 1 : a.localeCompare(b)));
    for (const endpoint of endpoints) {
      for (const quantile of quantiles) out.push({ phase, endpoint, metric: 'latencyMs', quantile });
    }
    for (const metric of RESOURCE_METRICS) out.push({ phase, endpoint: '*', metric });
    if (input.throughputPhases?.includes(phase)) out.push({ phase, endpoint: '*', metric: 'throughputRps' });
  }
  return out;
};

/** FNV-1a, 32 bit: a stable per-comparison seed offset. */
const hash32 = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

const compareOne = (
  key: ComparisonKey,
  b: { values: number[]; runIds: string[] },
  c: { values: number[]; runIds: string[] },
  seed: number,
  judged: boolean,
  iterations = 10_000,
): Comparison => {
  const baseMedian = median(b.values);
  const candMedian = median(c.values);
  const ratio = candMedian / baseMedian;
  const rng = createRng((seed ^ hash32(keyOf(key))) >>> 0);
  const ci = bootstrapRatioCI(b.values, c.values, { rng, iterations, level: 0.95 });
  const mw = mannWhitney(b.values, c.values);
  const warnings: Warning[] = [];
  if (!Number.isFinite(ratio)) {
    warnings.push(warning('zero-baseline', { metric: key.metric }));
  }
  warnings.push(...tiedRunsWarnings(b.values, c.values, mw.method));
  const comparison: Comparison = {
    phase: key.phase,
    endpoint: key.endpoint,
    metric: key.metric,
    unit: UNITS[key.metric],
    baseline: { ...b, median: baseMedian },
    candidate: { ...c, median: candMedian },
    ratio,
    ratioCI95: ci,
    ratioCI95Rank: rankRatioCI(b.values, c.values),
    pValue: Number.isNaN(mw.p) ? 1 : mw.p,
    pAdjusted: 1,
    method: Number.isNaN(mw.p)
      ? 'none'
      : mw.method === 'exact'
        ? 'mann-whitney-exact'
        : 'mann-whitney-asymptotic',
    significant: false,
    hodgesLehmann: hodgesLehmann(b.values, c.values),
    cliffsDelta: cliffsDelta(b.values, c.values),
    family: judged ? 'verdict' : 'descriptive',
    warnings,
  };
  if (key.metric === 'latencyMs') comparison.quantile = key.quantile ?? 0.99;
  return comparison;
};

/** C(2n, n) as a float (exact enough for the small n that matter here). */
const centralBinomial = (n: number): number => {
  let c = 1;
  for (let i = 1; i <= n; i++) c = (c * (n + i)) / i;
  return c;
};

/**
 * Smallest equal number of runs per arm at which the exact two-sided Mann-Whitney test can reach
 * p < α/k at all: its smallest p, for complete separation, is 2/C(2n, n). k = 1 gives 4 (2/70 = 0.029;
 * 3 per arm bottoms out at 2/20 = 0.1).
 */
export const minRunsForSignificance = (familySize = 1, alpha = ALPHA): number => {
  let n = 1;
  while (2 / centralBinomial(n) >= alpha / Math.max(1, familySize)) n++;
  return n;
};

/**
 * Per-run values that tie: the exact test accounts for them (the permutation distribution given the
 * ties), but ties mostly mean the figure's resolution is coarse (a 10 ms CPU counter over short runs),
 * which costs the test resolution. Beyond the exact range the p is the tie-corrected normal approximation.
 */
const tiedRunsWarnings = (b: number[], c: number[], method: 'exact' | 'asymptotic'): Warning[] => {
  const all = [...b, ...c];
  const tied = all.filter((v) => all.indexOf(v) !== all.lastIndexOf(v)).length;
  if (tied === 0 || all.length > 2 * EXACT_MAX_SAMPLE) return [];
  return [warning('tied-runs', { tied, of: all.length, method })];
};

const fewRunsWarnings = (x: Comparison, family: 'verdict' | 'descriptive', familySize: number): Warning[] => {
  const n = Math.min(x.baseline.values.length, x.candidate.values.length);
  if (n >= RECOMMENDED_RUNS_PER_ARM && n >= minRunsForSignificance(familySize)) return [];
  const need = minRunsForSignificance(familySize);
  return [
    warning('few-runs', {
      of: 'comparison',
      baselineRuns: x.baseline.values.length,
      candidateRuns: x.candidate.values.length,
      need,
      familySize,
      family,
      recommended: RECOMMENDED_RUNS_PER_ARM,
    }),
  ];
};

/**
 * Distribution-free CI of the candidate/baseline ratio: the Mann-Whitney test inverted for a shift of
 * log values (Bauer, "Constructing confidence sets using rank statistics", JASA 1972; Hollander & Wolfe,
 * Nonparametric Statistical Methods, §4.3). With D the sorted n·m differences log cⱼ − log bᵢ and k the
 * largest integer with P(U ≤ k − 1) ≤ α/2 under H0, the interval is [D₍ₖ₎, D₍ₙₘ₊₁₋ₖ₎], exponentiated.
 * k = 0 (e.g. 2 or 3 runs per arm) leaves both sides unbounded: null. Exact U distribution up to
 * n·m = 2500, the normal approximation beyond. Non-positive values have no log: [null, null].
 */
export const rankRatioCI = (b: number[], c: number[], level = 0.95): [number | null, number | null] => {
  const n = b.length;
  const m = c.length;
  if (n === 0 || m === 0 || [...b, ...c].some((x) => !(x > 0))) return [null, null];
  const half = (1 - level) / 2;
  let k: number;
  if (n * m <= 2500) {
    // P(U ≤ k − 1) = P(U ≥ nm − k + 1) by symmetry; it grows with k, so binary-search the largest k ≤ α/2.
    const lowerTail = (kk: number): number => (kk <= 0 ? 0 : exactUpperTail(n, m, n * m - kk + 1));
    let lo = 0;
    let hi = n * m;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (lowerTail(mid) <= half) lo = mid;
      else hi = mid - 1;
    }
    k = lo;
  } else {
    k = Math.floor((n * m) / 2 - normalQuantile(1 - half) * Math.sqrt((n * m * (n + m + 1)) / 12));
  }
  if (k < 1) return [null, null];
  const diffs: number[] = [];
  for (const x of b) for (const y of c) diffs.push(Math.log(y) - Math.log(x));
  diffs.sort((x, y) => x - y);
  return [Math.exp(diffs[k - 1]!), Math.exp(diffs[n * m - k]!)];
};

/** The CI checks judge on: the wider of the bootstrap and the rank-based interval (unbounded → ±∞). */
export const judgedRatioCI = (c: Comparison): [number, number] => {
  const [rl, rh] = c.ratioCI95Rank ?? [c.ratioCI95[0], c.ratioCI95[1]];
  return [Math.min(c.ratioCI95[0], rl ?? 0), Math.max(c.ratioCI95[1], rh ?? Infinity)];
};

/**
 * One-sided p of a claim about the candidate/baseline ratio against a bound, for the sequential
 * (intersection-union) design: the exact Mann-Whitney test of log cⱼ − log(bound) against log bᵢ.
 * 'below': the claim ratio < bound (a cost or latency cut; small p supports it); 'above': ratio > bound
 * (a throughput gain, or the evidence that a "ratio ≤ bound" line fails). It is the test whose inversion
 * gives rankRatioCI, so "p ≤ c" agrees with "the rank CI at level 1 − 2c clears the bound" (up to ties).
 * NaN without runs in both arms or with a non-positive bound.
 */
export const boundPValue = (
  baseline: readonly number[],
  candidate: readonly number[],
  boundRatio: number,
  claim: 'below' | 'above',
): number => {
  if (baseline.length === 0 || candidate.length === 0 || !(boundRatio > 0)) return NaN;
  const scaled = candidate.map((v) => v / boundRatio);
  return mannWhitney(baseline, scaled, { alternative: claim === 'below' ? 'greater' : 'less' }).p;
};
