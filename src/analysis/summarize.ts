import { isResponse, PERCENTILES, warning } from '../model/index.js';
import type { RunRecord, SampleSet, StartLateness, Summary, Warning } from '../model/index.js';
import { mean, quantile, quantileCI, quantileCIAround } from './stats/index.js';

/**
 * Per run, per endpoint (and "*" for every request of the run): request count, errors and their
 * classes, mean and quantiles with distribution-free 95 % CIs, achieved rate, implementation shares and
 * mean hotspot time. These per-run figures are the unit of every comparison (compare.ts): per-request
 * latencies are autocorrelated within a run, so runs, not requests, are the independent observations.
 *
 * Latency quantiles are taken over requests that got an HTTP response: a transport error (status 0)
 * has no meaningful duration (k6 records 0 ms for a refused connection) and would pull quantiles down.
 * Transport errors still count as errors. Warm-up is trimmed by ingest before this sees the samples.
 */

/** `X-Hotspot-Impl` absent on a row (src/ingest/builder.ts NO_IMPL; analysis may not import ingest). */
export const NO_IMPL = 0xff;

/** Achieved below this share of the offered rate marks an open-model run as generator- or service-limited. */
export const ACHIEVED_SHARE_MIN = 0.97;

/**
 * Start lateness p99 above this (ms) says the generator, not the service, shaped the arrivals' timing.
 * Measured: 2.7–3.6 ms at 100 rps Poisson on an idle machine with k6 on its own core (GOMAXPROCS=2); 10
 * ms is a tenth of MAX_LATE_MS (scenarios/lib/paced.ts), past which an arrival is not sent at all.
 */
export const START_LATENESS_P99_MAX_MS = 10;

/** Count, median, p99 and max of a run's start lateness (sorted ascending); undefined when there is none. */
export const startLatenessOf = (sorted: Float64Array | undefined): StartLateness | undefined =>
  sorted && sorted.length > 0
    ? {
        count: sorted.length,
        p50: quantile(sorted, 0.5),
        p99: quantile(sorted, 0.99),
        max: sorted[sorted.length - 1]!,
      }
    : undefined;

export interface SummarizeOptions {
  /** Quantiles beyond PERCENTILES that a pass line, stop rule or the SLO names. */
  extraQuantiles?: readonly number[];
  /** Offered arrival rate of the phase, rps (open-model phases), for the generator-limited check. */
  offeredRps?: number;
  /** Server-Timing entries that are time spent waiting (the plan's `serverTiming.wait`). */
  waitTimings?: readonly string[];
}

/** The quantiles to report: PERCENTILES plus any extra, ascending, without duplicates. */
export const quantilesToReport = (extra: readonly number[] = []): number[] =>
  [...new Set<number>([...PERCENTILES, ...extra])].sort((a, b) => a - b);

/** Error class of one request: `http-<status>` or `transport` (no response). */
export const errorClassOf = (status: number): string => (status === 0 ? 'transport' : `http-${status}`);

/** Smallest n whose sample can bound the p-quantile from above at 95 % (p^n ≤ 0.025). */
export const requestsToBoundQuantile = (p: number): number => Math.ceil(Math.log(0.025) / Math.log(p));

export const summarizeRun = (run: RunRecord, samples: SampleSet, opts: SummarizeOptions = {}): Summary[] => {
  const quantiles = quantilesToReport(opts.extraQuantiles);
  const { spanSeconds, runRps } = runRate(samples);
  const groups = groupRows(samples);
  const out: Summary[] = [];
  for (const [endpoint, rows] of groups) {
    out.push(summarizeRows(run, samples, endpoint, rows, { quantiles, spanSeconds, runRps }));
  }
  for (const summary of out) withTimings(summary, samples, opts.waitTimings ?? []);
  const all = out.find((s) => s.endpoint === '*');
  const lateness = startLatenessOf(samples.startLatenessMs);
  if (all && lateness) all.startLatenessMs = lateness;
  // Ingest's own caveats (a truncated last line, an unjoinable custom metric …) qualify the whole run.
  if (all)
    all.warnings.push(
      ...samples.warnings,
      ...generatorWarnings(run, samples, all.achievedRps, opts.offeredRps),
    );
  return out;
};

