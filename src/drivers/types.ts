import type { z } from 'zod';
import type {
  DrillTarget,
  DriverName,
  Environment,
  GeneratorHealth,
  PhaseSpec,
  Slo,
  Warning,
} from '../model/index.js';
import type { ReaderFormat } from '../ingest/index.js';

/** Everything a driver needs for one load run; paths are absolute unless named `rel…`. */
export interface DriverRunInput {
  runId: string;
  /** The trial folder; raw files go to `raw/<runId>/` inside it. */
  trialDir: string;
  /** Target base URL, e.g. http://127.0.0.1:41234 (checked to be loopback by the caller). */
  baseUrl: string;
  phase: PhaseSpec;
  /** NDJSON corpus replayed by the k6 scenarios. */
  corpusPath: string;
  slo: Slo;
  /** The plan's seed: seeds a Poisson arrival schedule, the same for both arms. */
  seed?: number;
  /** CPU to pin the generator to (taskset), when pinning. */
  cpu?: number;
  /** The target a drill scenario acts on (admin token, flip-back implementation); only drills read it. */
  drill?: DrillTarget;
  /** Extra environment for the scenario, over everything else. */
  env?: Record<string, string>;
  /** Let a user's script reach addresses other than loopback (`--allow-remote`); else k6 blocks them. */
  allowRemote?: boolean;
  /** Aborting it stops the driver's processes (process groups, SIGTERM then SIGKILL). */
  signal: AbortSignal;
}

export interface DriverResult {
  status: 'ok' | 'failed' | 'interrupted';
  failureReason?: string;
  exitCode?: number;
  /** k6 exit 99: thresholds (the SLO) crossed. A result, not a failure. */
  thresholdsCrossed: boolean;
  driverVersion: string;
  /** Relative to the trial folder. */
  outputs: string[];
  logs: string[];
  summary?: string;
  generator: GeneratorHealth;
  /** Caveats on this run's figures (e.g. offered load not delivered). */
  warnings: Warning[];
  /** Planned seconds of load (without start-up), the denominator of the achieved rate. */
  loadSeconds: number;
  /** Responses that were transport errors or 4xx/5xx (autocannon); not counted in achievedRps. */
  failedResponses?: number;
}

/** The raw files of one driver process inside `raw/<run-id>/`, relative to the trial folder. */
export interface RawFiles {
  /** Per-request output, read by the ingest. */
  output: string;
  log: string;
  /** End-of-test summary, when the driver writes one. */
  summary?: string;
}

/**
 * One load driver, registered once (the xk6 `register.go` habit): everything about it is this object in
 * its own file, listed in DRIVER_REGISTRY (drivers/index.ts). Its phase schema is defined in model/plan.ts
 * (where `Plan` is derived from the schema and model may import nothing) and referenced here; its reader
 * is an ingest format (ingest may not import drivers).
 */
export interface Driver<P extends PhaseSpec = PhaseSpec> {
  name: DriverName;
  /** One line: the model of load it offers and what it is for. */
  description: string;
  /** The plan's schema of this driver's phases. */
  phaseSchema: z.ZodType<P>;
  /** Raw file names of process `index` (0-based) of a run whose folder is `runDir`. */
  raw: (runDir: string, index: number) => RawFiles;
  /** Ingest formats its outputs are read as (detected by content, src/ingest/detect.ts). */
  formats: readonly ReaderFormat[];
  /** Field of the manifest's environment that records its version (a contract field). */
  environmentKey: keyof Environment & `${string}Version`;
  /** Its version, bare (e.g. "v2.2.0", "9.0.0"). */
  version: () => Promise<string>;
  /** The run record's `driverVersion` label for a version (e.g. "autocannon 9.0.0"). */
  versionLabel: (version: string) => string;
  run: (input: DriverRunInput) => Promise<DriverResult>;
}
