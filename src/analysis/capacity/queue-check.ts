import { warning, type QueueModelCheck, type QueueModelRow, type Role } from '../../model/index.js';
import { erlangC } from './erlang.js';

/**
 * Can the queueing what-ifs be trusted for this service? The M/G/1 mean wait of Pollaczek and Khinchine,
 * and the M/M/c (Erlang C) mean wait that `hotswap plan queue` sizes with, set against the wait the
 * Poisson-arrival runs measured at each run's utilisation. Pure.
 *
 * - Pollaczek–Khinchine (Kleinrock, Queueing Systems vol. 1, 1975, eq. 5.73; Gross & Harris,
 *   Fundamentals of Queueing Theory, §5.1): Poisson arrivals, one server, general service time S,
 *   Wq = ρ·E[S]·(1 + Cs²) / (2(1 − ρ)), Cs² = Var[S] / E[S]².
 * - Erlang C (M/M/c, exponential service): Wq = C(c, a)·E[S] / (c − a) with a = λ·E[S] = c·ρ
 *   (Kleinrock eq. 3.43). With one server it is P-K at Cs² = 1.
 *
 * Utilisation: ρ = achieved rate × CPU seconds per request on one core (the run's own CPU counter),
 * the resource requests queue for when the service runs on one core (GOMAXPROCS=1, pinned).
 *
 * Service time: not measured per request. The estimate is the latency of the lowest-load Poisson run
 * of the same configuration (mean and Cs² of its per-request latencies): at the lowest utilisation a
 * request waits least, so its latency is the closest measured stand-in for the time it holds the
 * server, with its whole spread (a mix of heavy scans and light lookups has Cs² well above 1, which is
 * what P-K needs and Erlang C ignores). CPU per request alone would give E[S] but not Cs². What it
 * includes that is not service (loopback, the client, a downstream wait that holds no core) and the
 * little queueing at the lowest load make E[S] slightly high; the measured wait of a run is its mean
 * latency minus that E[S], so the reference run's own measured wait is 0 by construction.
 */

/** Mean and squared coefficient of variation of the first `n` values. */
export const meanAndScv = (values: ArrayLike<number>, n = values.length): { mean: number; scv: number } => {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    sum += v;
    count++;
  }
  if (count === 0) return { mean: NaN, scv: NaN };
  const mean = sum / count;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) ss += (v - mean) ** 2;
  }
  // Population variance: the service-time distribution of these requests, not an estimate of a mean.
  return { mean, scv: mean > 0 ? ss / count / mean ** 2 : NaN };
};

/** P-K mean wait in the queue (same unit as `meanService`); Infinity at ρ ≥ 1. */
export const pkMeanWait = (rho: number, meanService: number, scv: number): number => {
  if (!(rho >= 0) || !(meanService >= 0) || !(scv >= 0))
    throw new RangeError(`pkMeanWait: needs ρ, E[S], Cs² ≥ 0, got ${rho}, ${meanService}, ${scv}`);
  if (rho >= 1) return Infinity;
  return (rho * meanService * (1 + scv)) / (2 * (1 - rho));
};

/** Erlang C (M/M/c) mean wait in the queue at per-server utilisation ρ; Infinity at ρ ≥ 1. */
export const erlangMeanWait = (servers: number, rho: number, meanService: number): number => {
  if (!(rho >= 0) || !(meanService >= 0))
    throw new RangeError(`erlangMeanWait: needs ρ, E[S] ≥ 0, got ${rho}, ${meanService}`);
  if (rho >= 1) return Infinity;
  const a = servers * rho;
  return (erlangC(servers, a) * meanService) / (servers - a);
};

export interface QueueRunInput {
  runId: string;
  role: Role;
  phase: string;
  achievedRps: number;
  cpuSecondsPerRequest: number;
  /** Mean end-to-end latency of the run's requests, ms. */
  meanLatencyMs: number;
  /** Mean and Cs² of the run's per-request latencies (the service-time estimate when lowest-load). */
  latencyScv: number;
}

/**
 * E[S] more than this many times the CPU per request: the latency is mostly not this core's work, and
 * ρ from CPU understates the utilisation of whatever the requests really queue for.
 */
export const MAX_SERVICE_TO_CPU = 2;

