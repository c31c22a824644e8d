import { z } from 'zod';
import type { CanarySpec } from './canary.js';
import { ARRIVALS, K6_SCENARIOS, METRICS } from './constants.js';
import { SCENARIO_TRAITS } from './scenarios.js';

/**
 * A trial plan, written before the test and frozen into the trial folder as `plan.json` when the trial
 * starts. Everything the analysis judges against (SLO, pass lines, stop rule, capacity inputs) lives here
 * so nobody can move the goalposts after seeing the numbers.
 *
 * The zod schema is the single definition: every type below is `z.output` of it, so the parsed plan and
 * the type the pipeline reads cannot drift. src/plan/schema.ts adds what only a plan *file* needs (pass
 * lines written as sentences, cross-field checks). Objects are strict so a misspelt field ("repetitons")
 * is an error, not a silently ignored line. Defaults are the ones a release review would pick:
 * interleaved order, 5 s warm-up, keep going after a failed run, pinned CPUs.
 */

const positive = z.number().positive();
/**
 * Upper bounds of a plan's rates and durations (issue 15: bounded work): a million requests per second
 * per phase, and a day per phase. Beyond them a plan is a typo or a hostile file, not a load test.
 */
export const MAX_RATE_RPS = 1_000_000;
export const MAX_PHASE_SECONDS = 86_400;
const rate = positive.max(MAX_RATE_RPS);
const duration = positive.max(MAX_PHASE_SECONDS);
const positiveInt = z.number().int().positive();
const share = z.number().min(0).max(1);
const quantile = z.number().gt(0).lt(1);
/** Extra environment for the service process (command/reference kinds). */
const env = z.record(z.string(), z.string()).optional();
const phaseName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes')
  .describe('Unique within the plan, used in run ids and the report (e.g. "steady", "ramp")');

// ---- configurations -------------------------------------------------------------------------------

/** The bundled reference service (service/), in one of its two builds. */
const reference = z.strictObject({
  kind: z.literal('reference'),
  /** Display name, e.g. "pure Go" or "Rust hotspot". */
  name: z.string().min(1),
  env,
  build: z.enum(['baseline', 'rust']),
  /** Implementation the hotspot starts with (`go` or `rust`); the rust build defaults to rust. */
  impl: z.enum(['go', 'rust']).optional(),
  /** Share of hotspot calls sent to Rust, percent 0–100 (default 100 when impl is rust). */
  rustSharePercent: z.number().min(0).max(100).optional(),
});

/** Any service hotswap starts itself with a command line. */
const command = z.strictObject({
  kind: z.literal('command'),
  name: z.string().min(1),
  env,
  command: z.array(z.string()).min(1),
  /** Base URL the service listens on once started; must be loopback. */
  url: z.url(),
  healthPath: z
    .string()
    .regex(/^\/(?![/\\])/, 'a path on the service, such as /healthz')
    .default('/healthz'),
  /** Prometheus endpoint; without it the resource figures are missing (and say so). */
  metricsUrl: z.url().optional(),
});

/** An already-running service; hotswap neither starts nor stops it. */
const url = z.strictObject({
  kind: z.literal('url'),
  name: z.string().min(1),
  env,
  url: z.url(),
  healthPath: z
    .string()
    .regex(/^\/(?![/\\])/, 'a path on the service, such as /healthz')
    .default('/healthz'),
  metricsUrl: z.url().optional(),
});

export const configurationSchema = z.discriminatedUnion('kind', [reference, command, url]);
export type ConfigurationSpec = z.output<typeof configurationSchema>;
export type ReferenceConfiguration = z.output<typeof reference>;
export type CommandConfiguration = z.output<typeof command>;
export type UrlConfiguration = z.output<typeof url>;

// ---- phases ---------------------------------------------------------------------------------------

const step = z.strictObject({
  /** Arrival rate of the plateau, requests per second. */
  rateRps: rate,
  /** Length of the plateau, seconds. */
  durationSeconds: duration,
});

/**
 * A k6 phase (open model). Which of the optional fields a scenario needs is its `requires` in
 * model/scenarios.ts; fields used by one scenario only are grouped under its name.
 */
