import {
  PERCENTILES,
  REPORT_SCHEMA_VERSION,
  type CanaryData,
  type CanaryReport,
  type CanarySpec,
  type CanaryWindowArm,
  type CheckResult,
  type Comparison,
  type Environment,
  type LadderRow,
  type MatrixSeries,
  type Plan,
  type ReportModel,
  type ResourceUse,
  type Role,
  type Summary,
  type TimeseriesSeries,
  type Warning,
  warning,
} from '../model/index.js';
import { errorRows } from './analyze.js';
import { judgePassLine, judgeStopRule, judgedComparisons, type CheckContext } from './checks/index.js';
import { ALPHA, UNITS, armValues, keyOf, type ComparisonKey } from './compare.js';
import { cliffsDelta, holm, median } from './stats/index.js';
import { pairedShiftCI, wilcoxonSignedRank } from './stats/wilcoxon-signed-rank.js';
import { decide } from './verdict.js';

/**
 * The live-rollout judgement (`hotswap canary`), pure: Prometheus range-query results → ReportModel.
 *
 * The unit is a time window (the plan's `canary.unit`, e.g. one hour), like the run in a trial: each
 * window gives one value per arm (its latency quantile read from the window's summed histogram buckets,
 * its error rate, CPU per request when the arms are separate processes). Both arms share every window
 * (the same hour's load, the same fleet), so the comparison is paired: the Wilcoxon signed-rank test on
 * per-window log-ratios, and the Hodges-Lehmann estimate of their centre with its signed-rank CI as the
 * ratio and its 95 % CI. The plan's pass lines and stop rules are then judged by the same checks as a
 * trial's, on the phase "live".
 */

/** The phase name a canary's comparisons and summaries carry. */
export const LIVE_PHASE = 'live';

export interface CanaryInput {
  plan: Plan;
  spec: CanarySpec;
  data: CanaryData;
  /** Unix seconds: the range judged (a sub-range of the data). */
  start: number;
  end: number;
  unitSeconds: number;
  id: string;
  /** ISO-8601, when the canary read its data (the caller's clock). */
  frozenAt: string;
  version: string;
  environment: Environment;
  /** Warnings from the gathering (e.g. the unit was shortened to fit the window). */
  notes?: Warning[];
}

type Arm = Role;

interface Acc {
  requests: number;
  errors: number;
  fallbacks: number;
  sum: number;
  hasSum: boolean;
  cpu: number;
  hasCpu: boolean;
  buckets: Map<number, number>;
}

const newAcc = (): Acc => ({
  requests: 0,
  errors: 0,
  fallbacks: 0,
  sum: 0,
  hasSum: false,
  cpu: 0,
  hasCpu: false,
  buckets: new Map(),
});

/** Which arm a series belongs to by its split label, undefined for a value in neither arm. */
const armOf = (spec: CanarySpec, metric: Record<string, string>): Arm | undefined => {
  const v = metric[spec.split.label];
  if (v === undefined) return undefined;
  if (spec.split.baseline.includes(v)) return 'baseline';
  if (spec.split.candidate.includes(v)) return 'candidate';
  return undefined;
};

/** Split values that mean "sent to the candidate, served by the baseline after a failure". */
const FALLBACK_VALUES = new Set(['go-fallback', 'go-breaker']);

/**
 * Quantile of a cumulative histogram, as PromQL's histogram_quantile: buckets sorted by upper bound,
 * made monotonic (increase() extrapolation can break it), rank q·count, linear interpolation inside
 * the bucket (the first bucket's lower bound is 0), the last finite bound when the rank falls in +Inf.
 */
export const histogramQuantile = (q: number, buckets: Map<number, number>): number => {
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  if (sorted.length < 2 || sorted.at(-1)![0] !== Infinity) return NaN;
  let max = 0;
  const cum = sorted.map(([le, c]) => [le, (max = Math.max(max, c))] as const);
  const total = cum.at(-1)![1];
  if (!(total > 0)) return NaN;
  const rank = q * total;
  let i = cum.findIndex(([, c]) => c >= rank);
  if (i === cum.length - 1) return cum[cum.length - 2]![0];
  if (i < 0) i = cum.length - 1;
  const [upper, cUpper] = cum[i]!;
  const [lower, cLower] = i === 0 ? [0, 0] : cum[i - 1]!;
  if (i === 0 && upper <= 0) return upper;
  const inBucket = cUpper - cLower;
  return inBucket > 0 ? lower + ((upper - lower) * (rank - cLower)) / inBucket : upper;
};

