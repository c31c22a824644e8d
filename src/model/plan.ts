import type { CanarySpec } from './canary.js';
import type { DriverName, MetricName, Role, ScenarioName } from './constants.js';

/**
 * A trial plan, written before the test and frozen into the trial folder as `plan.json` when the
 * trial starts. Everything the analysis judges against (SLO, pass lines, stop rule, capacity inputs)
 * lives here so nobody can move the goalposts after seeing the numbers.
 */
export interface Plan {
  /** Human name of the trial, shown as the report title. */
  name: string;
  description?: string;
  /** Seed for the request corpus, the run order (balanced-random) and every bootstrap. */
  seed: number;
  configurations: Record<Role, ConfigurationSpec>;
  /** Load phases run in order within each repetition (e.g. steady, then a short ramp). */
  phases: PhaseSpec[];
  /** Repetitions per configuration (runs per arm for each phase). */
  repetitions: number;
  /** `interleaved` = ABAB…; `balanced-random` = seeded random order within each AB pair. */
  order: 'interleaved' | 'balanced-random';
  /** Warm-up before each measured phase, excluded from every statistic. */
  warmupSeconds: number;
  /** Request corpus (NDJSON) replayed by k6; generated from `seed` when absent. */
  corpus?: CorpusSpec;
  slo: Slo;
  capacity: CapacityInputs;
  /** Pass lines as written; each becomes one CheckResult. */
  passLines: PassLine[];
  /** Rules that end the bet early whatever the pass lines say. */
  stopRules: StopRule[];
  /** What a failed run does to the trial: keep going (the run is marked failed) or stop with exit 3. */
  onRunFailure: 'continue' | 'stop';
  /** Pin service and load generator to different cores with taskset (default true on ≥ 2 cores). */
  pinCpus: boolean;
  /** How `hotswap canary` reads and judges the live split of a fleet (src/model/canary.ts). */
  canary?: CanarySpec;
}

export type ConfigurationSpec = ReferenceConfiguration | CommandConfiguration | UrlConfiguration;

interface ConfigurationBase {
  /** Display name, e.g. "pure Go" or "Rust hotspot". */
  name: string;
  /** Extra environment for the service process (command/reference kinds). */
  env?: Record<string, string>;
}

/** The bundled reference service (service/), in one of its two builds. */
export interface ReferenceConfiguration extends ConfigurationBase {
  kind: 'reference';
  build: 'baseline' | 'rust';
  /** Implementation the hotspot starts with (`go` or `rust`); the rust build defaults to rust. */
  impl?: 'go' | 'rust';
  /** Share of hotspot calls sent to Rust, 0–100 (default 100 when impl is rust). */
  rustSharePercent?: number;
}

/** Any service hotswap starts itself with a command line. */
export interface CommandConfiguration extends ConfigurationBase {
  kind: 'command';
  command: string[];
  /** Base URL the service listens on once started; must be loopback. */
  url: string;
  healthPath: string;
  /** Prometheus endpoint; without it the resource figures are missing (and say so). */
  metricsUrl?: string;
}

/** An already-running service; hotswap neither starts nor stops it. */
export interface UrlConfiguration extends ConfigurationBase {
  kind: 'url';
  url: string;
  healthPath: string;
  metricsUrl?: string;
}

export type PhaseSpec = K6PhaseSpec | AutocannonPhaseSpec;

export interface K6PhaseSpec {
  /** Unique within the plan, used in run ids and the report (e.g. "steady", "ramp"). */
  name: string;
  driver: Extract<DriverName, 'k6'>;
  scenario: Exclude<ScenarioName, 'saturation'>;
  /** Arrival rate for steady/soak/spike base/rollback, requests per second. */
  rateRps?: number;
  durationSeconds?: number;
  /** ramp only: plateaus, each `{ rateRps, durationSeconds }`, for the capacity knee. */
  steps?: { rateRps: number; durationSeconds: number }[];
  /** k6 preAllocatedVUs / maxVUs. */
  preAllocatedVus?: number;
  maxVus?: number;
  /**
   * Local k6 processes sharing the run through `--execution-segment` (default 1). Each writes its own raw
   * file; the ingest merges them as one run.
   */
  processes?: number;
  /** spike only: burst rate as a multiple of `rateRps` (default 3). */
  spikeMultiplier?: number;
  /** rollback only: seconds after the start when the hotspot flag flips to Go, and when it flips back. */
  flipAtSeconds?: number;
  flipBackAtSeconds?: number;
}

