import type { DriverName, GeneratorHealth, PhaseSpec, Slo, Warning } from '../model/index.js';

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
  /** Extra environment for the scenario (e.g. ADMIN_TOKEN for the rollback drill). */
  env?: Record<string, string>;
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

/** One load driver: one file per driver, checked with `satisfies Driver`. */
export interface Driver {
  name: DriverName;
  version: () => Promise<string>;
  run: (input: DriverRunInput) => Promise<DriverResult>;
}
