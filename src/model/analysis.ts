import type { CheckStatus, Decision, MetricName, Role } from './constants.js';
import type { Warning } from './warning.js';

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
  warnings: Warning[];
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
  cgoCallsPerRequest?: number;
  /** Share of server CPU/time spent in the hotspot (Server-Timing sum / service CPU seconds). */
  hotspotShare?: number;
  warnings: Warning[];
}

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
  warnings: Warning[];
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
}
