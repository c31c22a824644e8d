import type { CanaryReport } from './canary.js';
import type { Role } from './constants.js';
import type { Plan } from './plan.js';
import type { BuildInfo, Environment, RunRecord } from './run.js';
import type {
  CapacityEstimate,
  CheckResult,
  Comparison,
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
    phases: { name: string; scenario: string; driver: string; description: string }[];
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
  /** Only in a canary's report: the live split's window, step, share over time and per-window judgement. */
  canary?: CanaryReport;
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
