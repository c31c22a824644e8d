import type { LineAnswers } from './correctness.js';
import type { Warning } from './warning.js';

/**
 * The requests of one run, column-wise in typed arrays so a million requests cost tens of megabytes,
 * not a million objects. Row i of every array is request i, in time order as the driver wrote them.
 * Strings (endpoint, implementation, error class) are interned: the arrays hold indexes into the
 * dictionaries.
 */
export interface SampleSet {
  runId: string;
  /** Number of requests (rows); the arrays may be longer (capacity), only [0, n) is valid. */
  n: number;
  /** Request duration in milliseconds (k6 `http_req_duration`; autocannon per-response latency). */
  latencyMs: Float64Array;
  /** Request start (or k6 sample) time, milliseconds since the Unix epoch (µs resolution kept). */
  timestampMs: Float64Array;
  /** 1 when the request failed (k6 `http_req_failed`, a non-2xx, or a transport error). */
  failed: Uint8Array;
  /** HTTP status; 0 for a transport error. */
  status: Uint16Array;
  /** Index into `endpoints` (the k6 `endpoint` tag, or the path for autocannon). */
  endpoint: Uint16Array;
  endpoints: string[];
  /** Index into `impls` (from the `X-Hotspot-Impl` response header tag), or 0xff when absent. */
  impl: Uint8Array;
  impls: string[];
  /** Hotspot time from `Server-Timing: hotspot;dur=…`, milliseconds; NaN when absent. */
  hotspotMs: Float64Array;
  /** k6 `dropped_iterations` over the run (0 for closed-model drivers). */
  droppedIterations: number;
  /**
   * How late the generator started each paced arrival (k6 `start_lateness_ms`, scenarios/lib/paced.ts:
   * Poisson and replay phases; scheduled vs actual start), ms, sorted ascending, after warm-up. Arrivals
   * more than MAX_LATE_MS late were not sent but are here too (they also count in droppedIterations).
   * Absent when the output has no such samples: uniform phases are paced by k6's own executor.
   */
  startLatenessMs?: Float64Array;
  /** Offered rate at each point in time for ramp runs: `[tsMs, rateRps]` pairs from the driver, if known. */
  stages?: { startMs: number; endMs: number; rateRps: number }[];
  /** k6 `error_code` per request (e.g. 1211 timeout, 1000 generic transport error); 0 when none. */
  errorCode?: Uint16Array;
  /**
   * Per endpoint and implementation, from the scenario's custom metrics `impl_served` (Counter) and
   * `hotspot_ms` (Trend), after warm-up. Always filled when the driver output has them, whether or not
   * they could be joined to single requests (rows of `impl` / `hotspotMs`); see src/ingest/join.ts.
   */
  implServed?: ImplServedAggregate[];
  /**
   * Per endpoint and Server-Timing entry (other than `hotspot`: downstream, db, cache…), from the
   * scenario's `server_timing_ms` Trend (tag `timing`), after warm-up.
   */
  serverTimings?: ServerTimingAggregate[];
  /**
   * Control calls a scenario made beside the load (tagged `traffic=no`: the rollback drill's flag flips),
   * in time order. Not requests of the run: never counted in `n` or any statistic.
   */
  controlCalls?: ControlCall[];
  /**
   * Answers per corpus line from the scenario's `response_digest` samples (DIGESTS=1), over the whole
   * run including warm-up (an answer is an answer), sorted by line. Absent when the run kept no digests.
   */
  digests?: LineAnswers[];
  warnings: Warning[];
}

/** One control call (e.g. POST /admin/hotspot), with when it started and ended (epoch ms). */
export interface ControlCall {
  endpoint: string;
  startMs: number;
  endMs: number;
  status: number;
}

/** Custom-metric totals of one endpoint and one `X-Hotspot-Impl` value over the measured part of a run. */
export interface ImplServedAggregate {
  endpoint: string;
  impl: string;
  /** Sum of `impl_served` values (requests served by this implementation). */
  served: number;
  /** Number and sum of `hotspot_ms` samples (Server-Timing hotspot dur), milliseconds. */
  hotspotSamples: number;
  hotspotMsSum: number;
}

/** Totals of one Server-Timing entry of one endpoint over the measured part of a run. */
export interface ServerTimingAggregate {
  endpoint: string;
  /** The entry's name, e.g. `downstream`, `db`. */
  name: string;
  /** Responses that carried the entry, and the sum of their `dur` values, milliseconds. */
  samples: number;
  msSum: number;
}

/** Only quantiles, for drivers or imports that give no raw values. */
export interface QuantileOnlySamples {
  runId: string;
  n: number;
  quantilesMs: Record<string, number>;
  warnings: Warning[];
}

/**
 * A CPU profile as the analysis reads it (decoded from Go's profile.proto by src/ingest/pprof.ts): every
 * sample's stack of function names, leaf first (inlined frames expanded), its weight and its labels.
 */
export interface CpuProfileData {
  /** Sampling period, nanoseconds of CPU per sample (10 ms at Go's 100 Hz). */
  periodNanos: number;
  /** How long the profile ran, nanoseconds. */
  durationNanos: number;
  samples: CpuProfileSample[];
}

export interface CpuProfileSample {
  /** Function names, leaf (running) frame first. */
  stack: string[];
  /** Times this stack was sampled (Go's `samples/count`). */
  count: number;
  /** CPU time these samples stand for, nanoseconds (Go's `cpu/nanoseconds`; count × period otherwise). */
  cpuNanos: number;
  /** pprof string labels (the reference service's `endpoint`). */
  labels: Record<string, string>;
}
