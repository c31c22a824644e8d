import type { CanaryReport } from './canary.js';
import type { CorrectnessReport } from './correctness.js';
import type { Arrivals, Role } from './constants.js';
import type { Plan } from './plan.js';
import type { BuildInfo, Environment, RunRecord } from './run.js';
import type {
  CapacityEstimate,
  CheckResult,
  Comparison,
  QueueModelCheck,
  ProfileSummary,
  QuantileCIMap,
  ResourceUse,
  Savings,
  SavingsRange,
  Summary,
  Verdict,
} from './analysis.js';
import type { Warning } from './warning.js';

export const REPORT_SCHEMA_VERSION = 1;

/**
 * The one document between computing and rendering (`report.json`). Every exporter (HTML, Markdown,
 * text, JSON) reads only this; nothing in it is raw per-request data: distributions are pre-aggregated
 * so a 10-run trial stays small.
 */
export interface ReportModel {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generator: { name: 'hotswap'; version: string };
  trial: {
    id: string;
    planName: string;
    description?: string;
    planFrozenAt: string;
    /** Set by the caller (the CLI), never by analysis: the core has no clock. */
    analyzedAt?: string;
    status: string;
  };
  plan: Pick<
    Plan,
    'slo' | 'capacity' | 'passLines' | 'stopRules' | 'repetitions' | 'order' | 'warmupSeconds' | 'seed'
  > & {
    configurations: Record<Role, { name: string; description: string }>;
    phases: {
      name: string;
      scenario: string;
      driver: string;
      description: string;
      /** How the phase timed its arrivals (k6 phases; absent in folders written before the field: uniform). */
      arrivals?: Arrivals;
    }[];
  };
  verdict: Verdict;
  runs: RunRecord[];
  summaries: Summary[];
  comparisons: Comparison[];
  resources: ResourceUse[];
  capacity: {
    baseline: CapacityEstimate;
    candidate: CapacityEstimate;
    savings?: Savings;
    /** The phase the knee was read from and its arrivals ("knee under Poisson arrivals"). */
    kneePhase?: { name: string; arrivals?: Arrivals };
    /** Queueing model check per configuration, from the runs with Poisson arrivals (none: absent). */
    queueModel?: QueueModelCheck[];
    /** With repeated capacity searches: the saving at the knees' extremes (fewest and most instances). */
    savingsRange?: SavingsRange;
  };
  /** Pooled per configuration/phase/endpoint: ladder p50…p99.9 with CIs (median across runs and CI). */
  ladders: LadderRow[];
  /** Percentile spectrum on a log scale per configuration/endpoint: pooled quantiles at fixed probabilities. */
  spectra: SpectrumSeries[];
  /** Latency over time per run: per-second (or coarser) p50/p99 and request counts, flag flips marked. */
  timeseries: TimeseriesSeries[];
  /** Error classes per configuration with new classes flagged. */
  errors: ErrorClassRow[];
  checks: CheckResult[];
  environment: Environment;
  builds: Partial<Record<Role, BuildInfo>>;
  warnings: Warning[];
  /** Same output per corpus line (response digests), when the runs recorded digests. */
  correctness?: CorrectnessReport;
  /** CPU profiles of the profiled runs (plan `profile`), when the trial took any. */
  profiles?: ProfileSummary[];
  /** Only in a canary's report: the live split's window, step, share over time and per-window judgement. */
  canary?: CanaryReport;
  /** The candidate's fault and rollback drills, in run order (absent when the plan has none). */
  drills?: DrillResult[];
  /** The bet and its payback (absent when the plan has no `bet:`). */
  bet?: BetResult;
}

/**
 * **contract** (report.json `drills[]`): one drill run of the candidate and its measured times
 * (src/analysis/drills.ts says how each is read from the responses). Times not measured are null.
 */
export interface DrillResult {
  kind: 'fault' | 'rollback';
  runId: string;
  /** Requests of the run that failed (non-2xx or transport error): 0 is the claim. */
  failedRequests: number;
  /** Fault drill: injection → first response served by Go because the breaker was open, seconds. */
  tripSeconds: number | null;
  /** Fault drill: clearing → first Rust-served response after the breaker's last open spell, seconds. */
  recoverySeconds: number | null;
  /**
   * Rollback drill: flip call → Rust off (the later of the flip's acknowledgement and the end of the last
   * Rust-served response), milliseconds.
   */
  rollbackMs: number | null;
  /** Rollback drill: flip call → start of the first request of the all-Go stretch, milliseconds. */
  allGoMs?: number | null;
  /** Fault drill: share of hotspot responses Go served between injection and recovery, 0–1. */
  goShare?: number | null;
}

