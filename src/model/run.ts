import type { DriverName, Role, RunStatus, ScenarioName } from './constants.js';
import type { Warning } from './warning.js';

/**
 * One load run: one configuration, one phase, one repetition. The manifest lists them in execution
 * order; a failed or interrupted run stays in it (with its reason) and is left out of the statistics.
 */
export interface RunRecord {
  /** Unique in the trial and the name of its raw folder: `raw/<id>/`, e.g. `r003-candidate-steady`. */
  id: string;
  role: Role;
  /** The configuration's display name at the time of the run. */
  configurationName: string;
  phase: string;
  scenario: ScenarioName;
  /** 1-based repetition of this configuration and phase. */
  repetition: number;
  /** 0-based position in the trial's execution order. */
  order: number;
  driver: DriverName;
  driverVersion: string;
  status: RunStatus;
  /** Why a run failed or was interrupted, in one line. */
  failureReason?: string;
  /** ISO-8601 wall-clock times. */
  startedAt?: string;
  endedAt?: string;
  /** Seconds at the start of the driver output to leave out (warm-up). */
  warmupSeconds: number;
  /** Driver exit code; k6's 99 (thresholds crossed) is a result, not a failure. */
  driverExitCode?: number;
  thresholdsCrossed?: boolean;
  generator: GeneratorHealth;
  /** Paths relative to the trial folder. */
  raw: RawPaths;
  /** CPU the service and the generator were pinned to, when pinned. */
  serviceCpu?: number;
  generatorCpu?: number;
  /**
   * What a schedule strategy changed in the plan's phase for this run (e.g. a capacity-search probe's
   * rate). Absent for runs that ran the plan's phase as written (every run of a fixed schedule).
   */
  overrides?: PhaseOverrides;
  /**
   * A capacity-search probe's judgement, written once the search has judged it (src/trial/
   * capacity-search.ts); report.json's capacity.<role>.search has the figures. Absent on other runs.
   */
  probe?: ProbeNote;
  warnings: Warning[];
}

/** How a capacity search judged one of its probes (on the probe's own run). */
export interface ProbeNote {
  pass: boolean;
  /** Why the search chose the rate: start, grow, seed, gallop, bisect, confirm. */
  purpose: string;
  /** The SLO quantile of the probe, ms. */
  quantileMs?: number;
  /** What it missed, when it failed. */
  failedOn?: string[];
}

/** Per-run changes to a plan phase that a schedule strategy may ask for (src/trial/schedule.ts). */
export interface PhaseOverrides {
  /** Constant arrival rate of the run (k6 steady/spike/rollback, autocannon). */
  rateRps?: number;
  durationSeconds?: number;
}

/**
 * Was the load generator, not the service, the limit? Open-model runs compare achieved to offered
 * arrival rate and count dropped iterations; any run also records the generator's CPU use.
 */
export interface GeneratorHealth {
  offeredRps?: number;
  achievedRps?: number;
  droppedIterations?: number;
  /** CPU seconds the generator process used, and that over wall time (1.0 = one core busy). */
  cpuSeconds?: number;
  cpuUtilisation?: number;
  /** True when the generator was the bottleneck; the run is then marked and its figures suspect. */
  limited: boolean;
  limitedReason?: string;
}

export interface RawPaths {
  /** Driver outputs (k6 CSV/JSON, maybe gz, several when split over processes; autocannon NDJSON). */
  outputs: string[];
  /** Driver and service logs. */
  logs: string[];
  /** Prometheus text scrapes of the service, before and after the measured phase. */
  metricsBefore?: string;
  metricsAfter?: string;
  /** Extra scrapes taken during the run (for RSS peaks), in time order. */
  metricsDuring?: string[];
  /** k6 end-of-test summary JSON, when written. */
  summary?: string;
  /**
   * Files written by gatherers other than the /metrics scrapes (whose paths keep the fields above), in
   * the order they were gathered, e.g. `{ gatherer: 'profile', hook: 'during', path:
   * 'raw/r000-baseline-steady/cpu.pb.gz' }`. Absent when no such gatherer wrote a file, so trial folders
   * written before gatherers existed read the same.
   */
  gathered?: GatheredFile[];
}

/** One raw file a gatherer wrote around a run (src/trial/gatherer.ts). */
export interface GatheredFile {
  /** The gatherer's name, e.g. `profile`, `os-process`, `digests`. */
  gatherer: string;
  /** The lifecycle hook that wrote it. */
  hook: 'before' | 'during' | 'after';
  /** Relative to the trial folder. */
  path: string;
  /** Small facts a reader needs to interpret the file (e.g. `{ seconds: 5 }`, `{ source: 'cgroup' }`). */
  meta?: Record<string, string | number | boolean>;
}

/** The trial folder's `manifest.json`: where everything is and in what order it ran. */
export interface Manifest {
  schemaVersion: 1;
  trialId: string;
  createdAt: string;
  /** When the plan was frozen (the same as createdAt unless resumed). */
  planFrozenAt: string;
  status: 'running' | 'complete' | 'interrupted' | 'failed';
  environment: Environment;
  runs: RunRecord[];
}

/** Facts about where a trial ran, for the report's caveats. */
export interface Environment {
  hostname?: string;
  cpus: number;
  cpuModel?: string;
  memoryBytes?: number;
  os?: string;
  node: string;
  k6Version?: string;
  autocannonVersion?: string;
  goVersion?: string;
  rustVersion?: string;
  gitRevision?: string;
  /** Whether service and generator were pinned to different cores. */
  pinned: boolean;
  /** Loopback target, always 127.0.0.1 for the reference service. */
  targetHost: string;
  /** Build cost per configuration, from build/build-info.json when the reference service is used. */
  builds?: Partial<Record<'baseline' | 'rust', BuildInfo>>;
}

export interface BuildInfo {
  /** Wall time of the last build that ran on this machine: incremental after the first, so often small. */
  buildSeconds: number;
  /**
   * Wall time of a build from scratch (empty Go build cache and Cargo target folder), when measured
   * (`HOTSWAP_COLD_BUILD=1 bash service/build.sh`): the cost a newcomer or a CI machine pays.
   */
  coldBuildSeconds?: number;
  /** ISO-8601 time of the last build. */
  builtAt?: string;
  binaryBytes: number;
  /** Toolchains that built it, e.g. "go1.26.8", "rustc 1.95.0". */
  toolchains: string[];
}
