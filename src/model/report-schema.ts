import { z } from 'zod';
import { CANARY_QUERIES } from './canary.js';
import { ARRIVALS, CHECK_STATUSES, DECISIONS, METRICS, ROLES } from './constants.js';
import { buildInfoSchema, environmentSchema, runRecordSchema } from './manifest-schema.js';
import { planObjectSchema, SPENDING } from './plan.js';
import { figure, nullableNumber, open, openPair, warningsSchema as warnings } from './schema-kit.js';

/**
 * The schema of report.json (**contract**: ReportModel), checked before rendering so that a string where a
 * number belongs is one line naming the file and the field, not a TypeError inside an exporter; and the
 * one definition of the report's types (analysis.ts, report.ts, correctness.ts and canary.ts export
 * `z.output` of the schemas below). Unknown keys pass at every level (report.json grows by additions
 * within a schemaVersion, and other stages add sections); the keys listed are strict about their types.
 * A `figure` is a number that may be NaN or unbounded in the model, written as `null` by JSON.stringify;
 * exporters show those as "—". Sections, in the report's order: summaries, comparisons, resources,
 * capacity, checks and verdict, ladders/spectra/timeseries/errors, correctness, profiles, canary,
 * drills, bet, the plan section, the report.
 */
const str = z.string();
const bool = z.boolean();
const role = z.enum(ROLES);
const arrivals = z.enum(ARRIVALS);
/** A finite pair, e.g. a bootstrap CI. */
const pair = z.tuple([figure, figure]);

/** An object whose listed keys are all optional and of one type, e.g. `Partial<Record<Source, number>>`. */
const partialOf = <K extends string, T extends z.ZodType>(keys: readonly K[], value: T) =>
  open(Object.fromEntries(keys.map((k) => [k, value.optional()])) as { [P in K]: z.ZodOptional<T> });

// ── summaries ────────────────────────────────────────────────────────────────────────────────────────

/** Quantiles keyed by probability as written in PERCENTILES ("0.5", "0.99", …). */
export const quantileMapSchema = z.record(str, figure);
/** Distribution-free 95 % CI per quantile; null for a side the sample cannot bound. */
export const quantileCIMapSchema = z.record(str, openPair);

/**
 * Arrivals started and how late (scheduled vs actual start), ms: median, p99 (linear interpolation,
 * numpy's default) and the latest. k6 reads its clock in whole milliseconds, so each value is ±1 ms.
 */
export const startLatenessSchema = open({ count: figure, p50: figure, p99: figure, max: figure });

/** One run, one endpoint ("*" = every request of the run). */
export const summarySchema = open({
  runId: str,
  role,
  phase: str,
  endpoint: str,
  /** Requests after warm-up. */
  n: figure,
  errors: figure,
  errorRate: figure,
  meanMs: figure,
  quantilesMs: quantileMapSchema,
  quantileCI95Ms: quantileCIMapSchema,
  /** Measured seconds (after warm-up) and requests completed per second over them. */
  durationSeconds: figure,
  achievedRps: figure,
  /** Error classes ("http-500", "http-413", "transport") → count. */
  errorClasses: z.record(str, figure),
  /** Share of requests per `X-Hotspot-Impl` value. */
  implShare: z.record(str, figure),
  /** Mean hotspot time per request from Server-Timing, ms (absent when the service does not say). */
  hotspotMsMean: figure.optional(),
  /**
   * Mean time per request spent waiting on a downstream (Server-Timing `downstream` dur), ms; absent
   * when the service does not say. The report shows it as a share of meanMs ("downstream-wait share").
   */
  downstreamMsMean: figure.optional(),
  /**
   * Mean time per request in the Server-Timing entries the plan calls waiting (`serverTiming.wait`:
   * db, cache, downstream…), ms; absent when the plan names none or the service sent none.
   */
  waitMsMean: figure.optional(),
  /**
   * CPU seconds per request of this endpoint from the run's CPU profile (the samples labelled
   * `endpoint=<this>` ÷ this endpoint's requests in the profile window); absent without a profile.
   */
  cpuSecondsPerRequest: figure.optional(),
  /**
   * On the run's "*" summary only: how late the generator started the run's paced arrivals (k6
   * `start_lateness_ms`: Poisson and replay phases), ms, after warm-up. Absent for uniform phases (k6's
   * own executor paces those and records no lateness) and for drivers without paced arrivals.
   */
  startLatenessMs: startLatenessSchema.optional(),
  warnings,
});

// ── comparisons ──────────────────────────────────────────────────────────────────────────────────────

export const armValuesSchema = open({
  /** One value per run, in run order. */
  values: z.array(figure),
  runIds: z.array(str),
  median: figure,
});

