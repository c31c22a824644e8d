import type { CheckStatus, Decision, MetricName, Role } from './constants.js';
import type { Warning } from './warning.js';
import type { ShadowFigures } from './correctness.js';

/** Quantiles keyed by probability as written in PERCENTILES ("0.5", "0.99", …). */
export type QuantileMap = Record<string, number>;
/** Distribution-free 95 % CI per quantile; null for a side the sample cannot bound. */
export type QuantileCIMap = Record<string, [number | null, number | null]>;

/** One run, one endpoint ("*" = every request of the run). */
export interface Summary {
  runId: string;
  role: Role;
  phase: string;
  endpoint: string;
  /** Requests after warm-up. */
  n: number;
  errors: number;
  errorRate: number;
  meanMs: number;
  quantilesMs: QuantileMap;
  quantileCI95Ms: QuantileCIMap;
  /** Measured seconds (after warm-up) and requests completed per second over them. */
  durationSeconds: number;
  achievedRps: number;
  /** Error classes ("http-500", "http-413", "transport") → count. */
  errorClasses: Record<string, number>;
  /** Share of requests per `X-Hotspot-Impl` value. */
  implShare: Record<string, number>;
  /** Mean hotspot time per request from Server-Timing, ms (absent when the service does not say). */
  hotspotMsMean?: number;
  /**
   * Mean time per request spent waiting on a downstream (Server-Timing `downstream` dur), ms; absent
   * when the service does not say. The report shows it as a share of meanMs ("downstream-wait share").
   */
  downstreamMsMean?: number;
  /**
   * Mean time per request in the Server-Timing entries the plan calls waiting (`serverTiming.wait`:
   * db, cache, downstream…), ms; absent when the plan names none or the service sent none.
   */
  waitMsMean?: number;
  /**
   * CPU seconds per request of this endpoint from the run's CPU profile (the samples labelled
   * `endpoint=<this>` ÷ this endpoint's requests in the profile window); absent without a profile.
   */
  cpuSecondsPerRequest?: number;
  /**
   * On the run's "*" summary only: how late the generator started the run's paced arrivals (k6
   * `start_lateness_ms`: Poisson and replay phases), ms, after warm-up. Absent for uniform phases (k6's
   * own executor paces those and records no lateness) and for drivers without paced arrivals.
   */
  startLatenessMs?: StartLateness;
  warnings: Warning[];
}

/**
 * Arrivals started and how late (scheduled vs actual start), ms: median, p99 (linear interpolation,
 * numpy's default) and the latest. k6 reads its clock in whole milliseconds, so each value is ±1 ms.
 */