interface Windowed {
  /** [window][arm][endpoint] */
  acc: Map<string, Acc>[][];
  endpoints: Set<string>;
  /** Per step: requests per arm, and the latency buckets per arm (endpoint "*"). */
  steps: Map<
    number,
    {
      requests: [number, number];
      buckets: [Map<number, number>, Map<number, number>];
      errors: [number, number];
    }
  >;
  ignoredValues: Set<string>;
}

const ARMS: readonly Arm[] = ['baseline', 'candidate'];
const armIndex = (a: Arm): 0 | 1 => (a === 'baseline' ? 0 : 1);

const accumulate = (input: CanaryInput, windows: number): Windowed => {
  const { spec, data, start, unitSeconds } = input;
  const acc = Array.from({ length: windows }, () => ARMS.map(() => new Map<string, Acc>()));
  const endpoints = new Set<string>();
  const steps: Windowed['steps'] = new Map();
  const ignoredValues = new Set<string>();
  const stepOf = (t: number) => {
    let s = steps.get(t);
    if (!s) steps.set(t, (s = { requests: [0, 0], buckets: [new Map(), new Map()], errors: [0, 0] }));
    return s;
  };
  const each = (
    series: MatrixSeries[] | undefined,
    fn: (a: Acc, v: number, s: MatrixSeries) => void,
  ): void => {
    for (const s of series ?? []) {
      const arm = armOf(spec, s.metric);
      if (!arm) {
        const v = s.metric[spec.split.label];
        if (v !== undefined) ignoredValues.add(v);
        continue;
      }
      const endpoint = s.metric[spec.endpointLabel] ?? '*';
      if (endpoint !== '*') endpoints.add(endpoint);
      for (const [t, raw] of s.values) {
        const v = Number(raw);
        if (!Number.isFinite(v)) continue;
        const w = Math.ceil((t - start) / unitSeconds - 1e-9) - 1;
        if (w < 0 || w >= windows) continue;
        const targets = endpoint === '*' ? ['*'] : [endpoint, '*'];
        for (const e of targets) {
          const m = acc[w]![armIndex(arm)]!;
          let a = m.get(e);
          if (!a) m.set(e, (a = newAcc()));
          fn(a, v, s);
        }
      }
    }
  };
  const q = data.queries;
  each(q.requests?.result, (a, v, s) => {
    a.requests += v;
    if (FALLBACK_VALUES.has(s.metric[spec.split.label] ?? '')) a.fallbacks += v;
  });
  each(q.errors?.result, (a, v) => (a.errors += v));
  each(q.latencySum?.result, (a, v) => {
    a.sum += v;
    a.hasSum = true;
  });
  each(q.cpuSeconds?.result, (a, v) => {
    a.cpu += v;
    a.hasCpu = true;
  });
  each(q.latencyBuckets?.result, (a, v, s) => {
    const le = s.metric.le === '+Inf' ? Infinity : Number(s.metric.le);
    if (Number.isNaN(le)) return;
    a.buckets.set(le, (a.buckets.get(le) ?? 0) + v);
  });
  // Per step (endpoint "*"): the rollout's share and the latency over time.
  for (const s of q.requests?.result ?? []) {
    const arm = armOf(spec, s.metric);
    if (!arm) continue;
    for (const [t, raw] of s.values)
      if (t > start && t <= input.end) stepOf(t).requests[armIndex(arm)] += Number(raw) || 0;
  }
  for (const s of q.errors?.result ?? []) {
    const arm = armOf(spec, s.metric);
    if (!arm) continue;
    for (const [t, raw] of s.values)
      if (t > start && t <= input.end) stepOf(t).errors[armIndex(arm)] += Number(raw) || 0;
  }
  for (const s of q.latencyBuckets?.result ?? []) {
    const arm = armOf(spec, s.metric);
    const le = s.metric.le === '+Inf' ? Infinity : Number(s.metric.le);
    if (!arm || Number.isNaN(le)) continue;
    for (const [t, raw] of s.values) {
      if (!(t > start && t <= input.end)) continue;
      const b = stepOf(t).buckets[armIndex(arm)];
      b.set(le, (b.get(le) ?? 0) + (Number(raw) || 0));
    }
  }
  return { acc, endpoints, steps, ignoredValues };
};