/** How a comparison was tested. */
export const COMPARISON_METHODS = [
  'mann-whitney-exact',
  'mann-whitney-asymptotic',
  'none',
  'wilcoxon-signed-rank-exact',
  'wilcoxon-signed-rank-permutation',
  'wilcoxon-signed-rank-approx',
] as const;

/** Run-level comparison of one figure, baseline vs candidate, across runs. */
export const comparisonSchema = open({
  phase: str,
  endpoint: str,
  metric: z.enum(METRICS),
  /** For latencyMs: the quantile compared (each run contributes its own value of it). */
  quantile: figure.optional(),
  unit: str,
  baseline: armValuesSchema,
  candidate: armValuesSchema,
  /** median(candidate)/median(baseline); < 1 is an improvement for costs and latencies. */
  ratio: figure,
  /** Bootstrap-over-runs 95 % CI of the ratio (seeded). */
  ratioCI95: pair,
  /**
   * Distribution-free 95 % CI of the ratio from the Mann-Whitney test inverted on log values (Moses /
   * Bauer 1972 shift interval); null for a side too few runs cannot bound. Checks judge on the wider of
   * this and `ratioCI95`, since a bootstrap over a handful of runs is too narrow.
   */
  ratioCI95Rank: openPair.optional(),
  /**
   * The ratio CI the checks judge on and the one to show: the wider of `ratioCI95` and `ratioCI95Rank`;
   * null for an unbounded side (≤ 3 runs per arm leaves both sides unbounded).
   */
  judgedCI95: openPair.optional(),
  /** Mann-Whitney U on per-run values, two-sided. */
  pValue: figure,
  /** Holm-adjusted across all comparisons judged in the trial. */
  pAdjusted: figure,
  method: z.enum(COMPARISON_METHODS),
  significant: bool,
  /** Hodges-Lehmann shift (candidate − baseline), in `unit`. */
  hodgesLehmann: figure,
  cliffsDelta: figure,
  /**
   * Holm family: `verdict` = judged by a pass line or stop rule (corrected among themselves);
   * `descriptive` = shown only (corrected among themselves), so showing more rows cannot weaken the verdict.
   */
  family: z.enum(['verdict', 'descriptive']).optional(),
  warnings,
});

// ── resources ────────────────────────────────────────────────────────────────────────────────────────

/** Where a resource figure came from. */
export const RESOURCE_SOURCES = ['cgroup', 'proc', 'prometheus'] as const;
const resourceSource = z.enum(RESOURCE_SOURCES);

/** report.json `resources[].shadow`: the service's shadow mode over one run (GitHub Scientist). */
export const shadowFiguresSchema = open({
  /** Requests both implementations ran on (match + mismatch + rust_error). */
  compared: figure,
  mismatches: figure,
  rustErrors: figure,
  /** Mean hotspot time of each implementation on the shadowed requests, milliseconds. */
  goMsMean: figure.optional(),
  rustMsMean: figure.optional(),
});

/** Resource cost of one run, from the service's Prometheus counters scraped before and after. */
export const resourceUseSchema = open({
  runId: str,
  role,
  phase: str,
  requests: figure,
  cpuSecondsPerRequest: figure.optional(),
  /** Go heap bytes allocated per request (go_memstats_alloc_bytes_total delta / requests). */
  goAllocBytesPerRequest: figure.optional(),
  /** Bytes the Rust crate allocated per request (its own counting allocator). */
  rustAllocBytesPerRequest: figure.optional(),
  allocBytesPerRequest: figure.optional(),
  rssBytesSteady: figure.optional(),
  rssBytesPeak: figure.optional(),
  gcPauseP99Ms: figure.optional(),
  fallbacks: figure.optional(),
  /**
   * Responses whose result differed between the Go and Rust paths for the same request (shadow or
   * replay check), when the run measured it; absent = not measured, shown as such in the report.
   */
  mismatches: figure.optional(),
  /** The service's shadow mode over the run (hotswap_shadow_*), when it shadowed any request. */
  shadow: shadowFiguresSchema.optional(),
  cgoCallsPerRequest: figure.optional(),
  /** Share of server CPU/time spent in the hotspot (Server-Timing sum / service CPU seconds). */
  hotspotShare: figure.optional(),
  /**
   * Where `cpuSecondsPerRequest` and the memory figures came from: the service's own Prometheus counters,
   * or the OS (the cgroup hotswap made for the service, or /proc of its process tree).
   */
  sources: open({ cpu: resourceSource.optional(), memory: resourceSource.optional() }).optional(),
  /** CPU seconds per request by source, when more than one measured it (e.g. { prometheus, cgroup }). */
  cpuSecondsPerRequestBySource: partialOf(RESOURCE_SOURCES, figure).optional(),
  warnings,
});