/**
 * **contract** (report.json `bet`): the plan's bet and its payback (src/analysis/bet.ts), money in the
 * plan's capacity currency, per month where it says so.
 */
export interface BetResult {
  problem: string;
  win: string;
  rollback: string;
  oneOffCost: number;
  monthlyCost: number;
  monthlySaving: number;
  monthlyNet: number;
  /** Months to recover the one-off cost; null when the monthly net is ≤ 0 (it never pays back). */
  paybackMonths: number | null;
  netOverHorizon: number;
  /** [fastest, slowest] payback over the capacity saving's range; null ends never pay back. */
  paybackRangeMonths?: [number | null, number | null];
  /** The inputs as used, so a reader can redo the arithmetic. */
  inputs: {
    oneOffHours: number;
    hourlyRate: number;
    monthlyHours: number;
    buildsPerMonth: number;
    ciPricePerMinute: number;
    horizonMonths: number;
    /** Candidate minus baseline build time, minutes (null when the builds' times are unknown). */
    ciMinutesDelta: number | null;
    /** Which build time was used: cold (from scratch) or the last, possibly incremental, build. */
    buildTime: 'cold' | 'last' | 'unknown';
    currency: string;
  };
  /** Caveats of these figures (saving not measured, build times not cold). */
  warnings: Warning[];
}

/** A moment marked on a run's timeline (a fault drill's injection, trip, clearing, recovery). */
export interface TimeseriesEvent {
  /** Seconds after the run's first response, as the series' points. */
  tSeconds: number;
  label: string;
}

export interface LadderRow {
  role: Role;
  phase: string;
  endpoint: string;
  quantile: number;
  /** Median across runs of the per-run quantile, and the 95 % CI across runs (bootstrap). */
  valueMs: number;
  ci95Ms: [number | null, number | null];
  /** Per-request CI of the pooled quantile (order statistics), for reference only. */
  pooledCI95Ms?: QuantileCIMap[string];
  /**
   * Requests per run (median across runs) this row's per-run quantiles come from, and the fewest a run
   * needs for this percentile (its 95 % order-statistic CI bounded on both sides: p50 6, p90 36, p95 72,
   * p99 368, p99.9 3 688; stats/quantile-ci.ts minRequestsForQuantile).
   */
  requestsPerRun?: number;
  minRequests?: number;
  /**
   * True when runs had fewer requests (median per run) than `minRequests`: show "too few requests for
   * p99.9" instead of the number (the value is then little more than a run's maximum, and may lie
   * outside its own CI).
   */
  tooFewRequests?: boolean;
}

export interface SpectrumSeries {
  role: Role;
  phase: string;
  endpoint: string;
  /** Pairs of (probability, latency ms), probabilities spaced on a log scale of 1/(1−p). */
  points: { p: number; latencyMs: number }[];
}

export interface TimeseriesSeries {
  runId: string;
  role: Role;
  phase: string;
  /** Bucket width in seconds. */
  bucketSeconds: number;
  points: {
    tSeconds: number;
    requests: number;
    p50Ms: number;
    p99Ms: number;
    errors: number;
    rustShare?: number;
  }[];
  /** Seconds into the run where the hotspot implementation changed (rollback drill). */
  flips: { tSeconds: number; from: string; to: string }[];
  /** Fault-drill moments (injected, breaker open, cleared, Rust again), when the run is one. */
  events?: TimeseriesEvent[];
}

export interface ErrorClassRow {
  errorClass: string;
  endpoint: string;
  baseline: number;
  candidate: number;
  /** True when the candidate has it and the baseline does not. */
  isNew: boolean;
  /**
   * One example message of this class as the service or driver wrote it (truncated, e.g. to 200
   * characters), so a reader sees what the error was. Untrusted text: exporters escape it.
   */
  example?: string;
}