const toMs = (spec: CanarySpec, v: number): number => (spec.latencyUnit === 'seconds' ? v * 1000 : v);

const armFigures = (spec: CanarySpec, a: Acc, quantiles: readonly number[]): CanaryWindowArm => {
  const quantilesMs: Record<string, number> = {};
  for (const q of quantiles) {
    const v = histogramQuantile(q, a.buckets);
    if (Number.isFinite(v)) quantilesMs[String(q)] = toMs(spec, v);
  }
  const out: CanaryWindowArm = { requests: a.requests, errors: a.errors, quantilesMs };
  if (a.fallbacks > 0) out.fallbacks = a.fallbacks;
  if (a.hasSum && a.requests > 0) out.meanMs = toMs(spec, a.sum / a.requests);
  if (a.hasCpu && a.requests > 0) out.cpuSecondsPerRequest = a.cpu / a.requests;
  return out;
};

const iso = (unix: number): string => new Date(unix * 1000).toISOString();

/** The latency comparison the per-window timeline shows: the first latency stop rule, else the SLO's quantile. */
const timelineKey = (plan: Plan): { key: ComparisonKey; cut?: number } => {
  const rule = plan.stopRules.find((r) => r.metric === 'latencyMs');
  if (rule)
    return {
      key: {
        phase: LIVE_PHASE,
        endpoint: rule.endpoint ?? '*',
        metric: 'latencyMs',
        quantile: rule.quantile ?? plan.slo.quantile,
      },
      cut: rule.minImprovement,
    };
  return { key: { phase: LIVE_PHASE, endpoint: '*', metric: 'latencyMs', quantile: plan.slo.quantile } };
};

/**
 * A paired comparison of one figure: per-window log-ratios candidate/baseline (windows where both arms
 * have a positive value), Wilcoxon signed-rank for p, Hodges-Lehmann with its signed-rank CI for the
 * ratio. `logRatios` overrides the plain ratio (error rates use a 0.5 continuity correction).
 */
const pairedComparison = (
  key: ComparisonKey,
  b: { values: number[]; runIds: string[] },
  c: { values: number[]; runIds: string[] },
  family: 'verdict' | 'descriptive',
  logRatioOf: (bv: number, cv: number, window: string) => number | undefined,
): Comparison | undefined => {
  const cBy = new Map(c.runIds.map((id, i) => [id, c.values[i]!]));
  const pairs: { id: string; b: number; c: number; d: number }[] = [];
  b.runIds.forEach((id, i) => {
    const cv = cBy.get(id);
    if (cv === undefined) return;
    const d = logRatioOf(b.values[i]!, cv, id);
    if (d !== undefined && Number.isFinite(d)) pairs.push({ id, b: b.values[i]!, c: cv, d });
  });
  if (pairs.length === 0) return undefined;
  const d = pairs.map((p) => p.d);
  const w = wilcoxonSignedRank(d);
  const hl = pairedShiftCI(d);
  const [lo, hi] = hl.ci;
  const spread: [number, number] = [Math.exp(Math.min(...d)), Math.exp(Math.max(...d))];
  const warnings: Warning[] = [];
  if (lo === null) warnings.push(warning('few-windows', { pairs: pairs.length }));
  const baseVals = pairs.map((p) => p.b);
  const candVals = pairs.map((p) => p.c);
  const ids = pairs.map((p) => p.id);
  return {
    ...key,
    phase: key.phase,
    unit: UNITS[key.metric],
    baseline: { values: baseVals, runIds: ids, median: median(baseVals) },
    candidate: { values: candVals, runIds: ids, median: median(candVals) },
    ratio: Math.exp(hl.estimate),
    ratioCI95: lo !== null && hi !== null ? [Math.exp(lo), Math.exp(hi)] : spread,
    ratioCI95Rank: [lo === null ? null : Math.exp(lo), hi === null ? null : Math.exp(hi)],
    judgedCI95: [lo === null ? null : Math.exp(lo), hi === null ? null : Math.exp(hi)],
    pValue: w.p,
    pAdjusted: w.p,
    method: `wilcoxon-signed-rank-${w.method}`,
    significant: false,
    hodgesLehmann: pairedShiftCI(pairs.map((p) => p.c - p.b)).estimate,
    cliffsDelta: cliffsDelta(baseVals, candVals),
    family,
    warnings,
  };
};

