import { InputError } from '../../model/index.js';

/**
 * M/M/c queue (Poisson arrivals at rate λ, exponential service at rate μ per server, c servers, FCFS):
 * Erlang C and the waiting- and response-time tails, for "how many servers keep P(wait > S) ≤ E".
 *
 * - Erlang C, C(c, a) = P(wait > 0) with offered load a = λ/μ, computed from the Erlang B recursion
 *   B(0) = 1, B(k) = aB(k−1)/(k + aB(k−1)) and C = cB/(c − a(1 − B)), which never forms a^c/c! and is
 *   stable for thousands of servers (Kleinrock, Queueing Systems vol. 1, 1975, §3.5; Cooper, Introduction
 *   to Queueing Theory, 1981, §3.4; Jagerman 1974 for the recursion).
 * - Waiting time W: P(W > t) = C(c, a)·e^{−(cμ − λ)t} (Kleinrock eq. 3.40 / Gross & Harris, Fundamentals
 *   of Queueing Theory, §2.3).
 * - Response time T = W + service S, S ~ Exp(μ) independent of W: with θ = cμ − λ,
 *   P(T > t) = (1 − C)e^{−μt} + C·(θe^{−μt} − μe^{−θt})/(θ − μ), and (1 + μt)e^{−μt} for the C part when
 *   θ = μ (Gross & Harris §2.3, the sojourn-time distribution of M/M/c). Written with expm1 so θ ≈ μ
 *   keeps its precision.
 * Checked against a direct summation and numerical convolution in scipy (test/fixtures/oracle/erlang.json).
 */

/** P(wait > 0) in an M/M/c queue with `servers` servers and offered load a = λ/μ (Erlangs); 1 if a ≥ c. */
export const erlangC = (servers: number, offeredLoad: number): number => {
  if (!Number.isInteger(servers) || servers < 1)
    throw new RangeError(`erlangC: servers must be a positive integer, got ${servers}`);
  if (!(offeredLoad >= 0)) throw new RangeError(`erlangC: offered load must be ≥ 0, got ${offeredLoad}`);
  if (offeredLoad === 0) return 0;
  if (offeredLoad >= servers) return 1;
  const b = erlangB(servers, offeredLoad);
  return (servers * b) / (servers - offeredLoad * (1 - b));
};

/** Erlang B blocking probability B(c, a) by the stable recursion. */
export const erlangB = (servers: number, offeredLoad: number): number => {
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return b;
};

/** P(W > t) in M/M/c. */
export const waitTail = (servers: number, arrivalRate: number, serviceRate: number, t: number): number => {
  const a = arrivalRate / serviceRate;
  if (a >= servers) return 1;
  return erlangC(servers, a) * Math.exp(-(servers * serviceRate - arrivalRate) * t);
};

/** P(T > t), T = wait + service, in M/M/c. */
export const responseTail = (
  servers: number,
  arrivalRate: number,
  serviceRate: number,
  t: number,
): number => {
  const a = arrivalRate / serviceRate;
  if (a >= servers) return 1;
  const c = erlangC(servers, a);
  const mu = serviceRate;
  const theta = servers * serviceRate - arrivalRate;
  const delta = theta - mu;
  // (θe^{−μt} − μe^{−θt})/(θ − μ) = e^{−μt}·(1 + μt·(−expm1(−δt))/(δt)), → (1 + μt)e^{−μt} as δ → 0.
  const x = delta * t;
  const ratio = x === 0 ? 1 : -Math.expm1(-x) / x;
  const hypo = Math.exp(-mu * t) * (1 + mu * t * ratio);
  return (1 - c) * Math.exp(-mu * t) + c * hypo;
};

export type QueueCriterion = 'wait' | 'response';

export interface MinServersInput {
  /** λ, requests per second. */
  arrivalRate: number;
  /** μ, requests per second one server completes. */
  serviceRate: number;
  /** S, seconds. */
  sloSeconds: number;
  /** E, the largest acceptable P(wait > S) or P(response > S). */
  maxProbability: number;
  criterion: QueueCriterion;
}

/**
 * Upper bound of the offered load λ/μ (so of the server count searched): a million Erlangs. Each tail
 * evaluation runs the Erlang B recursion over c servers, so the bound keeps `plan queue` under a second.
 */
export const MAX_OFFERED_LOAD = 1_000_000;

/** The smallest c with P(W > S) ≤ E (or P(T > S) ≤ E) and that probability. */
export const minServers = (input: MinServersInput): { minServers: number; probability: number } => {
  const { arrivalRate, serviceRate, sloSeconds, maxProbability, criterion } = input;
  if (!(arrivalRate > 0 && Number.isFinite(arrivalRate)))
    throw new InputError(`arrival rate must be > 0, got ${arrivalRate}`);
  if (!(serviceRate > 0 && Number.isFinite(serviceRate)))
    throw new InputError(`service rate must be > 0, got ${serviceRate}`);
  if (!(sloSeconds >= 0 && Number.isFinite(sloSeconds)))
    throw new InputError(`SLO must be ≥ 0 seconds, got ${sloSeconds}`);
  if (!(maxProbability > 0 && maxProbability < 1)) {
    throw new InputError(`max probability must be in (0, 1), got ${maxProbability}`);
  }
  const tail = criterion === 'wait' ? waitTail : responseTail;
  if (criterion === 'response') {
    // Even with no waiting at all, P(T > S) ≥ P(service > S) = e^{−μS}.
    const floor = Math.exp(-serviceRate * sloSeconds);
    if (floor > maxProbability) {
      throw new InputError(
        `unreachable: the service time alone exceeds the SLO with probability e^(−μS) = ${floor.toPrecision(4)} > ${maxProbability}, whatever the number of servers`,
      );
    }
  }
  const a = arrivalRate / serviceRate;
  if (a > MAX_OFFERED_LOAD)
    throw new InputError(
      `offered load λ/μ = ${a.toPrecision(4)} Erlangs is beyond the supported ${MAX_OFFERED_LOAD.toLocaleString('en')} (one Erlang B pass per step costs O(servers))`,
    );
  // P(tail > S) falls as c grows (for c > a), so the smallest c is found by doubling the step until the
  // target is met, then bisecting: O(log c) evaluations, not one per server.
  const meets = (c: number) => tail(c, arrivalRate, serviceRate, sloSeconds) <= maxProbability;
  const first = Math.floor(a) + 1;
  if (meets(first)) return result(first);
  const limit = first + 2 * MAX_OFFERED_LOAD;
  let lo = first; // fails
  let step = 1;
  let hi = first + step;
  while (!meets(hi)) {
    if (hi >= limit) throw new InputError(`no number of servers up to ${limit} meets the target`);
    lo = hi;
    step *= 2;
    hi = Math.min(first + step, limit);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (meets(mid)) hi = mid;
    else lo = mid;
  }
  return result(hi);

  function result(c: number) {
    return { minServers: c, probability: tail(c, arrivalRate, serviceRate, sloSeconds) };
  }
};