export interface StartLateness {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Run-level comparison of one figure, baseline vs candidate, across runs. */
export interface Comparison {
  phase: string;
  endpoint: string;
  metric: MetricName;
  /** For latencyMs: the quantile compared (each run contributes its own value of it). */
  quantile?: number;
  unit: string;
  baseline: ArmValues;
  candidate: ArmValues;
  /** median(candidate)/median(baseline); < 1 is an improvement for costs and latencies. */
  ratio: number;
  /** Bootstrap-over-runs 95 % CI of the ratio (seeded). */
  ratioCI95: [number, number];
  /**
   * Distribution-free 95 % CI of the ratio from the Mann-Whitney test inverted on log values (Moses /
   * Bauer 1972 shift interval); null for a side too few runs cannot bound. Checks judge on the wider of
   * this and `ratioCI95`, since a bootstrap over a handful of runs is too narrow.
   */
  ratioCI95Rank?: [number | null, number | null];
  /**
   * The ratio CI the checks judge on and the one to show: the wider of `ratioCI95` and `ratioCI95Rank`;
   * null for an unbounded side (≤ 3 runs per arm leaves both sides unbounded).
   */
  judgedCI95?: [number | null, number | null];
  /** Mann-Whitney U on per-run values, two-sided. */
  pValue: number;
  /** Holm-adjusted across all comparisons judged in the trial. */
  pAdjusted: number;
  method:
    | 'mann-whitney-exact'
    | 'mann-whitney-asymptotic'
    | 'none'
    | `wilcoxon-signed-rank-${'exact' | 'permutation' | 'approx'}`;
  significant: boolean;
  /** Hodges-Lehmann shift (candidate − baseline), in `unit`. */
  hodgesLehmann: number;
  cliffsDelta: number;
  /**
   * Holm family: `verdict` = judged by a pass line or stop rule (corrected among themselves);
   * `descriptive` = shown only (corrected among themselves), so showing more rows cannot weaken the verdict.
   */
  family?: 'verdict' | 'descriptive';
  warnings: Warning[];
}

export interface ArmValues {
  /** One value per run, in run order. */
  values: number[];
  runIds: string[];
  median: number;
}

/** Resource cost of one run, from the service's Prometheus counters scraped before and after. */
export interface ResourceUse {
  runId: string;
  role: Role;
  phase: string;
  requests: number;
  cpuSecondsPerRequest?: number;
  /** Go heap bytes allocated per request (go_memstats_alloc_bytes_total delta / requests). */
  goAllocBytesPerRequest?: number;
  /** Bytes the Rust crate allocated per request (its own counting allocator). */
  rustAllocBytesPerRequest?: number;
  allocBytesPerRequest?: number;
  rssBytesSteady?: number;
  rssBytesPeak?: number;
  gcPauseP99Ms?: number;
  fallbacks?: number;
  /**
   * Responses whose result differed between the Go and Rust paths for the same request (shadow or
   * replay check), when the run measured it; absent = not measured, shown as such in the report.
   */
  mismatches?: number;
  /** The service's shadow mode over the run (hotswap_shadow_*), when it shadowed any request. */
  shadow?: ShadowFigures;
  cgoCallsPerRequest?: number;
  /** Share of server CPU/time spent in the hotspot (Server-Timing sum / service CPU seconds). */
  hotspotShare?: number;
  /**
   * Where `cpuSecondsPerRequest` and the memory figures came from: the service's own Prometheus counters,
   * or the OS (the cgroup hotswap made for the service, or /proc of its process tree).
   */
  sources?: { cpu?: ResourceSource; memory?: ResourceSource };
  /** CPU seconds per request by source, when more than one measured it (e.g. { prometheus, cgroup }). */
  cpuSecondsPerRequestBySource?: Partial<Record<ResourceSource, number>>;
  warnings: Warning[];
}

/** Where a resource figure came from. */
export type ResourceSource = 'cgroup' | 'proc' | 'prometheus';

/** Per-instance capacity of one configuration and the fleet it implies at peak. */
export interface CapacityEstimate {
  role: Role;
  /** Highest ramp step with p99 ≤ SLO, errors ≤ bound and achieved ≥ 97 % of offered; undefined if none. */
  kneeRps?: number;
  /** CPU-based: cores × target utilisation / CPU seconds per request. */
  cpuBasedRps?: number;
  /** When even the lowest ramp step missed the SLO: the capacity is below this rate (no knee measured). */
  kneeBelowRps?: number;
  /**
   * True when no measured rate met the SLO (even the lowest step missed it): then no fleet is sized
   * (no perInstanceRps, instances or cost) and no saving is computed from this configuration.
   */
  noRateMeetsSlo?: boolean;
  /** The per-instance rate used for sizing: the smaller of the two that exist. */
  perInstanceRps?: number;
  /**
   * Which estimate set perInstanceRps (`knee-upper-bound`: no longer produced, a failing step never sizes;
   * `knee-lower-bound`: the highest ramp step, every step met the SLO, so the real knee is higher).
   */
  sizedBy?: 'knee' | 'cpu' | 'knee-upper-bound' | 'knee-lower-bound';
  /** True when kneeRps is only a lower bound: the ramp ended before the knee (every step met the SLO). */
  kneeIsLowerBound?: boolean;
  /** ceil(peak / perInstanceRps) before redundancy, then with it. */
  instancesForPeak?: number;
  instances?: number;
  costPerMonth?: number;
  /** Ramp steps for the throughput-vs-p99 chart. */
  steps: { offeredRps: number; achievedRps: number; p99Ms: number; errorRate: number; ok: boolean }[];
  /**
   * The capacity search (phase `capacity-search`), when the plan has one: the search of the median
   * repetition (by passRps; the lower one of two), whose passRps is kneeRps when it converged.
   */
  search?: CapacitySearch;
  /** Every repetition's search, in repetition order (one per repetition, interleaved with the other arm). */
  searches?: CapacitySearch[];
  /** With two or more converged searches: the lowest and highest knee (passRps) among them. */
  kneeRangeRps?: [number, number];
  warnings: Warning[];
}

/**
 * The queueing model check of one configuration (src/analysis/capacity/queue-check.ts): the M/G/1
 * (Pollaczek–Khinchine) and M/M/c (Erlang C) mean waits at each Poisson run's utilisation against the
 * wait the run measured, so a planner sees whether the queueing what-ifs fit this service.
 */
export interface QueueModelCheck {
  role: Role;
  /** Servers ρ is spread over (1: one core, as the service runs pinned). */
  servers: number;
  /** The service-time estimate: the lowest-load Poisson run's per-request latency (see queue-check.ts). */
  serviceTime: {
    source: 'lowest-load-latency';
    runId: string;
    rateRps: number;
    /** E[S], ms. */
    meanMs: number;
    /** Cs² = Var[S] / E[S]². */
    scv: number;
    /** The same run's CPU per request, ms (what ρ is made of), for comparison with E[S]. */
    cpuMsPerRequest: number;
  };
  /** One row per Poisson run (ramp phases are left out: their rate changes within the run). */
  rows: QueueModelRow[];
  /** Largest predicted/measured factor over the judged rows: ≤1.5 close, ≤3 rough, else off. */
  fit: 'close' | 'rough' | 'off' | 'unjudged';
  erlangFit: 'close' | 'rough' | 'off' | 'unjudged';
  pkWorstFactor?: number;
  erlangWorstFactor?: number;
  warnings: Warning[];
}

export interface QueueModelRow {
  runId: string;
  phase: string;
  rateRps: number;
  /** Utilisation: rate × CPU seconds per request ÷ servers. */
  rho: number;
  cpuMsPerRequest: number;
  /** Mean latency of the run minus E[S], ms. */
  measuredWaitMs: number;
  /** Predicted mean wait, ms (Infinity at ρ ≥ 1). */
  pkWaitMs: number;
  erlangWaitMs: number;
  /** The run E[S] and Cs² come from (its measured wait is 0 by construction). */
  reference: boolean;
  /** Counted in the fit (ρ < 0.9, a wait of at least 0.5 ms predicted or measured, not the reference). */
  judged: boolean;
  /** max(predicted/measured, measured/predicted) when judged. */
  pkFactor?: number;
  erlangFactor?: number;
}

/**
 * Why a capacity search ended. `converged`: failRps / passRps ≤ 1 + resolution and a confirmation probe
 * at passRps passed; `max-rps`, `budget`, `generator`: stopped by the cap, the time budget or a limited
 * load generator, so passRps is only a lower bound on the knee; `never-passed`: not even the first probe
 * (fromRps) met the SLO; `unfinished`: the trial stopped mid-search (interrupted, or the service died).
 */
export type SearchStop = 'converged' | 'max-rps' | 'budget' | 'generator' | 'never-passed' | 'unfinished';

/** One capacity search of one configuration and repetition (analysis/capacity/search.ts). */
export interface CapacitySearch {
  repetition: number;
  phase: string;
  /** Highest rate where every probe passed, below failRps; absent when none passed. */
  passRps?: number;
  /** Lowest rate where the service failed a probe; absent when none failed. */
  failRps?: number;
  /**
   * Lowest rate at which the load generator was the limit (its core saturated): nothing above it was
   * measured, and a search that stops there (`stoppedBy: generator`) gives a lower bound on the knee.
   */
  generatorCeilingRps?: number;
  /** Probes in the order they ran. */
  probes: SearchProbe[];
  stoppedBy: SearchStop;
  /** How the probes' arrivals were timed (the knee under Poisson arrivals is the honest one). */
  arrivals: string;
  /** The seed from the first probe's CPU per request, when the search was seeded. */
  seed?: {
    cpuSecondsPerRequest: number;
    /** 1 / CPU seconds per request: where the pinned core saturates. */
    saturationRps: number;
    /** The rate the search jumped to after its first probe. */
    seedRps: number;
  };
  /** Seconds of load over all probes, and wall seconds from the first probe's start to the last's end. */
  loadSeconds: number;
  wallSeconds: number;
  /** Only while the search goes on (`unfinished`): the probe it runs next (the trial's strategy reads it). */
  next?: { rateRps: number; durationSeconds: number; purpose: SearchProbe['purpose'] };
}

export interface SearchProbe {
  runId: string;
  /** Offered (constant) arrival rate of the probe. */
  rateRps: number;
  /** The SLO quantile of the probe's own latencies, ms (NaN when it had no response). */
  quantileMs: number;
  errorRate: number;
  achievedRps: number;
  requests: number;
  seconds: number;
  pass: boolean;
  /** Why the search chose this rate: start, grow (×2), seed (CPU), gallop (near the seed), bisect, confirm. */
  purpose: 'start' | 'grow' | 'seed' | 'gallop' | 'bisect' | 'confirm';
  /** Why it failed, one short clause per criterion missed. */
  failedOn?: string[];
}

/** The instance saving as a range over the repeated searches' knees (capacity.savingsRange). */
export interface SavingsRange {
  instances: [number, number];
  moneyPerMonth: [number, number];
  currency: string;
}

export interface Savings {
  instances: number;
  moneyPerMonth: number;
  currency: string;
  /** Relative saving, (baseline − candidate) / baseline. */
  share: number;
}

/** The judgement of one pass line or stop rule. */
export interface CheckResult {
  id: string;
  title: string;
  /** The line as the plan's author wrote it. */
  text: string;
  /** How it is judged, in a sentence (e.g. "pass when the whole 95 % CI of the change is ≤ −30 %"). */
  howJudged: string;
  status: CheckStatus;
  /** The figures behind the status: estimate, CI, threshold, p, n … */
  figures: Record<string, number | string | null>;
  message: string;
  warnings: Warning[];
}

export interface Verdict {
  decision: Decision;
  /** One sentence each, most important first. */
  reasons: string[];
  checks: CheckResult[];
  stopRules: CheckResult[];
  /** When inconclusive: runs per arm that would likely settle it (null when no number of runs would). */
  moreRunsPerArm?: number | null;
  /** When inconclusive and estimable: how many runs per arm beyond those made (moreRunsPerArm − current). */
  additionalRunsPerArm?: number;
  /**
   * The phase the pass lines, stop rules and SLO were judged on (the first steady phase, else the
   * first compared one), set by the analysis so report and CLI need not re-derive it; absent in
   * reports written before it existed.
   */
  phase?: string;
  /**
   * Set when the trial cannot be judged at all (every baseline run of the judged phase failed, or the
   * load generator failed): the decision is then inconclusive and the CLI exits 3 with this reason.
   */
  unjudgeable?: string;
  /** With a look schedule (plan `repetitions: { min, max, every }`): where the trial stood. */
  sequential?: SequentialVerdict;
}

/**
 * A look schedule's state at the look the verdict was judged at (`verdict.sequential`, ARCHITECTURE.md
 * contract: look, looks, runsPerArm, stoppedEarly, boundary; the rest is additive).
 */
export interface SequentialVerdict {
  /** 1-based look the verdict was judged at. */
  look: number;
  looks: number;
  /** Runs per arm the schedule had reached at that look. */
  runsPerArm: number;
  /** True when the trial stopped before the last look. */
  stoppedEarly: boolean;
  /** The nominal one-sided p threshold the pass lines used at that look (c_k; 0 = none could pass). */
  boundary: number;
  /** The drop family's nominal level at that look (each test that can cause a drop, α split over them). */
  dropBoundary: number;
  /** Tests in the drop family (the α of each is alpha / dropTests). */
  dropTests: number;
  spending: 'pocock' | 'obrien-fleming';
  alpha: number;
  /** What the trial does after this look. */
  action: 'stop' | 'continue';
  /** settled-pass | settled-fail | curtailed (no later look can change the outcome) | max | open. */
  reason: 'settled-pass' | 'settled-fail' | 'curtailed' | 'max' | 'open';
  /** How the boundaries were computed: exact enumeration, or Monte Carlo with its standard error. */
  method: 'exact' | 'monte-carlo';
  standardError?: number;
}

/** One function's shares of a CPU profile's samples, 0..1. */
export interface ProfileFunction {
  name: string;
  /** Share of samples with this function as the leaf frame (running itself). */
  flat: number;
  /** Share of samples with this function anywhere in the stack (counted once per sample). */
  cum: number;
}

/** One node of a profile's call tree (root = all samples), pruned to the nodes worth drawing. */
export interface ProfileNode {
  name: string;
  /** Samples in this node's subtree (CPU nanoseconds ÷ the sampling period). */
  samples: number;
  children: ProfileNode[];
}

/** CPU of one endpoint in a profile (the samples carrying the pprof label `endpoint=<endpoint>`). */
export interface EndpointCpu {
  endpoint: string;
  cpuSeconds: number;
  /** Requests of this endpoint in the profile window, when known. */
  requests?: number;
  cpuSecondsPerRequest?: number;
}

/** A share of a profile's samples with its binomial 95 % CI (Wilson score interval on n samples). */
export interface SampledShare {
  share: number;
  ci95: [number, number];
}

/**
 * One CPU profile (Go pprof, 100 Hz) of one run: the top functions, the hotspot share (cumulative share of
 * the functions matching the plan's patterns), the Rust share (samples under cgo calls), CPU per endpoint.
 * Shares are 0..1 of the profile's samples; `tooFewSamples` when fewer than `minSamples`.
 */
export interface ProfileSummary {
  role: Role;
  phase: string;
  runId: string;
  /** The profile's own duration, seconds. */
  seconds: number;
  /** CPU samples in the profile. */
  samples: number;
  /** CPU seconds the samples stand for. */
  cpuSeconds: number;
  /** Offered rate of the load during the profile, requests/s (a dedicated profiling load's rate). */
  rateRps?: number;
  /** Cumulative share of the hotspot's functions, 0..1; absent when `tooFewSamples`. */
  hotspotShare?: number;
  hotspotCI95?: [number, number];
  /** Share of samples under `runtime.cgocall` / `_Cfunc_*` (time in Rust, or C), with its CI. */
  rustShare?: SampledShare;
  /** Share of samples without an `endpoint` label (GC, connection handling before the handler). */
  unlabelledShare: number;
  minSamples: number;
  tooFewSamples: boolean;
  topFunctions: ProfileFunction[];
  byEndpoint: EndpointCpu[];
  /** The call tree (root first), nodes under 0.5 % of the samples pruned, for the icicle chart. */
  tree: ProfileNode;
  warnings: Warning[];
}