const quantilesOf = (plan: Plan, spec: CanarySpec): number[] => {
  const qs = new Set<number>([...PERCENTILES, ...spec.quantiles, plan.slo.quantile]);
  for (const l of plan.passLines)
    if ((l.check === 'change' || l.check === 'flat') && l.quantile) qs.add(l.quantile);
  for (const r of plan.stopRules) if (r.quantile) qs.add(r.quantile);
  return [...qs].sort((a, b) => a - b);
};

/** Runs-per-arm wording of the shared checks, said in windows (a canary's unit). */
const inWindows = (r: CheckResult): CheckResult => ({
  ...r,
  message: r.message.replaceAll('runs per arm', 'windows'),
});

/**
 * The server-side histogram (client_golang's http_request_duration_seconds, the reference service's
 * default) starts its clock in the handler: time a request waited for a free thread before that is not
 * in it. The service's own comparison with k6 (service/README.md, GOMAXPROCS=1) measured how far off
 * that leaves each endpoint's p99; said whenever the latency figures come from that histogram.
 */
export const HANDLER_CLOCK_ASSUMPTION =
  "Latency is the service's own handler clock (http_request_duration_seconds: handler start to last byte), not what clients saw: time spent waiting before the handler runs is not in it. On the reference service at GOMAXPROCS=1 its p99 was ×1.01 of the k6-measured p99 for scan, ×0.85 for orders and ×0.04 for fields (fields requests wait behind scans before the handler clock starts; service/README.md), so a fast endpoint's figures here are service time, and a change in queueing between the arms shows up only in the slow endpoint.";

const handlerClockAssumption = (data: CanaryData): string[] =>
  (data.queries.latencyBuckets?.query ?? '').includes('http_request_duration_seconds')
    ? [HANDLER_CLOCK_ASSUMPTION]
    : [];