// ── capacity ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * Why a capacity search ended. `converged`: failRps / passRps ≤ 1 + resolution and a confirmation probe
 * at passRps passed; `max-rps`, `budget`, `generator`: stopped by the cap, the time budget or a limited
 * load generator, so passRps is only a lower bound on the knee; `never-passed`: not even the first probe
 * (fromRps) met the SLO; `unfinished`: the trial stopped mid-search (interrupted, or the service died).
 */
export const SEARCH_STOPS = [
  'converged',
  'max-rps',
  'budget',
  'generator',
  'never-passed',
  'unfinished',
] as const;

/** Why the search chose a probe's rate: start, grow (×2), seed (CPU), gallop (near the seed), bisect, confirm. */
export const PROBE_PURPOSES = ['start', 'grow', 'seed', 'gallop', 'bisect', 'confirm'] as const;
const probePurpose = z.enum(PROBE_PURPOSES);

export const searchProbeSchema = open({
  runId: str,
  /** Offered (constant) arrival rate of the probe. */
  rateRps: figure,
  /** The SLO quantile of the probe's own latencies, ms (NaN when it had no response). */
  quantileMs: figure,
  errorRate: figure,
  achievedRps: figure,
  requests: figure,
  seconds: figure,
  pass: bool,
  /** Why the search chose this rate: start, grow (×2), seed (CPU), gallop (near the seed), bisect, confirm. */
  purpose: probePurpose,
  /** Why it failed, one short clause per criterion missed. */
  failedOn: z.array(str).optional(),
});

/** One capacity search of one configuration and repetition (analysis/capacity/search.ts). */
export const capacitySearchSchema = open({
  repetition: figure,
  phase: str,
  /** Highest rate where every probe passed, below failRps; absent when none passed. */
  passRps: figure.optional(),
  /** Lowest rate where the service failed a probe; absent when none failed. */
  failRps: figure.optional(),
  /**
   * Lowest rate at which the load generator was the limit (its core saturated): nothing above it was
   * measured, and a search that stops there (`stoppedBy: generator`) gives a lower bound on the knee.
   */
  generatorCeilingRps: figure.optional(),
  /** Probes in the order they ran. */
  probes: z.array(searchProbeSchema),
  stoppedBy: z.enum(SEARCH_STOPS),
  /** How the probes' arrivals were timed (the knee under Poisson arrivals is the honest one). */
  arrivals: str,
  /** The seed from the first probe's CPU per request, when the search was seeded. */
  seed: open({
    cpuSecondsPerRequest: figure,
    /** 1 / CPU seconds per request: where the pinned core saturates. */
    saturationRps: figure,
    /** The rate the search jumped to after its first probe. */
    seedRps: figure,
  }).optional(),
  /** Seconds of load over all probes, and wall seconds from the first probe's start to the last's end. */
  loadSeconds: figure,
  wallSeconds: figure,
  /** Only while the search goes on (`unfinished`): the probe it runs next (the trial's strategy reads it). */
  next: open({ rateRps: figure, durationSeconds: figure, purpose: probePurpose }).optional(),
});

/** Per-instance capacity of one configuration and the fleet it implies at peak. */
export const capacityEstimateSchema = open({
  role,
  /** Highest ramp step with p99 ≤ SLO, errors ≤ bound and achieved ≥ 97 % of offered; undefined if none. */
  kneeRps: figure.optional(),
  /** CPU-based: cores × target utilisation / CPU seconds per request. */
  cpuBasedRps: figure.optional(),
  /** When even the lowest ramp step missed the SLO: the capacity is below this rate (no knee measured). */
  kneeBelowRps: figure.optional(),
  /**
   * True when no measured rate met the SLO (even the lowest step missed it): then no fleet is sized
   * (no perInstanceRps, instances or cost) and no saving is computed from this configuration.
   */
  noRateMeetsSlo: bool.optional(),
  /** The per-instance rate used for sizing: the smaller of the two that exist. */
  perInstanceRps: figure.optional(),
  /**
   * Which estimate set perInstanceRps (`knee-upper-bound`: no longer produced, a failing step never sizes;
   * `knee-lower-bound`: the highest ramp step, every step met the SLO, so the real knee is higher).
   */
  sizedBy: z.enum(['knee', 'cpu', 'knee-upper-bound', 'knee-lower-bound']).optional(),
  /** True when kneeRps is only a lower bound: the ramp ended before the knee (every step met the SLO). */
  kneeIsLowerBound: bool.optional(),
  /** ceil(peak / perInstanceRps) before redundancy, then with it. */
  instancesForPeak: figure.optional(),
  instances: figure.optional(),
  costPerMonth: figure.optional(),
  /** Ramp steps for the throughput-vs-p99 chart. */
  steps: z.array(
    open({ offeredRps: figure, achievedRps: figure, p99Ms: figure, errorRate: figure, ok: bool }),
  ),
  /**
   * The capacity search (phase `capacity-search`), when the plan has one: the search of the median
   * repetition (by passRps; the lower one of two), whose passRps is kneeRps when it converged.
   */
  search: capacitySearchSchema.optional(),
  /** Every repetition's search, in repetition order (one per repetition, interleaved with the other arm). */
  searches: z.array(capacitySearchSchema).optional(),
  /** With two or more converged searches: the lowest and highest knee (passRps) among them. */
  kneeRangeRps: pair.optional(),
  warnings,
});

