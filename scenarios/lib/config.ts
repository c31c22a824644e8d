// Configuration of every scenario, from environment variables (k6 `-e NAME=value` or the environment),
// so one script serves any target, rate and SLO. `hotswap run` sets them from the plan.
//
//   BASE_URL          target, e.g. http://127.0.0.1:8080 (loopback unless hotswap was told otherwise)
//   CORPUS            absolute path of the NDJSON corpus (see src/corpus/format.ts)
//   RATE              arrival rate, requests per second (steady, soak, spike base, rollback)
//   DURATION          seconds (steady, soak, spike, rollback)
//   STEPS             ramp plateaus "rate:seconds,rate:seconds,…"
//   PRE_VUS, MAX_VUS  k6 pre-allocated and maximum VUs (defaults sized from the rate)
//   SLO_QUANTILE      e.g. 0.99;  SLO_MS  latency bound;  SLO_MAX_ERROR_RATE  e.g. 0.001
//   SPIKE_MULTIPLIER  burst size as a multiple of RATE (spike, default 3)
//   ADMIN_TOKEN, FLIP_AT, FLIP_BACK_AT, FLIP_TO, FLIP_BACK_TO, FLIP_BACK_SHARE  rollback drill
//   DIGESTS=1         response digests (correctness);  HEADER_METRICS=0  no metrics from response headers
import type { Threshold } from 'k6/options';
import { DEFAULT_SPIKE_MULTIPLIER } from '../../src/model/shapes.ts';

const env = (name: string, fallback?: string): string => {
  const value = __ENV[name] ?? fallback;
  if (value === undefined || value === '')
    throw new Error(`scenario: environment variable ${name} is required`);
  return value;
};

const num = (name: string, fallback?: number): number => {
  const raw = env(name, fallback === undefined ? undefined : String(fallback));
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`scenario: ${name} must be a non-negative number, got "${raw}"`);
  return n;
};

export const baseUrl = (): string => env('BASE_URL', 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const corpusPath = (): string => env('CORPUS');
export const rate = (): number => num('RATE');
export const duration = (): number => num('DURATION');
export const spikeMultiplier = (): number => num('SPIKE_MULTIPLIER', DEFAULT_SPIKE_MULTIPLIER);

/**
 * How long k6 waits for in-flight requests after the last arrival (GRACEFUL_STOP seconds, default 10).
 * Requests still unanswered then are cut and not recorded, so a run past saturation can lose its slowest
 * requests: keep it longer than the worst latency you expect (k6's own default is 30 s).
 */
export const gracefulStop = (): string => `${num('GRACEFUL_STOP', 10)}s`;

/** Ramp plateaus from STEPS="100:10,200:10". */
export const steps = (): { rateRps: number; seconds: number }[] =>
  env('STEPS')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => {
      const [r, d] = s.split(':').map(Number);
      if (!r || !d) throw new Error(`scenario: STEPS entry "${s}" is not rate:seconds`);
      return { rateRps: r, seconds: d };
    });

/**
 * VUs an arrival-rate executor needs: rate × latency. Defaults: rate / 4 pre-allocated, at least 20 (VUs
 * started mid-run come late, and k6 drops arrivals meanwhile); rate × 5 at most, at least 100, which holds
 * up to ~5 s latencies before k6 drops iterations, reported as `dropped_iterations` (a busy shared machine
 * can stall a one-core service for seconds).
 */
export const vus = (peakRate: number): { preAllocatedVUs: number; maxVUs: number } => ({
  preAllocatedVUs: Number(__ENV.PRE_VUS ?? Math.max(20, Math.ceil(peakRate / 4))),
  maxVUs: Number(__ENV.MAX_VUS ?? Math.max(100, Math.ceil(peakRate * 5))),
});

/**
 * SLO thresholds; crossing them makes k6 exit 99, which hotswap records as a result, not a failure.
 * Only traffic requests are judged (the rollback drill's admin calls carry endpoint=admin).
 */
export const thresholds = (): Record<string, Threshold[]> => {
  const q = num('SLO_QUANTILE', 0.99);
  const ms = __ENV.SLO_MS;
  const maxErr = __ENV.SLO_MAX_ERROR_RATE;
  // Always true; it makes k6 export the traffic-only request count in its summary (submetrics appear
  // there only when a threshold names them), which hotswap uses for the achieved rate.
  const out: Record<string, Threshold[]> = { 'http_reqs{traffic:yes}': ['count>=0'] };
  if (ms) out['http_req_duration{traffic:yes}'] = [`p(${+(q * 100).toFixed(3)})<=${Number(ms)}`];
  if (maxErr) out['http_req_failed{traffic:yes}'] = [`rate<=${Number(maxErr)}`];
  return out;
};