export interface AutocannonPhaseSpec {
  name: string;
  driver: Extract<DriverName, 'autocannon'>;
  scenario: 'saturation';
  connections: number;
  durationSeconds: number;
  /** Endpoint path to saturate (default the mix from the corpus is not used: one path). */
  path?: string;
}

export interface CorpusSpec {
  /** Path to an NDJSON corpus (relative to the plan file); when absent one is generated. */
  path?: string;
  count?: number;
  /** Endpoint mix by weight, e.g. { scan: 60, fields: 30, orders: 10 }. */
  mix?: Record<string, number>;
  /** Share of messy requests, 0–1 (default 0.02). */
  messyShare?: number;
}

export interface Slo {
  /** Latency quantile the SLO is written on, e.g. 0.99. */
  quantile: number;
  /** Latency bound at that quantile, milliseconds. */
  latencyMs: number;
  /** Highest acceptable error rate, 0–1 (e.g. 0.001 = 0.1 %). */
  maxErrorRate: number;
}

export interface CapacityInputs {
  /** Expected peak load the fleet must carry, requests per second. */
  peakRps: number;
  /** Extra instances kept for failure (N+1 → 1, N+2 → 2). */
  redundancy: number;
  /** Price of one instance for one hour, in `currency`. */
  costPerInstanceHour: number;
  currency: string;
  /** Cores per production instance (the trial pins the service to one). */
  coresPerInstance: number;
  /** CPU utilisation an instance is planned at, 0–1 (default 0.65). */
  targetUtilisation: number;
}

/**
 * One pass line: a claim about the candidate relative to the baseline. `text` keeps the line as the
 * author wrote it ("CPU −30%") for the report; the structured fields are what is judged.
 */
export type PassLine = ChangePassLine | FlatPassLine | NoNewErrorClassesPassLine | SloPassLine;

interface PassLineBase {
  id: string;
  text: string;
  /** Endpoint tag the line is about; absent = all requests together. */
  endpoint?: string;
}

/** The candidate/baseline change of a metric must be at most `maxChange` (e.g. -0.30 for "−30 %"). */
export interface ChangePassLine extends PassLineBase {
  check: 'change';
  metric: MetricName;
  /** Latency quantile when metric is latencyMs. */
  quantile?: number;
  /** Relative change bound: candidate/baseline − 1 ≤ maxChange (improvement is negative). */
  maxChange: number;
}

/** The metric must not move by more than ±tolerance (an equivalence test, e.g. "memory flat"). */
export interface FlatPassLine extends PassLineBase {
  check: 'flat';
  metric: MetricName;
  quantile?: number;
  /** Relative tolerance, e.g. 0.05 for ±5 %. */
  tolerance: number;
}

/** No error class (status code or failure kind) may appear in the candidate that the baseline lacks. */
export interface NoNewErrorClassesPassLine extends PassLineBase {
  check: 'no-new-error-classes';
}

/** The candidate must meet the plan's SLO. */
export interface SloPassLine extends PassLineBase {
  check: 'slo';
}

/**
 * A stop rule: if the measured improvement in `metric` is smaller than `minImprovement`, the bet is
 * settled with `decision` whatever else passed (e.g. "p99 cut < 10 % → drop").
 */
export interface StopRule {
  id: string;
  text: string;
  metric: MetricName;
  quantile?: number;
  endpoint?: string;
  /** Required relative improvement (reduction), e.g. 0.10 for 10 %. */
  minImprovement: number;
  decision: 'drop';
}