export const queueModelRowSchema = open({
  runId: str,
  phase: str,
  rateRps: figure,
  /** Utilisation: rate × CPU seconds per request ÷ servers. */
  rho: figure,
  cpuMsPerRequest: figure,
  /** Mean latency of the run minus E[S], ms. */
  measuredWaitMs: figure,
  /** Predicted mean wait, ms (Infinity at ρ ≥ 1). */
  pkWaitMs: figure,
  erlangWaitMs: figure,
  /** The run E[S] and Cs² come from (its measured wait is 0 by construction). */
  reference: bool,
  /** Counted in the fit (ρ < 0.9, a wait of at least 0.5 ms predicted or measured, not the reference). */
  judged: bool,
  /** max(predicted/measured, measured/predicted) when judged. */
  pkFactor: figure.optional(),
  erlangFactor: figure.optional(),
});

const fit = z.enum(['close', 'rough', 'off', 'unjudged']);

/**
 * The queueing model check of one configuration (src/analysis/capacity/queue-check.ts): the M/G/1
 * (Pollaczek–Khinchine) and M/M/c (Erlang C) mean waits at each Poisson run's utilisation against the
 * wait the run measured, so a planner sees whether the queueing what-ifs fit this service.
 */
export const queueModelCheckSchema = open({
  role,
  /** Servers ρ is spread over (1: one core, as the service runs pinned). */
  servers: figure,
  /** The service-time estimate: the lowest-load Poisson run's per-request latency (see queue-check.ts). */
  serviceTime: open({
    source: z.literal('lowest-load-latency'),
    runId: str,
    rateRps: figure,
    /** E[S], ms. */
    meanMs: figure,
    /** Cs² = Var[S] / E[S]². */
    scv: figure,
    /** The same run's CPU per request, ms (what ρ is made of), for comparison with E[S]. */
    cpuMsPerRequest: figure,
  }),
  /** One row per Poisson run (ramp phases are left out: their rate changes within the run). */
  rows: z.array(queueModelRowSchema),
  /** Largest predicted/measured factor over the judged rows: ≤1.5 close, ≤3 rough, else off. */
  fit,
  erlangFit: fit,
  pkWorstFactor: figure.optional(),
  erlangWorstFactor: figure.optional(),
  warnings,
});

/** The instance saving as a range over the repeated searches' knees (capacity.savingsRange). */
export const savingsRangeSchema = open({ instances: pair, moneyPerMonth: pair, currency: str });

export const savingsSchema = open({
  instances: figure,
  moneyPerMonth: figure,
  currency: str,
  /** Relative saving, (baseline − candidate) / baseline. */
  share: figure,
});

const capacitySection = open({
  baseline: capacityEstimateSchema,
  candidate: capacityEstimateSchema,
  savings: savingsSchema.optional(),
  /** The phase the knee was read from and its arrivals ("knee under Poisson arrivals"). */
  kneePhase: open({ name: str, arrivals: arrivals.optional() }).optional(),
  /** Queueing model check per configuration, from the runs with Poisson arrivals (none: absent). */
  queueModel: z.array(queueModelCheckSchema).optional(),
  /** With repeated capacity searches: the saving at the knees' extremes (fewest and most instances). */
  savingsRange: savingsRangeSchema.optional(),
});

// ── checks and verdict ───────────────────────────────────────────────────────────────────────────────

/** The judgement of one pass line or stop rule. */
export const checkResultSchema = open({
  id: str,
  title: str,
  /** The line as the plan's author wrote it. */
  text: str,
  /** How it is judged, in a sentence (e.g. "pass when the whole 95 % CI of the change is ≤ −30 %"). */
  howJudged: str,
  status: z.enum(CHECK_STATUSES),
  /** The figures behind the status: estimate, CI, threshold, p, n … */
  figures: z.record(str, z.union([z.number(), str, z.null()])),
  message: str,
  warnings,
});

/**
 * A look schedule's state at the look the verdict was judged at (`verdict.sequential`, ARCHITECTURE.md
 * contract: look, looks, runsPerArm, stoppedEarly, boundary; the rest is additive).
 */