export const k6PhaseSchema = z
  .strictObject({
    name: phaseName,
    driver: z.literal('k6'),
    scenario: z.enum(K6_SCENARIOS),
    /** Arrival rate for steady/soak/spike base/rollback, requests per second. */
    rateRps: rate.optional(),
    /** Seconds of load (no start-up). */
    durationSeconds: duration.optional(),
    /** k6 preAllocatedVUs / maxVUs. */
    preAllocatedVus: positiveInt.optional(),
    maxVus: positiveInt.optional(),
    /**
     * Local k6 processes sharing the run through `--execution-segment` (default 1). Each writes its own
     * raw file; the ingest merges them as one run.
     */
    processes: positiveInt.max(16).optional(),
    // ramp
    /** ramp only: plateaus, each `{ rateRps, durationSeconds }`, for the capacity knee. */
    steps: z.array(step).min(1).optional(),
    // spike
    /** spike only: burst rate as a multiple of `rateRps` (default 3). */
    spikeMultiplier: z.number().gt(1).optional(),
    /**
     * How arrivals are timed; absent means `uniform` (what trial folders written before the field used).
     * A plan file's parse fills in `uniform`, so plan.json freezes the resolved value. Poisson schedules
     * are seeded by the plan's seed.
     */
    arrivals: z.enum(ARRIVALS).optional(),
    // rollback
    /** rollback only: seconds after the start when the hotspot flag flips to Go… */
    flipAtSeconds: positive.optional(),
    /** …and seconds after the start when it flips back. */
    flipBackAtSeconds: positive.optional(),
  })
  .superRefine((p, ctx) => {
    for (const { field, why } of SCENARIO_TRAITS[p.scenario].requires) {
      if (p[field as keyof typeof p] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `required ${why ?? `for scenario ${p.scenario}`}`,
        });
    }
    if (
      p.flipAtSeconds !== undefined &&
      p.flipBackAtSeconds !== undefined &&
      p.flipBackAtSeconds <= p.flipAtSeconds
    ) {
      ctx.addIssue({ code: 'custom', path: ['flipBackAtSeconds'], message: 'must come after flipAtSeconds' });
    }
  });

/** An autocannon phase (closed model): saturation throughput only. */
export const autocannonPhaseSchema = z.strictObject({
  name: phaseName,
  driver: z.literal('autocannon'),
  scenario: z.literal('saturation'),
  /** Concurrent connections, each sending its next request when the last answer came. */
  connections: positiveInt,
  /** Seconds of load. */
  durationSeconds: duration,
  // Appended to the base URL, so it must be a plain path: "//host/x" or "@host/x" would leave 127.0.0.1.
  /** Endpoint path to saturate (one path; default the first plain /v1/scan line of the corpus). */
  path: z
    .string()
    .regex(/^\/(?!\/)/, 'expected a path starting with a single "/" (no host)')
    .optional(),
});

export const phaseSchema = z.discriminatedUnion('driver', [k6PhaseSchema, autocannonPhaseSchema]);
export type PhaseSpec = z.output<typeof phaseSchema>;
export type K6PhaseSpec = z.output<typeof k6PhaseSchema>;
export type AutocannonPhaseSpec = z.output<typeof autocannonPhaseSchema>;

// ---- pass lines and stop rules --------------------------------------------------------------------

const metric = z.enum(METRICS);
const lineBase = {
  id: z.string().min(1),
  /** The line as the author wrote it ("CPU −30%"), for the report; the structured fields are judged. */
  text: z.string().min(1),
  /** Endpoint tag the line is about; absent = all requests together. */
  endpoint: z.string().optional(),
};

/** The candidate/baseline change of a metric must be at most `maxChange` (e.g. -0.30 for "−30 %"). */
const changeLine = z.strictObject({
  ...lineBase,
  check: z.literal('change'),
  metric,
  /** Latency quantile when metric is latencyMs. */
  quantile: quantile.optional(),
  /** Relative change bound: candidate/baseline − 1 ≤ maxChange (improvement is negative). */
  maxChange: z.number(),
});

/** The metric must not move by more than ±tolerance (an equivalence test, e.g. "memory flat"). */
const flatLine = z.strictObject({
  ...lineBase,
  check: z.literal('flat'),
  metric,
  quantile: quantile.optional(),
  /** Relative tolerance, e.g. 0.05 for ±5 %. */
  tolerance: positive,
});

/** No error class (status code or failure kind) may appear in the candidate that the baseline lacks. */
const noNewErrorClassesLine = z.strictObject({ ...lineBase, check: z.literal('no-new-error-classes') });

/** The candidate must meet the plan's SLO. */
const sloLine = z.strictObject({ ...lineBase, check: z.literal('slo') });

/** One pass line, structured: a claim about the candidate relative to the baseline. */
export const passLineSchema = z.discriminatedUnion('check', [
  changeLine,
  flatLine,
  noNewErrorClassesLine,
  sloLine,
]);
export type PassLine = z.output<typeof passLineSchema>;
export type ChangePassLine = z.output<typeof changeLine>;
export type FlatPassLine = z.output<typeof flatLine>;
export type NoNewErrorClassesPassLine = z.output<typeof noNewErrorClassesLine>;
export type SloPassLine = z.output<typeof sloLine>;