/**
 * Mean Server-Timing time per request of the summary's endpoint: `downstreamMsMean` from the
 * `downstream` entry, `waitMsMean` from the entries the plan calls waiting; a request without the entry
 * waited 0 ms in it (the mean is over all of the endpoint's requests).
 */
const withTimings = (summary: Summary, samples: SampleSet, wait: readonly string[]): void => {
  const rows = (samples.serverTimings ?? []).filter(
    (t) => summary.endpoint === '*' || t.endpoint === summary.endpoint,
  );
  if (rows.length === 0 || summary.n === 0) return;
  const sum = (names: readonly string[]) => {
    const hit = rows.filter((t) => names.includes(t.name));
    return hit.length ? hit.reduce((s, t) => s + t.msSum, 0) : undefined;
  };
  const down = sum(['downstream']);
  if (down !== undefined) summary.downstreamMsMean = down / summary.n;
  const waited = sum(wait);
  if (waited !== undefined) summary.waitMsMean = waited / summary.n;
};

/** Row indexes per endpoint name, "*" first. */
const groupRows = (samples: SampleSet): Map<string, number[]> => {
  const groups = new Map<string, number[]>([['*', []]]);
  for (let i = 0; i < samples.n; i++) {
    groups.get('*')!.push(i);
    const name = samples.endpoints[samples.endpoint[i]!] ?? '?';
    let g = groups.get(name);
    if (!g) groups.set(name, (g = []));
    g.push(i);
  }
  if (samples.n === 0) groups.clear();
  return groups;
};

/**
 * Measured span and rate of the whole run. With n requests at a constant rate r the timestamps span
 * (n − 1)/r, so (n − 1)/span recovers r without the off-by-one of n/span.
 */
const runRate = (samples: SampleSet): { spanSeconds: number; runRps: number } => {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < samples.n; i++) {
    const t = samples.timestampMs[i]!;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const spanSeconds = samples.n > 1 ? (hi - lo) / 1000 : 0;
  return { spanSeconds, runRps: spanSeconds > 0 ? (samples.n - 1) / spanSeconds : 0 };
};

interface RowContext {
  quantiles: number[];
  spanSeconds: number;
  runRps: number;
}

const summarizeRows = (
  run: RunRecord,
  samples: SampleSet,
  endpoint: string,
  rows: number[],
  ctx: RowContext,
): Summary => {
  const buffer = new Float64Array(rows.length);
  let responses = 0;
  const errorClasses: Record<string, number> = {};
  let errors = 0;
  for (const i of rows) {
    const status = samples.status[i]!;
    if (isResponse(samples, i)) buffer[responses++] = samples.latencyMs[i]!;
    if (samples.failed[i]) {
      errors++;
      const cls = errorClassOf(status);
      errorClasses[cls] = (errorClasses[cls] ?? 0) + 1;
    }
  }
  const sorted = buffer.subarray(0, responses).sort();
  const quantilesMs: Record<string, number> = {};
  const quantileCI95Ms: Record<string, [number | null, number | null]> = {};
  for (const p of ctx.quantiles) {
    const q = quantile(sorted, p);
    quantilesMs[String(p)] = q;
    // Never an estimate outside its own interval (stats/describe.ts quantileCIAround says why it can be).
    quantileCI95Ms[String(p)] = quantileCIAround(quantileCI(sorted, p, 0.95), q);
  }
  const n = rows.length;
  const { implShare, hotspotMsMean } = implFigures(samples, rows, endpoint);
  const summary: Summary = {
    runId: run.id,
    role: run.role,
    phase: run.phase,
    endpoint,
    n,
    errors,
    errorRate: n > 0 ? errors / n : 0,
    meanMs: mean(sorted),
    quantilesMs,
    quantileCI95Ms,
    durationSeconds: ctx.spanSeconds,
    achievedRps: samples.n > 0 ? (ctx.runRps * n) / samples.n : 0,
    errorClasses,
    implShare,
    warnings: quantileWarnings(sorted.length, ctx.quantiles, quantileCI95Ms),
  };
  if (hotspotMsMean !== undefined) summary.hotspotMsMean = hotspotMsMean;
  return summary;
};