export const sequentialVerdictSchema = open({
  /** 1-based look the verdict was judged at. */
  look: figure,
  looks: figure,
  /** Runs per arm the schedule had reached at that look. */
  runsPerArm: figure,
  /** True when the trial stopped before the last look. */
  stoppedEarly: bool,
  /** The nominal one-sided p threshold the pass lines used at that look (c_k; 0 = none could pass). */
  boundary: figure,
  /** The drop family's nominal level at that look (each test that can cause a drop, α split over them). */
  dropBoundary: figure,
  /** Tests in the drop family (the α of each is alpha / dropTests). */
  dropTests: figure,
  spending: z.enum(SPENDING),
  alpha: figure,
  /** What the trial does after this look. */
  action: z.enum(['stop', 'continue']),
  /** settled-pass | settled-fail | curtailed (no later look can change the outcome) | max | open. */
  reason: z.enum(['settled-pass', 'settled-fail', 'curtailed', 'max', 'open']),
  /** How the boundaries were computed: exact enumeration, or Monte Carlo with its standard error. */
  method: z.enum(['exact', 'monte-carlo']),
  standardError: figure.optional(),
});

export const verdictSchema = open({
  decision: z.enum(DECISIONS),
  /** One sentence each, most important first. */
  reasons: z.array(str),
  checks: z.array(checkResultSchema),
  stopRules: z.array(checkResultSchema),
  /** When inconclusive: runs per arm that would likely settle it (null when no number of runs would). */
  moreRunsPerArm: nullableNumber.optional(),
  /** When inconclusive and estimable: how many runs per arm beyond those made (moreRunsPerArm − current). */
  additionalRunsPerArm: figure.optional(),
  /**
   * The phase the pass lines, stop rules and SLO were judged on (the first steady phase, else the
   * first compared one), set by the analysis so report and CLI need not re-derive it; absent in
   * reports written before it existed.
   */
  phase: str.optional(),
  /**
   * Set when the trial cannot be judged at all (every baseline run of the judged phase failed, or the
   * load generator failed): the decision is then inconclusive and the CLI exits 3 with this reason.
   */
  unjudgeable: str.optional(),
  /** With a look schedule (plan `repetitions: { min, max, every }`): where the trial stood. */
  sequential: sequentialVerdictSchema.optional(),
});

// ── ladders, spectra, timeseries, errors ─────────────────────────────────────────────────────────────

export const ladderRowSchema = open({
  role,
  phase: str,
  endpoint: str,
  quantile: figure,
  /** Median across runs of the per-run quantile, and the 95 % CI across runs (bootstrap). */
  valueMs: figure,
  ci95Ms: openPair,
  /** Per-request CI of the pooled quantile (order statistics), for reference only. */
  pooledCI95Ms: openPair.optional(),
  /**
   * Requests per run (median across runs) this row's per-run quantiles come from, and the fewest a run
   * needs for this percentile (its 95 % order-statistic CI bounded on both sides: p50 6, p90 36, p95 72,
   * p99 368, p99.9 3 688; stats/quantile-ci.ts minRequestsForQuantile).
   */
  requestsPerRun: figure.optional(),
  minRequests: figure.optional(),
  /**
   * True when runs had fewer requests (median per run) than `minRequests`: show "too few requests for
   * p99.9" instead of the number (the value is then little more than a run's maximum, and may lie
   * outside its own CI).
   */
  tooFewRequests: bool.optional(),
});

export const spectrumSeriesSchema = open({
  role,
  phase: str,
  endpoint: str,
  /** Pairs of (probability, latency ms), probabilities spaced on a log scale of 1/(1−p). */
  points: z.array(open({ p: figure, latencyMs: figure })),
});

/** A moment marked on a run's timeline (a fault drill's injection, trip, clearing, recovery). */
export const timeseriesEventSchema = open({
  /** Seconds after the run's first response, as the series' points. */
  tSeconds: figure,
  label: str,
});

export const timeseriesSeriesSchema = open({
  runId: str,
  role,
  phase: str,
  /** Bucket width in seconds. */
  bucketSeconds: figure,
  points: z.array(
    open({
      tSeconds: figure,
      requests: figure,
      p50Ms: figure,
      p99Ms: figure,
      errors: figure,
      rustShare: figure.optional(),
    }),
  ),
  /** Seconds into the run where the hotspot implementation changed (rollback drill). */
  flips: z.array(open({ tSeconds: figure, from: str, to: str })),
  /** Fault-drill moments (injected, breaker open, cleared, Rust again), when the run is one. */
  events: z.array(timeseriesEventSchema).optional(),
});