/** Measured waits shorter than this (ms) are noise against a P-K prediction: not judged. */
export const MIN_JUDGED_WAIT_MS = 0.5;
/** Runs at or above this utilisation are left out of the fit verdict: Wq there explodes on tiny errors in ρ. */
export const MAX_JUDGED_RHO = 0.9;

/**
 * How well the model predicted: the largest factor between predicted and measured wait over the judged
 * runs (ρ < MAX_JUDGED_RHO, predicted or measured wait ≥ MIN_JUDGED_WAIT_MS, not the reference run):
 * within ×1.5 "close", within ×3 "rough", else "off"; "unjudged" without such a run.
 */
export const fitOf = (factor: number | undefined): QueueModelCheck['fit'] =>
  factor === undefined ? 'unjudged' : factor <= 1.5 ? 'close' : factor <= 3 ? 'rough' : 'off';

const factorOf = (predicted: number, measured: number): number => {
  const p = Math.max(predicted, MIN_JUDGED_WAIT_MS / 10);
  const m = Math.max(measured, MIN_JUDGED_WAIT_MS / 10);
  return Math.max(p / m, m / p);
};

/** The model check of one configuration's Poisson runs (servers: the cores ρ is spread over, 1 here). */
export const queueModelCheck = (
  role: Role,
  runs: readonly QueueRunInput[],
  servers = 1,
): QueueModelCheck | undefined => {
  const usable = runs.filter(
    (r) =>
      r.role === role &&
      r.achievedRps > 0 &&
      r.cpuSecondsPerRequest > 0 &&
      Number.isFinite(r.meanLatencyMs) &&
      Number.isFinite(r.latencyScv),
  );
  if (usable.length === 0) return undefined;
  const ref = usable.reduce((a, b) => (b.achievedRps < a.achievedRps ? b : a));
  const meanMs = ref.meanLatencyMs;
  const scv = ref.latencyScv;
  const rows: QueueModelRow[] = [...usable]
    .sort((a, b) => a.achievedRps - b.achievedRps || a.runId.localeCompare(b.runId))
    .map((r) => {
      const rho = (r.achievedRps * r.cpuSecondsPerRequest) / servers;
      const pk = pkMeanWait(rho, meanMs, scv);
      const erlang = erlangMeanWait(servers, rho, meanMs);
      const measured = r.meanLatencyMs - meanMs;
      const judged =
        r.runId !== ref.runId && rho < MAX_JUDGED_RHO && Math.max(pk, measured) >= MIN_JUDGED_WAIT_MS;
      return {
        runId: r.runId,
        phase: r.phase,
        rateRps: r.achievedRps,
        rho,
        cpuMsPerRequest: r.cpuSecondsPerRequest * 1000,
        measuredWaitMs: measured,
        pkWaitMs: pk,
        erlangWaitMs: erlang,
        reference: r.runId === ref.runId,
        judged,
        ...(judged ? { pkFactor: factorOf(pk, measured), erlangFactor: factorOf(erlang, measured) } : {}),
      };
    });
  const judged = rows.filter((r) => r.judged);
  const worst = (k: 'pkFactor' | 'erlangFactor') =>
    judged.length ? Math.max(...judged.map((r) => r[k]!)) : undefined;
  const pkWorst = worst('pkFactor');
  const erlangWorst = worst('erlangFactor');
  const cpuMs = ref.cpuSecondsPerRequest * 1000;
  const warnings =
    meanMs > MAX_SERVICE_TO_CPU * cpuMs
      ? [warning('queue-service-exceeds-cpu', { serviceMs: meanMs, cpuMs, runId: ref.runId })]
      : [];
  return {
    role,
    servers,
    serviceTime: {
      source: 'lowest-load-latency',
      runId: ref.runId,
      rateRps: ref.achievedRps,
      meanMs,
      scv,
      cpuMsPerRequest: ref.cpuSecondsPerRequest * 1000,
    },
    rows,
    fit: fitOf(pkWorst),
    erlangFit: fitOf(erlangWorst),
    ...(pkWorst !== undefined ? { pkWorstFactor: pkWorst } : {}),
    ...(erlangWorst !== undefined ? { erlangWorstFactor: erlangWorst } : {}),
    warnings,
  };
};