/**
 * Implementation shares and mean hotspot time: from per-request rows when ingest could join the
 * `X-Hotspot-Impl`/Server-Timing values to requests, else from the run's custom-metric totals
 * (`impl_served`, `hotspot_ms`) for that endpoint.
 */
const implFigures = (
  samples: SampleSet,
  rows: number[],
  endpoint: string,
): { implShare: Record<string, number>; hotspotMsMean?: number } => {
  const counts: Record<string, number> = {};
  let tagged = 0;
  let hotSum = 0;
  let hotN = 0;
  for (const i of rows) {
    const k = samples.impl[i]!;
    if (k !== NO_IMPL) {
      const name = samples.impls[k] ?? '?';
      counts[name] = (counts[name] ?? 0) + 1;
      tagged++;
    }
    const h = samples.hotspotMs[i]!;
    if (!Number.isNaN(h)) {
      hotSum += h;
      hotN++;
    }
  }
  if (tagged === 0 && samples.implServed) {
    for (const a of samples.implServed) {
      if (endpoint !== '*' && a.endpoint !== endpoint) continue;
      counts[a.impl] = (counts[a.impl] ?? 0) + a.served;
      tagged += a.served;
      hotSum += a.hotspotMsSum;
      hotN += a.hotspotSamples;
    }
  }
  const implShare: Record<string, number> = {};
  for (const [name, c] of Object.entries(counts)) implShare[name] = c / tagged;
  return hotN > 0 ? { implShare, hotspotMsMean: hotSum / hotN } : { implShare };
};

const fmtP = (p: number): string => `p${+(p * 100).toFixed(3)}`;

/** One warning naming every reported quantile whose 95 % CI the sample cannot bound from above. */
const quantileWarnings = (
  n: number,
  quantiles: number[],
  cis: Record<string, [number | null, number | null]>,
): Warning[] => {
  const unbounded = quantiles.filter((p) => cis[String(p)]?.[1] === null);
  if (n === 0) return [warning('no-responses')];
  if (unbounded.length === 0) return [];
  const worst = Math.max(...unbounded);
  return [
    warning('few-requests-for-quantile', {
      quantiles: unbounded.map(fmtP),
      requests: n,
      worst: fmtP(worst),
      needed: requestsToBoundQuantile(worst),
    }),
  ];
};

/**
 * Open-model runs whose generator dropped iterations, fell short of the offered rate, or started paced
 * arrivals late.
 */
const generatorWarnings = (
  run: RunRecord,
  samples: SampleSet,
  achievedRps: number,
  offeredRps: number | undefined,
): Warning[] => {
  const out: Warning[] = [];
  const offered = offeredRps ?? run.generator.offeredRps;
  if (run.generator.limited) {
    out.push(
      warning('generator-limited', {
        in: 'summary',
        ...(run.generator.limitedReason ? { reason: run.generator.limitedReason } : {}),
      }),
    );
  }
  if (samples.droppedIterations > 0) {
    out.push(warning('dropped-iterations', { dropped: samples.droppedIterations }));
  }
  if (offered !== undefined && offered > 0 && achievedRps < ACHIEVED_SHARE_MIN * offered) {
    out.push(warning('rate-not-achieved', { achievedRps, offeredRps: offered }));
  }
  const late = startLatenessOf(samples.startLatenessMs);
  if (late && late.p99 > START_LATENESS_P99_MAX_MS) {
    out.push(
      warning('arrivals-started-late', {
        p99Ms: late.p99,
        maxMs: late.max,
        count: late.count,
        boundMs: START_LATENESS_P99_MAX_MS,
      }),
    );
  }
  return out;
};
