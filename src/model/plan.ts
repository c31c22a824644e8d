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

/** Fields of hotswap's own scenarios that a script phase leaves to the script. */
const NOT_FOR_SCRIPTS = [
  'arrivals',
  'rateRps',
  'durationSeconds',
  'steps',
  'spikeMultiplier',
  'preAllocatedVus',
  'maxVus',
  'flipAtSeconds',
  'flipBackAtSeconds',
] as const;

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
    // script
    /**
     * script only: your own k6 script (path relative to the plan file), run unchanged: its own `options`
     * (scenarios, executors, thresholds) decide the load; hotswap passes BASE_URL and `env`, and adds only
     * its output flags (and `--blacklist-ip` for every address but loopback unless --allow-remote).
     */
    script: z.string().min(1).optional(),
    /** script only: what hotswap read from the script with `k6 inspect` when the trial started (plan.json). */
    scriptOptions: z
      .strictObject({
        /** Planned seconds of load (the longest scenario's start + duration); 0 when iteration-bound. */
        loadSeconds: z.number().nonnegative(),
        /** The executors of its scenarios, e.g. ["constant-arrival-rate"]. */
        executors: z.array(z.string()),
      })
      .optional(),
    /** Extra environment for k6 (the script reads it from `__ENV`), over hotswap's own variables. */
    env: z.record(z.string(), z.string()).optional(),
    // capacity-search (src/trial/capacity-search.ts): probes at constant rates, each its own k6 run
    /** capacity-search only: rate of the first probe, requests per second (the search never goes lower). */
    fromRps: positive.optional(),
    /** capacity-search only: highest rate probed; a search that passes there stops as a lower bound. */
    maxRps: positive.optional(),
    /** capacity-search only: converged when failRps / passRps ≤ 1 + resolution (default 0.10). */
    resolution: z.number().gt(0).max(1).optional(),
    /** capacity-search only: seconds of load per probe at least (longer when minRequests needs it). */
    probeSeconds: positive.optional(),
    /**
     * capacity-search only: requests a probe needs at least, so its SLO quantile is not the maximum of
     * a handful (default: the fewest that bound the SLO quantile, p95 72, p99 368).
     */
    minRequests: positiveInt.optional(),
    /** capacity-search only: wall seconds the search of one configuration may take; then a lower bound. */
    budgetSeconds: positive.optional(),
    /**
     * capacity-search only: `cpu` (default) seeds the search from the first probe's CPU per request
     * (the pinned core saturates at 1 / CPU-seconds-per-request); `none` grows ×2 from fromRps as
     * Nighthawk's adaptive load controller does.
     */
    seedFrom: z.enum(['cpu', 'none']).optional(),
    /**
     * capacity-search only: how many searches of each configuration, interleaved, in the first
     * repetitions. Default: one per repetition with a fixed `repetitions` count (run in each block
     * before its other phases); 1 with a look schedule, where the searches run in their own blocks
     * before the first look (a look judges the other phases and cannot stop a search half-way).
     */
    searches: positiveInt.optional(),
    // rollback
    /** rollback only: seconds after the start when the hotspot flag flips to Go… */
    flipAtSeconds: positive.optional(),
    /** …and seconds after the start when it flips back. */
    flipBackAtSeconds: positive.optional(),
    // fault-drill
    /** fault-drill only: seconds after the start when injected Rust errors begin (POST /admin/hotspot faultRate)… */
    injectAtSeconds: positive.optional(),
    /** …and seconds after the start when they are cleared (faultRate 0). */
    clearAtSeconds: positive.optional(),
    /** fault-drill only: share of Rust calls made to fail while injecting, 0–1 (e.g. 0.5). */
    faultRate: z.number().gt(0).max(1).optional(),
    /**
     * fault-drill only: the breaker's open time for the service of a block running this drill, seconds
     * (the service's `-breaker-open-for`; absent = its default 30 s). A shorter one fits a drill into a
     * short phase: recovery can only start once the breaker goes half-open.
     */
    breakerOpenForSeconds: positive.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.scenario === 'script') {
      for (const field of NOT_FOR_SCRIPTS)
        if (p[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message:
              field === 'arrivals'
                ? 'not allowed on a script phase: the script’s own executors decide its arrivals'
                : 'not allowed on a script phase: the script’s own options decide its load',
          });
    } else if (p.script !== undefined || p.scriptOptions !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [p.script !== undefined ? 'script' : 'scriptOptions'],
        message: `only for scenario script (this phase runs hotswap's ${p.scenario} scenario)`,
      });
    }
    for (const { field, why } of SCENARIO_TRAITS[p.scenario].requires) {
      if (p[field as keyof typeof p] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `required ${why ?? `for scenario ${p.scenario}`}`,
        });
    }
    if (p.searches !== undefined && p.scenario !== 'capacity-search') {
      ctx.addIssue({ code: 'custom', path: ['searches'], message: 'only for scenario capacity-search' });
    }
    if (p.fromRps !== undefined && p.maxRps !== undefined && p.maxRps < p.fromRps) {
      ctx.addIssue({ code: 'custom', path: ['maxRps'], message: 'must be at least fromRps' });
    }
    if (
      p.flipAtSeconds !== undefined &&
      p.flipBackAtSeconds !== undefined &&
      p.flipBackAtSeconds <= p.flipAtSeconds
    ) {
      ctx.addIssue({ code: 'custom', path: ['flipBackAtSeconds'], message: 'must come after flipAtSeconds' });
    }
    if (
      p.injectAtSeconds !== undefined &&
      p.clearAtSeconds !== undefined &&
      p.clearAtSeconds <= p.injectAtSeconds
    ) {
      ctx.addIssue({ code: 'custom', path: ['clearAtSeconds'], message: 'must come after injectAtSeconds' });
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

/**
 * "Same output": the candidate answers every corpus line as the baseline does (status and response
 * digest), beyond the noise floor of lines the baseline itself answers inconsistently. Needs
 * `correctness.digests`.
 */
const sameOutputLine = z.strictObject({ ...lineBase, check: z.literal('same-output') });

/** The candidate must meet the plan's SLO. */
const sloLine = z.strictObject({ ...lineBase, check: z.literal('slo') });

/** Every candidate fault drill's breaker opens within `seconds` of the injection (issue 12). */
const breakerTripsWithinLine = z.strictObject({
  ...lineBase,
  check: z.literal('breaker-trips-within'),
  seconds: positive,
});

/** Every candidate rollback drill has Rust off (flip acknowledged, last Rust answer ended) within `seconds` of the flip call. */
const rollbackWithinLine = z.strictObject({
  ...lineBase,
  check: z.literal('rollback-within'),
  seconds: positive,
});

/** No request of a candidate drill (fault or rollback) failed. */
const noFailedRequestsLine = z.strictObject({ ...lineBase, check: z.literal('no-failed-requests') });

/** The plan's bet pays back (one-off cost ÷ monthly net) within `months`. */
const paybackLine = z.strictObject({ ...lineBase, check: z.literal('payback'), months: positive });

/** One pass line, structured: a claim about the candidate relative to the baseline. */
export const passLineSchema = z.discriminatedUnion('check', [
  changeLine,
  flatLine,
  noNewErrorClassesLine,
  sloLine,
  sameOutputLine,
  breakerTripsWithinLine,
  rollbackWithinLine,
  noFailedRequestsLine,
  paybackLine,
]);
export type PassLine = z.output<typeof passLineSchema>;
export type ChangePassLine = z.output<typeof changeLine>;
export type FlatPassLine = z.output<typeof flatLine>;
export type NoNewErrorClassesPassLine = z.output<typeof noNewErrorClassesLine>;
export type SloPassLine = z.output<typeof sloLine>;
export type SameOutputPassLine = z.output<typeof sameOutputLine>;
export type BreakerTripsWithinPassLine = z.output<typeof breakerTripsWithinLine>;
export type RollbackWithinPassLine = z.output<typeof rollbackWithinLine>;
export type NoFailedRequestsPassLine = z.output<typeof noFailedRequestsLine>;
export type PaybackPassLine = z.output<typeof paybackLine>;

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

/**
 * Sequential repetitions (issue 10): look at the data after `min` runs per arm, then every `every` more,
 * up to `max`, and stop as soon as the verdict is settled (src/trial/sequential.ts; boundaries in
 * src/analysis/stats/group-sequential.ts). `max` is the last look even when `every` does not reach it.
 */
export const lookScheduleSchema = z
  .strictObject({
    /** Runs per arm at the first look (5: the exact one-sided test's smallest p is 1/252 = 0.004). */
    min: positiveInt,
    /** Runs per arm at the last look: the trial never runs more. */
    max: positiveInt,
    /** Runs per arm added between looks. */
    every: positiveInt,
  })
  .refine((s) => s.max >= s.min, { path: ['max'], message: 'must be ≥ min' });
export type LookScheduleSpec = z.output<typeof lookScheduleSchema>;

/** Lan-DeMets spending functions (group-sequential.ts `SPENDING_FUNCTIONS`). */
export const SPENDING = ['pocock', 'obrien-fleming'] as const;

/**
 * How a look schedule spends the error rate, frozen in plan.json before the first run (the plan file
 * fills it in for a look schedule): Pocock-type by default (O'Brien-Fleming-type spends too little to
 * stop at a first look of 5 runs per arm).
 */
export const sequentialSchema = z.strictObject({
  spending: z.enum(SPENDING).default('pocock'),
  /** Overall false-keep (and false-drop) rate the looks share, e.g. 0.05. */
  alpha: z.number().gt(0).lt(0.5).default(0.05),
});
export type SequentialSpec = z.output<typeof sequentialSchema>;

/** The plan's look schedule, or undefined for a fixed number of repetitions. */
export const lookScheduleOf = (plan: Pick<Plan, 'repetitions'>): LookScheduleSpec | undefined =>
  typeof plan.repetitions === 'number' ? undefined : plan.repetitions;

/** Repetitions per configuration at most: the fixed number, or the look schedule's `max`. */
export const maxRepetitions = (plan: Pick<Plan, 'repetitions'>): number =>
  typeof plan.repetitions === 'number' ? plan.repetitions : plan.repetitions.max;

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

/**
 * Same output (issue 11). `digests`: every k6 request of the phases whose scenario trait allows it
 * records its status and a digest of its body, keyed by corpus line (never during capacity-search
 * probes); the analysis compares the arms line by line. `ignoreEndpoints`: endpoints whose answers are
 * not compared (e.g. ones that embed a time). `shadowPercent`: reference configurations of the rust
 * build run with `-shadow-percent N` (service/README.md): on N % of the requests routed to Go, Rust runs
 * too and the service compares the two answers itself.
 */
const correctness = z.strictObject({
  digests: z.boolean().default(false),
  ignoreEndpoints: z.array(z.string().min(1)).default([]),
  shadowPercent: z.number().min(0).max(100).optional(),
});
export type CorrectnessSpec = z.output<typeof correctness>;

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

/**
 * CPU profiles of the service under load (Go's net/http/pprof; off by default, for services without it).
 * The reference service is then started with `-pprof-addr 127.0.0.1:0`. At 100 Hz a profile holds about
 * 100 samples per busy core-second, so a lightly loaded build gives too few samples for a share: profile
 * at a rate near half the knee (`rateRps`: a dedicated profiling load after the measured run) and ask for
 * `minSamples`, below which the share is reported as too uncertain.
 */
const profile = z.strictObject({
  /** Length of each profile (`/debug/pprof/profile?seconds=N`), seconds. */
  seconds: positiveInt.default(10),
  /**
   * Function-name patterns of the hotspot (JavaScript regular expressions, unanchored, matched against
   * the full Go function name, e.g. `kernel\.Scan$` or `_Cfunc_hotspot_`).
   */
  hotspot: z
    .array(
      z
        .string()
        .min(1)
        .refine((p) => {
          try {
            new RegExp(p);
            return true;
          } catch {
            return false;
          }
        }, 'not a valid regular expression'),
    )
    .min(1),
  /** Fewest CPU samples a profile needs before its shares are reported as figures (default 1000). */
  minSamples: positiveInt.default(1000),
  /**
   * Rate of a dedicated profiling load after each measured run of the profiled phase, requests/s, one
   * for both configurations or one each (`{ baseline: 20, candidate: 300 }`: near half of each knee);
   * when absent the profile is taken during the measured run itself. With `phase` naming a capacity
   * search: the rate of the search's profile run instead of the highest passing probe's.
   */
  rateRps: z.union([positive, z.strictObject({ baseline: positive, candidate: positive })]).optional(),
  /**
   * The phase whose runs are profiled (default: the judged phase, the first steady one). Naming the
   * `capacity-search` phase profiles no probe (the generator's headroom goes to the rate): once a block's
   * search has stopped, the block runs one profile run (phase `<search>.profile`, see
   * `searchProfilePhase`) on the same service at the search's passRps (the highest passing probe; at
   * `rateRps` when given) for `seconds` + 3 s, with the profile taken during it and no response digests.
   * A search with no passing probe gets no profile run (warning `search-profile-skipped`).
   */
  phase: phaseName.optional(),
});
export type ProfileSpec = z.output<typeof profile>;

/**
 * The name of a capacity search's profile run (plan `profile.phase` naming the search): `<search>.profile`.
 * No plan phase can have it (phase names have no dot), so the search never counts it as a probe and no
 * comparison counts it as a judged run.
 */
export const searchProfilePhase = (searchPhase: string): string => `${searchPhase}.profile`;

/** Seconds a search's profile run lasts beyond the profile itself (1 s for k6 to start, 2 s margin). */
export const SEARCH_PROFILE_EXTRA_SECONDS = 3;

/** Which `Server-Timing` entries are time spent waiting (database, cache, downstream calls). */
const serverTiming = z.strictObject({
  /** Entry names, e.g. [db, cache, downstream]. */
  wait: z.array(z.string().min(1)).default([]),
});
export type ServerTimingSpec = z.output<typeof serverTiming>;

/** Default of the plan's `minHotspotShare`: the share of CPU a hotspot needs to be worth a port. */
export const DEFAULT_MIN_HOTSPOT_SHARE = 0.3;

/**
 * The bet, written before the trial (the seed's one-page note): what the port is for, what it wins, how
 * to undo it, and what it costs, so the report can weigh the cost against the capacity it frees.
 * Money is in `capacity.currency`.
 */
const bet = z.strictObject({
  /** The problem the port addresses, in a sentence or two. */
  problem: z.string().min(1),
  /** What winning looks like. */
  win: z.string().min(1),
  /** How to undo it (the rollback path). */
  rollback: z.string().min(1),
  /** Engineering hours spent once: port, review, CI and build work, training. */
  oneOffHours: z.number().nonnegative(),
  /** Cost of one engineering hour. */
  hourlyRate: z.number().nonnegative(),
  /** Engineering hours every month from now on: extra review, on-call. */
  monthlyHours: z.number().nonnegative().default(0),
  /** Builds per month (CI), multiplied by the measured cold-build time difference. */
  buildsPerMonth: z.number().nonnegative().default(0),
  /** Price of one CI minute. */
  ciPricePerMinute: z.number().nonnegative().default(0),
  /** Months the net is summed over. */
  horizonMonths: positive.default(12),
});
export type BetSpec = z.output<typeof bet>;

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
  /**
   * Repetitions per configuration (runs per arm for each phase): a fixed number, or a look schedule
   * `{ min, max, every }` that stops as soon as the verdict is settled (with `sequential`).
   */
  repetitions: z.union([positiveInt, lookScheduleSchema]),
  /** With a look schedule: the alpha-spending choice (filled in by the plan file's parse). */
  sequential: sequentialSchema.optional(),
  /** `interleaved` = ABAB…; `balanced-random` = seeded random order within each AB pair. */
  order: z.enum(['interleaved', 'balanced-random']).default('interleaved'),
  /** Warm-up before each measured phase, seconds, excluded from every statistic. */
  warmupSeconds: z.number().nonnegative().default(5),
  corpus: corpus.optional(),
  slo,
  capacity,
  /** Response digests and shadow mode: does the candidate give the same answers (absent = off). */
  correctness: correctness.optional(),
  /** Pass lines as written; each becomes one CheckResult. */
  passLines: z.array(passLineSchema).default([]),
  /** Rules that end the bet early whatever the pass lines say. */
  stopRules: z.array(stopRuleSchema).default([]),
  /** What a failed run does to the trial: keep going (the run is marked failed) or stop with exit 3. */
  onRunFailure: z.enum(['continue', 'stop']).default('continue'),
  /** Pin service and load generator to different cores with taskset (default true on ≥ 2 cores). */
  pinCpus: z.boolean().default(true),
  /** CPU profiles under load (off by default). */
  profile: profile.optional(),
  /** Share of CPU the hotspot must have for `hotswap profile` to call it worth a trial (default 0.3). */
  minHotspotShare: share.optional(),
  /** Which Server-Timing entries are waiting (the baseline table's wait column). */
  serverTiming: serverTiming.optional(),
  /** The bet and its cost inputs; without it the report has no payback. */
  bet: bet.optional(),
});

export type Plan = z.output<typeof planObjectSchema> & {
  /**
   * How `hotswap canary` reads and judges the live split of a fleet (src/model/canary.ts); its schema
   * is src/plan/canary-schema.ts, added to the plan file's schema there.
   */
  canary?: CanarySpec;
};