export const judgeCanary = (input: CanaryInput): ReportModel => {
  const { plan, spec, data, start, end, unitSeconds } = input;
  const windows = Math.floor((end - start) / unitSeconds + 1e-9);
  const quantiles = quantilesOf(plan, spec);
  const warnings: Warning[] = [...(input.notes ?? [])];
  const w = accumulate(input, windows);
  const minReq = spec.minRequestsPerWindow;

  const summaries: Summary[] = [];
  const resources: ResourceUse[] = [];
  const windowRows: CanaryReport['windows'] = [];
  const { key: tlKey, cut } = timelineKey(plan);
  for (let i = 0; i < windows; i++) {
    const wStart = start + i * unitSeconds;
    const id = `w${String(i + 1).padStart(4, '0')}`;
    const [bAll, cAll] = [w.acc[i]![0]!.get('*'), w.acc[i]![1]!.get('*')];
    const bReq = bAll?.requests ?? 0;
    const cReq = cAll?.requests ?? 0;
    const row: CanaryReport['windows'][number] = {
      id,
      start: iso(wStart),
      end: iso(wStart + unitSeconds),
      used: bReq >= minReq && cReq >= minReq && bReq > 0 && cReq > 0,
      candidateShare: bReq + cReq > 0 ? cReq / (bReq + cReq) : 0,
    };
    if (bAll) row.baseline = armFigures(spec, bAll, quantiles);
    if (cAll) row.candidate = armFigures(spec, cAll, quantiles);
    if (!row.used) {
      row.skippedReason =
        bReq < Math.max(1, minReq)
          ? `baseline had ${Math.round(bReq)} requests (< ${Math.max(1, minReq)})`
          : `candidate had ${Math.round(cReq)} requests (< ${Math.max(1, minReq)})`;
      windowRows.push(row);
      continue;
    }
    for (const arm of ARMS) {
      for (const [endpoint, a] of w.acc[i]![armIndex(arm)]!) {
        if (a.requests <= 0) continue;
        const f = armFigures(spec, a, quantiles);
        summaries.push({
          runId: id,
          role: arm,
          phase: LIVE_PHASE,
          endpoint,
          n: a.requests,
          errors: a.errors,
          errorRate: a.errors / a.requests,
          meanMs: f.meanMs ?? NaN,
          quantilesMs: f.quantilesMs,
          quantileCI95Ms: {},
          durationSeconds: unitSeconds,
          achievedRps: a.requests / unitSeconds,
          errorClasses: a.errors > 0 ? { 'http-5xx': a.errors } : {},
          implShare: {},
          warnings: [],
        });
        if (endpoint === '*') {
          const r: ResourceUse = {
            runId: id,
            role: arm,
            phase: LIVE_PHASE,
            requests: a.requests,
            warnings: [],
          };
          if (f.cpuSecondsPerRequest !== undefined) r.cpuSecondsPerRequest = f.cpuSecondsPerRequest;
          if (arm === 'candidate') r.fallbacks = a.fallbacks;
          resources.push(r);
        }
      }
    }
    const q = String(tlKey.quantile);
    const bq = w.acc[i]![0]!.get(tlKey.endpoint);
    const cq = w.acc[i]![1]!.get(tlKey.endpoint);
    if (bq && cq) {
      const bv = armFigures(spec, bq, quantiles).quantilesMs[q];
      const cv = armFigures(spec, cq, quantiles).quantilesMs[q];
      if (bv && cv) {
        row.judgedRatio = cv / bv;
        row.judgement =
          cut !== undefined
            ? row.judgedRatio <= 1 - cut
              ? 'better'
              : row.judgedRatio > 1
                ? 'worse'
                : 'same'
            : row.judgedRatio < 1
              ? 'better'
              : row.judgedRatio > 1
                ? 'worse'
                : 'same';
      }
    }
    windowRows.push(row);
  }

  // Comparisons: the judged keys (pass lines, stop rules) and the usual descriptive ones.
  const judged = judgedComparisons(plan, LIVE_PHASE);
  const judgedIds = new Set(judged.map(keyOf));
  const keys = new Map<string, ComparisonKey>(judged.map((k) => [keyOf(k), k]));
  for (const endpoint of ['*', ...[...w.endpoints].sort()])
    for (const q of spec.quantiles) {
      const k: ComparisonKey = { phase: LIVE_PHASE, endpoint, metric: 'latencyMs', quantile: q };
      if (!keys.has(keyOf(k))) keys.set(keyOf(k), k);
    }
  for (const metric of ['errorRate', 'cpuSecondsPerRequest'] as const) {
    const k: ComparisonKey = { phase: LIVE_PHASE, endpoint: '*', metric };
    if (!keys.has(keyOf(k))) keys.set(keyOf(k), k);
  }
  const byWindow = (role: Role, endpoint: string) =>
    new Map(summaries.filter((s) => s.role === role && s.endpoint === endpoint).map((s) => [s.runId, s]));
  const comparisons: Comparison[] = [];
  for (const [id, key] of keys) {
    const b = armValues(key, 'baseline', summaries, resources);
    const c = armValues(key, 'candidate', summaries, resources);
    if (b.values.length === 0 || c.values.length === 0) continue;
    const family = judgedIds.has(id) ? 'verdict' : 'descriptive';
    let logRatio = (bv: number, cv: number): number | undefined =>
      bv > 0 && cv > 0 ? Math.log(cv / bv) : undefined;
    if (key.metric === 'errorRate') {
      // Haldane-Anscombe: add ½ to errors and to requests, so a window without errors has a ratio.
      const bw = byWindow('baseline', key.endpoint);
      const cw = byWindow('candidate', key.endpoint);
      logRatio = (_bv, _cv, window?: string) => {
        const bs = bw.get(window ?? '');
        const cs = cw.get(window ?? '');
        if (!bs || !cs) return undefined;
        return Math.log((cs.errors + 0.5) / (cs.n + 0.5)) - Math.log((bs.errors + 0.5) / (bs.n + 0.5));
      };
    }
    const cmp = pairedComparison(key, b, c, family, logRatio);
    if (cmp) comparisons.push(cmp);
  }
  for (const family of ['verdict', 'descriptive'] as const) {
    const members = comparisons.filter((x) => x.family === family);
    const adjusted = holm(members.map((x) => x.pValue));
    members.forEach((x, i) => {
      x.pAdjusted = adjusted[i]!;
      x.significant = x.pAdjusted < ALPHA && (x.ratioCI95[0] > 1 || x.ratioCI95[1] < 1);
    });
  }

  const errors = errorRows(summaries);
  // The shared checks look for the judged phase among the plan's phases: the canary's one phase is "live".
  const livePlan: Plan = {
    ...plan,
    phases: [
      { name: LIVE_PHASE, driver: 'k6', scenario: 'steady', rateRps: 1, durationSeconds: unitSeconds },
    ],
  };
  const ctx: CheckContext = { plan: livePlan, phase: LIVE_PHASE, comparisons, summaries, errors };
  const separable = spec.split.label !== 'impl';
  // With one process split by impl, CPU lines cannot be judged at all: leave them out of the verdict
  // (said among the reasons) rather than hold it inconclusive for ever.
  const cpuLine = (l: { metric?: string }) => !separable && l.metric === 'cpuSecondsPerRequest';
  const notJudged = [...plan.passLines, ...plan.stopRules].filter((l) => cpuLine(l as { metric?: string }));
  const checks = plan.passLines
    .filter((l) => !cpuLine(l as { metric?: string }))
    .map((l) => inWindows(judgePassLine(l, ctx)));
  const stopRules = plan.stopRules.filter((r) => !cpuLine(r)).map((r) => inWindows(judgeStopRule(r, ctx)));
  const used = windowRows.filter((r) => r.used).length;
  const verdict = decide(checks, stopRules, used);
  verdict.phase = LIVE_PHASE;
  verdict.reasons = verdict.reasons.map((r) => r.replaceAll('runs per arm', 'windows'));
  for (const l of notJudged)
    verdict.reasons.push(
      `"${l.text}" not judged: CPU per request is not separable when one process serves both arms (split by ${spec.split.label})`,
    );

  const fallbacks = resources.reduce((s, r) => s + (r.fallbacks ?? 0), 0);
  const candRequests = resources.filter((r) => r.role === 'candidate').reduce((s, r) => s + r.requests, 0);
  if (!separable) warnings.push(warning('cpu-not-separable', { label: spec.split.label }));
  // The service's own fallback counter (not split by arm: every fallback is a candidate request).
  const counted = (data.queries.fallbacks?.result ?? [])
    .flatMap((s) => s.values)
    .filter(([t]) => t > start && t <= end)
    .reduce((s, [, v]) => s + (Number(v) || 0), 0);
  if (counted >= 0.5 && fallbacks < 0.5)
    warnings.push(warning('canary-fallbacks', { unassigned: Math.round(counted) }));
  if (fallbacks > 0)
    warnings.push(
      warning('canary-fallbacks', {
        fallbacks: Math.round(fallbacks),
        candidateRequests: Math.round(candRequests),
      }),
    );
  const breakerOpens = (data.queries.breakerOpens?.result ?? [])
    .flatMap((s) => s.values)
    .filter(([t]) => t > start && t <= end)
    .reduce((s, [, v]) => s + (Number(v) || 0), 0);
  if (breakerOpens >= 0.5)
    warnings.push(warning('canary-breaker-opened', { opens: Math.round(breakerOpens) }));
  if (w.ignoredValues.size > 0)
    warnings.push(
      warning('canary-unassigned-series', { label: spec.split.label, values: [...w.ignoredValues] }),
    );
  const skipped = windowRows.length - used;
  if (skipped > 0)
    warnings.push(
      warning('canary-windows-skipped', { skipped, windows: windowRows.length, minRequests: minReq }),
    );
  if (spec.horizon && end - start < horizonSeconds(spec.horizon))
    warnings.push(
      warning('canary-shorter-than-horizon', { seconds: Math.round(end - start), horizon: spec.horizon }),
    );
  const assumptions = [
    'Windows are consecutive stretches of time, not randomised runs: neighbouring windows share load, deploys and caches, so they are not independent; the signed-rank test treats them as if they were.',
    'Load changes over the day (diurnal): each window compares both arms under the same load, which the paired test respects, but a change that appears only at peak is averaged with quiet hours.',
    spec.split.label === 'impl'
      ? `The split is by "${spec.split.label}" inside one process: both arms share its CPU, queue, GC and caches, so a gain can look smaller (or a cost larger) than in separate processes; requests that fell back to Go count for the candidate (intent to treat).`
      : `The split is by "${spec.split.label}": separate processes, but which instances took the candidate is the deployment's choice, not a random one; a difference between machines is read as a difference between arms.`,
    ...handlerClockAssumption(data),
  ];

  const shareOverTime = [...w.steps.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, s]) => {
      const total = s.requests[0] + s.requests[1];
      return { t: iso(t), candidateShare: total > 0 ? s.requests[1] / total : 0, requests: total };
    });
  const timeseries: TimeseriesSeries[] = ARMS.map((role) => ({
    runId: LIVE_PHASE,
    role,
    phase: LIVE_PHASE,
    bucketSeconds: data.stepSeconds,
    points: [...w.steps.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([t, s]) => ({
        tSeconds: t - start,
        requests: s.requests[armIndex(role)],
        p50Ms: toMs(spec, histogramQuantile(0.5, s.buckets[armIndex(role)])),
        p99Ms: toMs(spec, histogramQuantile(0.99, s.buckets[armIndex(role)])),
        errors: s.errors[armIndex(role)],
      }))
      .filter((p) => p.requests > 0 && Number.isFinite(p.p50Ms) && Number.isFinite(p.p99Ms)),
    flips: [],
  }));

  const canary: CanaryReport = {
    split: spec.split,
    start: iso(start),
    end: iso(end),
    windowSeconds: end - start,
    stepSeconds: data.stepSeconds,
    unitSeconds,
    ...(spec.horizon ? { horizon: spec.horizon } : {}),
    source: data.source,
    queries: Object.fromEntries(Object.entries(data.queries).map(([k, v]) => [k, v.query])),
    windowsUsed: used,
    windowsSkipped: skipped,
    windows: windowRows,
    shareOverTime,
    stopRule: stopRules.map((r) => ({
      text: r.text,
      status: r.status,
      outcome:
        r.status === 'fail'
          ? `switch back to ${plan.configurations.baseline.name}`
          : r.status === 'pass'
            ? 'keep'
            : 'undecided: keep watching',
    })),
    cpuSeparable: separable,
    assumptions,
  };

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: 'hotswap', version: input.version },
    trial: {
      id: input.id,
      planName: plan.name,
      ...(plan.description ? { description: plan.description } : {}),
      planFrozenAt: input.frozenAt,
      status: 'complete',
    },
    plan: {
      slo: plan.slo,
      capacity: plan.capacity,
      passLines: plan.passLines,
      stopRules: plan.stopRules,
      repetitions: used,
      order: plan.order,
      warmupSeconds: 0,
      seed: plan.seed,
      configurations: {
        baseline: {
          name: plan.configurations.baseline.name,
          description: `live traffic with ${spec.split.label} in {${spec.split.baseline.join(', ')}}`,
        },
        candidate: {
          name: plan.configurations.candidate.name,
          description: `live traffic with ${spec.split.label} in {${spec.split.candidate.join(', ')}}`,
        },
      },
      phases: [
        {
          name: LIVE_PHASE,
          scenario: 'canary',
          driver: 'prometheus',
          description: `${windows} window(s) of ${unitSeconds} s from ${iso(start)} to ${iso(end)}, step ${data.stepSeconds} s`,
        },
      ],
    },
    verdict,
    runs: [],
    summaries,
    comparisons,
    resources,
    capacity: {
      baseline: { role: 'baseline', steps: [], warnings: [] },
      candidate: { role: 'candidate', steps: [], warnings: [] },
    },
    ladders: ladders(summaries, quantiles),
    spectra: [],
    timeseries,
    errors,
    checks: [...checks],
    environment: input.environment,
    builds: {},
    warnings,
    canary,
  };
};

const horizonSeconds = (text: string): number => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text);
  const size: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  return m ? Number(m[1]) * size[m[2]!]! : 0;
};

/** Median across windows of the per-window quantile, per arm and endpoint (no CI: windows are not runs). */
const ladders = (summaries: Summary[], quantiles: readonly number[]): LadderRow[] => {
  const out: LadderRow[] = [];
  const groups = new Map<string, Summary[]>();
  for (const s of summaries) {
    const k = `${s.role}|${s.endpoint}`;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const [k, list] of groups) {
    const [role, endpoint] = k.split('|') as [Role, string];
    for (const q of quantiles) {
      const vals = list.map((s) => s.quantilesMs[String(q)]).filter((v): v is number => v !== undefined);
      if (vals.length === 0) continue;
      out.push({
        role,
        phase: LIVE_PHASE,
        endpoint,
        quantile: q,
        valueMs: median(vals),
        ci95Ms: [null, null],
      });
    }
  }
  return out;
};
