/**
 * Closed sets used across the pipeline, as `as const` tuples with a derived union type and a guard
 * (the vega-lite habit): adding a member is one edit here and the compiler finds every switch to update.
 */

/** The two arms of a trial. The baseline is the configuration in production today. */
export const ROLES = ['baseline', 'candidate'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (x: unknown): x is Role => ROLES.includes(x as Role);

/** Load drivers hotswap knows how to run and ingest. */
export const DRIVERS = ['k6', 'autocannon'] as const;
export type DriverName = (typeof DRIVERS)[number];
export const isDriverName = (x: unknown): x is DriverName => DRIVERS.includes(x as DriverName);

/** The k6 traffic shapes, one scenario file each under scenarios/ (their traits: model/scenarios.ts). */
export const K6_SCENARIOS = [
  'steady',
  'ramp',
  'spike',
  'soak',
  'rollback',
  'script',
  'fault-drill',
  'capacity-search',
] as const;
export type K6ScenarioName = (typeof K6_SCENARIOS)[number];

/** Every phase kind: the k6 shapes and autocannon's saturation. */
export const SCENARIOS = [...K6_SCENARIOS, 'saturation'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
/**
 * How a k6 phase times its arrivals (scenarios/lib/arrivals.ts keeps the same list for k6): `uniform`
 * evenly spaced (k6's arrival-rate executors), `poisson` seeded exponential gaps, `replay` the corpus's
 * own `atMs` gaps scaled to the phase's rate.
 */
export const ARRIVALS = ['uniform', 'poisson', 'replay'] as const;
export type Arrivals = (typeof ARRIVALS)[number];

export const isScenarioName = (x: unknown): x is ScenarioName => SCENARIOS.includes(x as ScenarioName);

/** The percentiles every summary and comparison reports, as probabilities. */
export const PERCENTILES = [0.5, 0.9, 0.95, 0.99, 0.999] as const;
export type Percentile = (typeof PERCENTILES)[number];

/** Outcome of a release review. */
export const DECISIONS = ['keep', 'drop', 'inconclusive'] as const;
export type Decision = (typeof DECISIONS)[number];
export const isDecision = (x: unknown): x is Decision => DECISIONS.includes(x as Decision);

/** Outcome of one pass line. `error` means the check could not be judged (missing data), not a failure. */
export const CHECK_STATUSES = ['pass', 'fail', 'warn', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** Status of one load run in the manifest. Failed and interrupted runs are kept but left out of statistics. */
export const RUN_STATUSES = ['pending', 'running', 'ok', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Which code path served a request, from the reference service's `X-Hotspot-Impl` header. */
export const HOTSPOT_IMPLS = ['go', 'rust', 'go-fallback'] as const;
export type HotspotImpl = (typeof HOTSPOT_IMPLS)[number];

/**
 * Metrics a pass line or stop rule can name. Latency takes a quantile; the rest are per-run figures
 * from the service's own counters (see ResourceUse).
 */
export const METRICS = [
  'latencyMs',
  'errorRate',
  'throughputRps',
  'cpuSecondsPerRequest',
  'allocBytesPerRequest',
  'rssBytesSteady',
  'rssBytesPeak',
  'gcPauseP99Ms',
] as const;
export type MetricName = (typeof METRICS)[number];
export const isMetricName = (x: unknown): x is MetricName => METRICS.includes(x as MetricName);

/** CLI exit codes (ARCHITECTURE.md, contract: CLI). */
export const EXIT = {
  ok: 0,
  drop: 1,
  usage: 2,
  infrastructure: 3,
  inconclusive: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