export const errorClassRowSchema = open({
  errorClass: str,
  endpoint: str,
  baseline: figure,
  candidate: figure,
  /** True when the candidate has it and the baseline does not. */
  isNew: bool,
  /**
   * One example message of this class as the service or driver wrote it (truncated, e.g. to 200
   * characters), so a reader sees what the error was. Untrusted text: exporters escape it.
   */
  example: str.optional(),
});

// ── correctness ──────────────────────────────────────────────────────────────────────────────────────

export const correctnessExampleSchema = open({
  line: figure,
  endpoint: str,
  baselineStatus: figure,
  candidateStatus: figure,
  baselineDigest: str,
  candidateDigest: str,
  /** The request body's first bytes (or the request line when it has no body), for a reader to find it. */
  requestPrefix: str,
});

/** report.json `correctness`: a contract field of the report (it grows by additions only). */
export const correctnessReportSchema = open({
  /** Candidate requests on lines the baseline answered deterministically (the compared ones). */
  comparedRequests: figure,
  /** Of those, requests whose status or body digest differs from the baseline's answer to the line. */
  mismatches: figure,
  /** Lines left out because the baseline's own answers to them disagree (Diffy's noise floor). */
  noisyLines: figure,
  byEndpoint: z.record(str, open({ compared: figure, mismatches: figure })),
  /** The first mismatching lines (by line number), at most MAX_EXAMPLES. */
  examples: z.array(correctnessExampleSchema),
  /** mismatches / comparedRequests and its 95 % Wilson score interval (requests treated as independent). */
  mismatchShare: figure.optional(),
  mismatchShareCi95: pair.optional(),
  /** Distinct lines compared, and lines skipped because their endpoint is in `ignoreEndpoints`. */
  comparedLines: figure,
  ignoredLines: figure,
  /** Candidate requests on noisy lines (not compared). */
  noisyRequests: figure,
  /**
   * Candidate requests on lines no baseline run answered (a candidate run that got further through the
   * corpus than every baseline run): nothing to compare them with.
   */
  unpairedRequests: figure,
});

// ── profiles ─────────────────────────────────────────────────────────────────────────────────────────

/** One function's shares of a CPU profile's samples, 0..1. */
export const profileFunctionSchema = open({
  name: str,
  /** Share of samples with this function as the leaf frame (running itself). */
  flat: figure,
  /** Share of samples with this function anywhere in the stack (counted once per sample). */
  cum: figure,
});

/**
 * One node of a profile's call tree (root = all samples), pruned to the nodes worth drawing. The one
 * hand-written type of the report: a recursive schema needs its type spelled out, and the annotation
 * below makes the compiler check the schema against it.
 */
export interface ProfileNode {
  name: string;
  /** Samples in this node's subtree (CPU nanoseconds ÷ the sampling period). */
  samples: number;
  children: ProfileNode[];
}
export const profileNodeSchema: z.ZodType<ProfileNode, unknown> = z.lazy(() =>
  open({ name: str, samples: figure, children: z.array(profileNodeSchema) }),
);

/** CPU of one endpoint in a profile (the samples carrying the pprof label `endpoint=<endpoint>`). */
export const endpointCpuSchema = open({
  endpoint: str,
  cpuSeconds: figure,
  /** Requests of this endpoint in the profile window, when known. */
  requests: figure.optional(),
  cpuSecondsPerRequest: figure.optional(),
});

/** A share of a profile's samples with its binomial 95 % CI (Wilson score interval on n samples). */
export const sampledShareSchema = open({ share: figure, ci95: pair });

/**
 * One CPU profile (Go pprof, 100 Hz) of one run: the top functions, the hotspot share (cumulative share of
 * the functions matching the plan's patterns), the Rust share (samples under cgo calls), CPU per endpoint.
 * Shares are 0..1 of the profile's samples; `tooFewSamples` when fewer than `minSamples`.
 */
