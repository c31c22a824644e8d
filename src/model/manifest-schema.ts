import { z } from 'zod';
import { DRIVERS, ROLES, RUN_STATUSES, SCENARIOS } from './constants.js';
import { open, warningsSchema } from './schema-kit.js';

/**
 * The schema of manifest.json (**contract**: the trial folder), checked on every read, and the one
 * definition of its types: run.ts exports `z.output` of the schemas below. Unknown keys pass (the
 * manifest grows by additions within a schemaVersion, and other stages add their own fields); the keys
 * listed are strict about their types. Paths are strings here; `confineManifestPaths` (confine.ts)
 * checks that each stays inside the trial folder. Sections: raw paths, generator health, probe and
 * overrides, the run record, environment and builds, the manifest.
 */
const finite = z.number().finite();
const count = z.number().int().nonnegative();
const relPath = z.string().min(1).max(4096);

// ── raw paths ────────────────────────────────────────────────────────────────────────────────────────

/** One raw file a gatherer wrote around a run (src/trial/gatherer.ts). */
export const gatheredFileSchema = open({
  /** The gatherer's name, e.g. `profile`, `os-process`, `digests`. */
  gatherer: z.string(),
  /** The lifecycle hook that wrote it. */
  hook: z.enum(['before', 'during', 'after']),
  /** Relative to the trial folder. */
  path: relPath,
  /** Small facts a reader needs to interpret the file (e.g. `{ seconds: 5 }`, `{ source: 'cgroup' }`). */
  meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export const rawPathsSchema = open({
  /** Driver outputs (k6 CSV/JSON, maybe gz, several when split over processes; autocannon NDJSON). */
  outputs: z.array(relPath),
  /** Driver and service logs. */
  logs: z.array(relPath),
  /** Prometheus text scrapes of the service, before and after the measured phase. */
  metricsBefore: relPath.optional(),
  metricsAfter: relPath.optional(),
  /** Extra scrapes taken during the run (for RSS peaks), in time order. */
  metricsDuring: z.array(relPath).optional(),
  /** k6 end-of-test summary JSON, when written. */
  summary: relPath.optional(),
  /**
   * Files written by gatherers other than the /metrics scrapes (whose paths keep the fields above), in
   * the order they were gathered, e.g. `{ gatherer: 'profile', hook: 'during', path:
   * 'raw/r000-baseline-steady/cpu.pb.gz' }`. Absent when no such gatherer wrote a file, so trial folders
   * written before gatherers existed read the same.
   */
  gathered: z.array(gatheredFileSchema).optional(),
});

// ── generator health ─────────────────────────────────────────────────────────────────────────────────

/**
 * Was the load generator, not the service, the limit? Open-model runs compare achieved to offered
 * arrival rate and count dropped iterations; any run also records the generator's CPU use.
 */
export const generatorHealthSchema = open({
  offeredRps: finite.nonnegative().optional(),
  achievedRps: finite.nonnegative().optional(),
  droppedIterations: count.optional(),
  /** CPU seconds the generator process used, and that over wall time (1.0 = one core busy). */
  cpuSeconds: finite.nonnegative().optional(),
  cpuUtilisation: finite.nonnegative().optional(),
  /** True when the generator was the bottleneck; the run is then marked and its figures suspect. */
  limited: z.boolean(),
  limitedReason: z.string().optional(),
});

// ── probe and overrides ──────────────────────────────────────────────────────────────────────────────

/** Per-run changes to a plan phase that a schedule strategy may ask for (src/trial/schedule.ts). */
export const phaseOverridesSchema = open({
  /** Constant arrival rate of the run (k6 steady/spike/rollback, autocannon). */
  rateRps: finite.positive().optional(),
  durationSeconds: finite.positive().optional(),
});

/** How a capacity search judged one of its probes (on the probe's own run). */
export const probeNoteSchema = open({
  pass: z.boolean(),
  /** Why the search chose the rate: start, grow, seed, gallop, bisect, confirm. */
  purpose: z.string(),
  /** The SLO quantile of the probe, ms. */
  quantileMs: z.number().optional(),
  /** What it missed, when it failed. */
  failedOn: z.array(z.string()).optional(),
});

// ── the run record ───────────────────────────────────────────────────────────────────────────────────

/**
 * One load run: one configuration, one phase, one repetition. The manifest lists them in execution
 * order; a failed or interrupted run stays in it (with its reason) and is left out of the statistics.
 */
export const runRecordSchema = open({
  /** Unique in the trial and the name of its raw folder: `raw/<id>/`, e.g. `r003-candidate-steady`. */
  id: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/),
  role: z.enum(ROLES),
  /** The configuration's display name at the time of the run. */
  configurationName: z.string(),
  phase: z.string(),
  scenario: z.enum(SCENARIOS),
  /** 1-based repetition of this configuration and phase. */
  repetition: count,
  /** 0-based position in the trial's execution order. */
  order: count,
  driver: z.enum(DRIVERS),
  driverVersion: z.string(),
  status: z.enum(RUN_STATUSES),
  /** Why a run failed or was interrupted, in one line. */
  failureReason: z.string().optional(),
  /** ISO-8601 wall-clock times. */
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  /** Seconds at the start of the driver output to leave out (warm-up). */
  warmupSeconds: finite.nonnegative(),
  /** Driver exit code; k6's 99 (thresholds crossed) is a result, not a failure. */
  driverExitCode: z.number().int().optional(),
  thresholdsCrossed: z.boolean().optional(),
  generator: generatorHealthSchema,
  /** Paths relative to the trial folder. */
  raw: rawPathsSchema,
  /** CPU the service and the generator were pinned to, when pinned. */
  serviceCpu: count.optional(),
  generatorCpu: count.optional(),
  /**
   * What a schedule strategy changed in the plan's phase for this run (e.g. a capacity-search probe's
   * rate). Absent for runs that ran the plan's phase as written (every run of a fixed schedule).
   */
  overrides: phaseOverridesSchema.optional(),
  /**
   * A capacity-search probe's judgement, written once the search has judged it (src/trial/
   * capacity-search.ts); report.json's capacity.<role>.search has the figures. Absent on other runs.
   */
  probe: probeNoteSchema.optional(),
  warnings: warningsSchema,
});

// ── environment and builds ───────────────────────────────────────────────────────────────────────────

export const buildInfoSchema = open({
  /** Wall time of the last build that ran on this machine: incremental after the first, so often small. */
  buildSeconds: finite.nonnegative(),
  /**
   * Wall time of a build from scratch (empty Go build cache and Cargo target folder), when measured
   * (`HOTSWAP_COLD_BUILD=1 bash service/build.sh`): the cost a newcomer or a CI machine pays.
   */
  coldBuildSeconds: finite.nonnegative().optional(),
  /** ISO-8601 time of the last build. */
  builtAt: z.string().optional(),
  binaryBytes: count,
  /** Toolchains that built it, e.g. "go1.26.8", "rustc 1.95.0". */
  toolchains: z.array(z.string()),
});

/** Facts about where a trial ran, for the report's caveats. */
export const environmentSchema = open({
  hostname: z.string().optional(),
  cpus: count,
  cpuModel: z.string().optional(),
  memoryBytes: count.optional(),
  os: z.string().optional(),
  node: z.string(),
  k6Version: z.string().optional(),
  autocannonVersion: z.string().optional(),
  goVersion: z.string().optional(),
  rustVersion: z.string().optional(),
  gitRevision: z.string().optional(),
  /** Whether service and generator were pinned to different cores. */
  pinned: z.boolean(),
  /** Loopback target, always 127.0.0.1 for the reference service. */
  targetHost: z.string(),
  /** Build cost per configuration, from build/build-info.json when the reference service is used. */
  builds: open({ baseline: buildInfoSchema.optional(), rust: buildInfoSchema.optional() }).optional(),
});

// ── the manifest ─────────────────────────────────────────────────────────────────────────────────────

/** The trial folder's `manifest.json`: where everything is and in what order it ran. */
export const manifestSchema = open({
  schemaVersion: z.literal(1),
  trialId: z.string(),
  createdAt: z.string(),
  /** When the plan was frozen (the same as createdAt unless resumed). */
  planFrozenAt: z.string(),
  status: z.enum(['running', 'complete', 'interrupted', 'failed']),
  environment: environmentSchema,
  runs: z.array(runRecordSchema),
});