/**
 * A stop rule: if the measured improvement in `metric` is smaller than `minImprovement`, the bet is
 * settled with `decision` whatever else passed (e.g. "p99 cut < 10 % → drop").
 */
export const stopRuleSchema = z.strictObject({
  ...lineBase,
  metric,
  quantile: quantile.optional(),
  /** Required relative improvement (reduction), e.g. 0.10 for 10 %. */
  minImprovement: z.number(),
  decision: z.literal('drop').default('drop'),
});
export type StopRule = z.output<typeof stopRuleSchema>;

// ---- the plan -------------------------------------------------------------------------------------

/** Request corpus (NDJSON) replayed by k6; generated from `seed` when absent. */
const corpus = z.strictObject({
  /** Path to an NDJSON corpus (relative to the plan file); when absent one is generated. */
  path: z.string().min(1).optional(),
  count: positiveInt.optional(),
  /** Endpoint mix by weight, e.g. { scan: 60, fields: 30, orders: 10 }. */
  mix: z
    .record(z.string(), z.number().nonnegative())
    .refine((m) => Object.values(m).some((w) => w > 0), 'at least one endpoint needs a weight > 0')
    .optional(),
  /** Share of messy requests, 0–1 (default 0.02). */
  messyShare: share.optional(),
});
export type CorpusSpec = z.output<typeof corpus>;

const slo = z.strictObject({
  /** Latency quantile the SLO is written on, e.g. 0.99. */
  quantile,
  /** Latency bound at that quantile, milliseconds. */
  latencyMs: positive,
  /** Highest acceptable error rate, 0–1 (e.g. 0.001 = 0.1 %). */
  maxErrorRate: share,
});
export type Slo = z.output<typeof slo>;

const capacity = z.strictObject({
  /** Expected peak load the fleet must carry, requests per second. */
  peakRps: positive,
  /** Extra instances kept for failure (N+1 → 1, N+2 → 2). */
  redundancy: z.number().int().nonnegative().default(1),
  /** Price of one instance for one hour, in `currency`. */
  costPerInstanceHour: z.number().nonnegative().default(0),
  currency: z.string().default('USD'),
  /** Cores per production instance (the trial pins the service to one). */
  coresPerInstance: positiveInt.default(1),
  /** CPU utilisation an instance is planned at, 0–1 (default 0.65). */
  targetUtilisation: z.number().gt(0).max(1).default(0.65),
});
export type CapacityInputs = z.output<typeof capacity>;

/** The plan object without the file-only parts (sentence pass lines, cross-field checks). */
export const planObjectSchema = z.strictObject({
  /** Human name of the trial, shown as the report title. */
  name: z.string().min(1),
  description: z.string().optional(),
  /** Seed for the request corpus, the run order (balanced-random) and every bootstrap. */
  seed: z.number().int().nonnegative(),
  configurations: z.strictObject({ baseline: configurationSchema, candidate: configurationSchema }),
  /** Load phases run in order within each repetition (e.g. steady, then a short ramp). */
  phases: z.array(phaseSchema).min(1),
  /** Repetitions per configuration (runs per arm for each phase). */
  repetitions: positiveInt,
  /** `interleaved` = ABAB…; `balanced-random` = seeded random order within each AB pair. */
  order: z.enum(['interleaved', 'balanced-random']).default('interleaved'),
  /** Warm-up before each measured phase, seconds, excluded from every statistic. */
  warmupSeconds: z.number().nonnegative().default(5),
  corpus: corpus.optional(),
  slo,
  capacity,
  /** Pass lines as written; each becomes one CheckResult. */
  passLines: z.array(passLineSchema).default([]),
  /** Rules that end the bet early whatever the pass lines say. */
  stopRules: z.array(stopRuleSchema).default([]),
  /** What a failed run does to the trial: keep going (the run is marked failed) or stop with exit 3. */
  onRunFailure: z.enum(['continue', 'stop']).default('continue'),
  /** Pin service and load generator to different cores with taskset (default true on ≥ 2 cores). */
  pinCpus: z.boolean().default(true),
});

export type Plan = z.output<typeof planObjectSchema> & {
  /**
   * How `hotswap canary` reads and judges the live split of a fleet (src/model/canary.ts); its schema
   * is src/plan/canary-schema.ts, added to the plan file's schema there.
   */
  canary?: CanarySpec;
};