export const profileSummarySchema = open({
  role,
  phase: str,
  runId: str,
  /** The profile's own duration, seconds. */
  seconds: figure,
  /** CPU samples in the profile. */
  samples: figure,
  /** CPU seconds the samples stand for. */
  cpuSeconds: figure,
  /** Offered rate of the load during the profile, requests/s (a dedicated profiling load's rate). */
  rateRps: figure.optional(),
  /**
   * Why the profile ran at `rateRps`, for a capacity search's profile run: `highest-passing-probe` (the
   * search's passRps) or `plan` (profile.rateRps). Absent for other profiles.
   */
  rateFrom: z.enum(['highest-passing-probe', 'plan']).optional(),
  /**
   * What share of the service's own CPU in the profile's window the samples stand for: `share` =
   * profile CPU seconds ÷ `serviceCpuSeconds` (the OS's figure, cgroup or /proc, read just before the
   * profile request and just after its answer), capped at 1. Shares in this summary are shares of the
   * sampled part. Absent when the service's CPU was not read.
   */
  coverage: open({ share: figure, serviceCpuSeconds: figure, source: z.enum(['cgroup', 'proc']) }).optional(),
  /** Cumulative share of the hotspot's functions, 0..1; absent when `tooFewSamples`. */
  hotspotShare: figure.optional(),
  hotspotCI95: pair.optional(),
  /** Share of samples under `runtime.cgocall` / `_Cfunc_*` (time in Rust, or C), with its CI. */
  rustShare: sampledShareSchema.optional(),
  /** Share of samples without an `endpoint` label (GC, connection handling before the handler). */
  unlabelledShare: figure,
  minSamples: figure,
  tooFewSamples: bool,
  topFunctions: z.array(profileFunctionSchema),
  byEndpoint: z.array(endpointCpuSchema),
  /** The call tree (root first), nodes under 0.5 % of the samples pruned, for the icicle chart. */
  tree: profileNodeSchema,
  warnings,
});

// ── canary ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * The label that tells the two arms apart and the values of each arm. Default: `impl`, baseline
 * `go`, candidate `rust`, `go-fallback`, `go-breaker` (intent to treat: a request sent to Rust that
 * Go served after a failure still counts against Rust).
 */
export const canarySplitSchema = open({ label: str, baseline: z.array(str), candidate: z.array(str) });

/** Where a canary's data came from. */
export const canarySourceSchema = open({
  kind: z.enum(['prometheus', 'file']),
  url: str.optional(),
  file: str.optional(),
});

/** One window's figures for one arm (endpoint "*" = all endpoints together). */
export const canaryWindowArmSchema = open({
  requests: figure,
  errors: figure,
  /** Requests of the candidate arm served by Go after a Rust failure (go-fallback, go-breaker). */
  fallbacks: figure.optional(),
  quantilesMs: z.record(str, figure),
  meanMs: figure.optional(),
  cpuSecondsPerRequest: figure.optional(),
});

/** The report's canary header: window, step, share on the candidate over time, judgement per window. */
export const canaryReportSchema = open({
  split: canarySplitSchema,
  /** ISO-8601 start and end of the range read. */
  start: str,
  end: str,
  windowSeconds: figure,
  stepSeconds: figure,
  unitSeconds: figure,
  horizon: str.optional(),
  source: canarySourceSchema,
  queries: partialOf(CANARY_QUERIES, str),
  /** Windows compared (both arms had enough requests) and left out. */
  windowsUsed: figure,
  windowsSkipped: figure,
  windows: z.array(
    open({
      id: str,
      start: str,
      end: str,
      used: bool,
      /** Why a window was left out ("baseline had 3 requests (< 100)"). */
      skippedReason: str.optional(),
      /** Share of all requests in the window on the candidate arm (0..1). */
      candidateShare: figure,
      baseline: canaryWindowArmSchema.optional(),
      candidate: canaryWindowArmSchema.optional(),
      /** Per-window log-ratio of the judged latency quantile (candidate/baseline), and its sign. */
      judgedRatio: figure.optional(),
      judgement: z.enum(['better', 'worse', 'same']).optional(),
    }),
  ),
  /** Share of requests on the candidate arm per step (the rollout as it went). */
  shareOverTime: z.array(open({ t: str, candidateShare: figure, requests: figure })),
  /** The stop rule(s) as judged: "keep" or the rule's consequence. */
  stopRule: z.array(open({ text: str, status: str, outcome: str })),
  /** False with an `impl` split: one process serves both arms, so its CPU seconds cannot be divided. */
  cpuSeparable: bool,
  /** Assumptions that differ from a lab trial, one sentence each. */
  assumptions: z.array(str),
});

// ── drills ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * **contract** (report.json `drills[]`): one drill run of the candidate and its measured times
 * (src/analysis/drills.ts says how each is read from the responses). Times not measured are null.
 */
export const drillResultSchema = open({
  kind: z.enum(['fault', 'rollback']),
  runId: str,
  /** Requests of the run that failed (non-2xx or transport error): 0 is the claim. */
  failedRequests: figure,
  /** Fault drill: injection → first response served by Go because the breaker was open, seconds. */
  tripSeconds: nullableNumber,
  /** Fault drill: clearing → first Rust-served response after the breaker's last open spell, seconds. */
  recoverySeconds: nullableNumber,
  /**
   * Rollback drill: flip call → Rust off (the later of the flip's acknowledgement and the end of the last
   * Rust-served response), milliseconds.
   */
  rollbackMs: nullableNumber,
  /** Rollback drill: flip call → start of the first request of the all-Go stretch, milliseconds. */
  allGoMs: nullableNumber.optional(),
  /** Fault drill: share of hotspot responses Go served between injection and recovery, 0–1. */
  goShare: nullableNumber.optional(),
});

// ── bet ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * **contract** (report.json `bet`): the plan's bet and its payback (src/analysis/bet.ts), money in the
 * plan's capacity currency, per month where it says so.
 */
export const betResultSchema = open({
  problem: str,
  win: str,
  rollback: str,
  oneOffCost: figure,
  monthlyCost: figure,
  monthlySaving: figure,
  monthlyNet: figure,
  /** Months to recover the one-off cost; null when the monthly net is ≤ 0 (it never pays back). */
  paybackMonths: nullableNumber,
  netOverHorizon: figure,
  /** [fastest, slowest] payback over the capacity saving's range; null ends never pay back. */
  paybackRangeMonths: openPair.optional(),
  /** The inputs as used, so a reader can redo the arithmetic. */
  inputs: open({
    oneOffHours: figure,
    hourlyRate: figure,
    monthlyHours: figure,
    buildsPerMonth: figure,
    ciPricePerMinute: figure,
    horizonMonths: figure,
    /** Candidate minus baseline build time, minutes (null when the builds' times are unknown). */
    ciMinutesDelta: nullableNumber,
    /** Which build time was used: cold (from scratch) or the last, possibly incremental, build. */
    buildTime: z.enum(['cold', 'last', 'unknown']),
    currency: str,
  }),
  /** Caveats of these figures (saving not measured, build times not cold). */
  warnings,
});

// ── the plan section ─────────────────────────────────────────────────────────────────────────────────

/** The plan's fields the report shows, as the plan's own schema reads them (model/plan.ts). */
const reportPlanSchema = open({
  ...planObjectSchema.pick({
    slo: true,
    capacity: true,
    passLines: true,
    stopRules: true,
    repetitions: true,
    order: true,
    warmupSeconds: true,
    seed: true,
  }).shape,
  configurations: open({
    baseline: open({ name: str, description: str }),
    candidate: open({ name: str, description: str }),
  }),
  phases: z.array(
    open({
      name: str,
      scenario: str,
      driver: str,
      description: str,
      /** How the phase timed its arrivals (k6 phases; absent in folders written before the field: uniform). */
      arrivals: arrivals.optional(),
    }),
  ),
});

// ── the report ───────────────────────────────────────────────────────────────────────────────────────

/**
 * The one document between computing and rendering (`report.json`). Every exporter (HTML, Markdown,
 * text, JSON) reads only this; nothing in it is raw per-request data: distributions are pre-aggregated
 * so a 10-run trial stays small.
 */
export const reportSchema = open({
  schemaVersion: z.literal(1),
  generator: open({ name: z.literal('hotswap'), version: str }),
  trial: open({
    id: str,
    planName: str,
    description: str.optional(),
    planFrozenAt: str,
    /** Set by the caller (the CLI), never by analysis: the core has no clock. */
    analyzedAt: str.optional(),
    status: str,
  }),
  plan: reportPlanSchema,
  verdict: verdictSchema,
  runs: z.array(runRecordSchema),
  summaries: z.array(summarySchema),
  comparisons: z.array(comparisonSchema),
  resources: z.array(resourceUseSchema),
  capacity: capacitySection,
  /** Pooled per configuration/phase/endpoint: ladder p50…p99.9 with CIs (median across runs and CI). */
  ladders: z.array(ladderRowSchema),
  /** Percentile spectrum on a log scale per configuration/endpoint: pooled quantiles at fixed probabilities. */
  spectra: z.array(spectrumSeriesSchema),
  /** Latency over time per run: per-second (or coarser) p50/p99 and request counts, flag flips marked. */
  timeseries: z.array(timeseriesSeriesSchema),
  /** Error classes per configuration with new classes flagged. */
  errors: z.array(errorClassRowSchema),
  checks: z.array(checkResultSchema),
  environment: environmentSchema,
  builds: open({ baseline: buildInfoSchema.optional(), candidate: buildInfoSchema.optional() }),
  warnings,
  /** Same output per corpus line (response digests), when the runs recorded digests. */
  correctness: correctnessReportSchema.optional(),
  /** CPU profiles of the profiled runs (plan `profile`), when the trial took any. */
  profiles: z.array(profileSummarySchema).optional(),
  /** Only in a canary's report: the live split's window, step, share over time and per-window judgement. */
  canary: canaryReportSchema.optional(),
  /** The candidate's fault and rollback drills, in run order (absent when the plan has none). */
  drills: z.array(drillResultSchema).optional(),
  /** The bet and its payback (absent when the plan has no `bet:`). */
  bet: betResultSchema.optional(),
});
