import { isScenarioName, type DriverName, type Role, type ScenarioName } from './constants.js';
import type { AutocannonPhaseSpec, K6PhaseSpec, PhaseSpec } from './plan.js';
import { DEFAULT_SPIKE_MULTIPLIER, spikeStages, type Stage } from './shapes.js';
import type { Warning } from './warning.js';
import { warning } from './warnings.js';

/**
 * Scenario traits: everything the pipeline needs to know about a kind of phase, in one table. The plan
 * schema reads `requires`, the k6 driver `offered`/`loadSeconds`/`env`, progress `loadSeconds`, the
 * analysis `compared`/`sizing`/`judgedFirst`/`checkedRps`/`describe`, the report `judgedPhaseOf`.
 * Adding a phase kind is one entry here (plus its scenario file under scenarios/ for k6, and its fields in
 * the phase schema of model/plan.ts when it needs new ones).
 */

/** What a drill scenario needs to know about the target it flips (the rollback drill). */
export interface DrillTarget {
  /** Bearer token of the service's admin endpoint. */
  adminToken: string;
  /** Implementation the drill flips back to at the end, e.g. "rust". */
  flipBackImpl: string;
  /** Share of hotspot calls sent to Rust after the flip back, percent 0–100. */
  flipBackSharePercent: number;
}

export interface ScenarioTraits<P extends PhaseSpec = PhaseSpec> {
  driver: DriverName;
  /** Runs are compared run against run (latency, errors, resources). */
  compared: boolean;
  /** Preferred phase to judge pass lines and stop rules on (the first such phase wins). */
  judgedFirst: boolean;
  /** Runs feed the capacity knee (plateau by plateau). */
  sizing: boolean;
  /** Load is meant to reach saturation, so a busy generator is expected rather than a caveat. */
  saturates: boolean;
  /** Closed-model phases whose achieved throughput is compared too. */
  comparesThroughput: boolean;
  /**
   * Requests may record response digests when the plan asks (`correctness.digests`): not for phases
   * that search for saturation, where the generator's extra CPU would bias the knee.
   */
  digests: boolean;
  /**
   * Plan fields a phase of this kind must set, in this order, and why (default "for scenario <name>");
   * the plan schema checks them.
   */
  requires: readonly { field: string; why?: string }[];
  /** Seconds of load the phase plans (no start-up), the denominator of its achieved rate. */
  loadSeconds: (p: P) => number;
  /** Offered arrival rate over time, plateau by plateau; undefined for a closed model. */
  offered: (p: P) => Stage[] | undefined;
  /** The rate achieved throughput is checked against ("load not met"), requests per second. */
  checkedRps: (p: P) => number | undefined;
  /** Extra environment of the scenario, from the phase and, for drills, the target. */
  env: (p: P, drill?: DrillTarget) => Record<string, string>;
  /** One line for the report's plan section. */
  describe: (p: P) => string;
  /**
   * k6 only: the script to run, when it is not the bundled scenarios/<scenario>.ts (e.g. a user's own
   * script named by the phase).
   */
  script?: (p: P) => string;
  /**
   * The configurations a phase of this kind runs for (absent = both). The fault drill runs for the
   * candidate only: the pure-Go baseline has no Rust path whose errors could trip a breaker.
   */
  roles?: readonly Role[];
  /**
   * Extra flags of the reference service for a block that runs a phase of this kind (e.g. the fault
   * drill's `-allow-fault-injection`): a block without such a phase never gets them.
   */
  serviceArgs?: (p: P) => string[];
}

/** Environment variables from the set ones of `vars`, as strings. */
const envOf = (vars: Record<string, string | number | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(vars).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));

/** Steady-state k6 traits: constant rate for `durationSeconds`, compared, not sized. */
const constantRate: Omit<ScenarioTraits<K6PhaseSpec>, 'judgedFirst'> = {
  driver: 'k6',
  compared: true,
  sizing: false,
  saturates: false,
  comparesThroughput: false,
  digests: true,
  requires: [{ field: 'rateRps' }, { field: 'durationSeconds' }],
  loadSeconds: (p) => p.durationSeconds ?? 0,
  offered: (p) => [{ rateRps: p.rateRps ?? 0, seconds: p.durationSeconds ?? 0 }],
  checkedRps: (p) => p.rateRps,
  env: () => ({}),
  describe: (p) => `${p.scenario}: ${p.rateRps ?? '?'} rps for ${p.durationSeconds ?? '?'} s`,
};

const steady: ScenarioTraits<K6PhaseSpec> = { ...constantRate, judgedFirst: true };
const soak: ScenarioTraits<K6PhaseSpec> = { ...constantRate, judgedFirst: false };

const spike: ScenarioTraits<K6PhaseSpec> = {
  ...constantRate,
  judgedFirst: false,
  offered: (p) =>
    spikeStages(p.rateRps ?? 0, p.durationSeconds ?? 0, p.spikeMultiplier ?? DEFAULT_SPIKE_MULTIPLIER),
  env: (p) => envOf({ SPIKE_MULTIPLIER: p.spikeMultiplier }),
};

const rollback: ScenarioTraits<K6PhaseSpec> = {
  ...constantRate,
  judgedFirst: false,
  env: (p, drill) =>
    envOf({
      FLIP_AT: p.flipAtSeconds,
      FLIP_BACK_AT: p.flipBackAtSeconds,
      ADMIN_TOKEN: drill?.adminToken,
      FLIP_TO: drill && 'go',
      FLIP_BACK_TO: drill?.flipBackImpl,
      FLIP_BACK_SHARE: drill?.flipBackSharePercent,
    }),
};

/**
 * Fault drill: steady load; at `injectAtSeconds` that share (`faultRate`) of Rust calls fails on
 * purpose, at `clearAtSeconds` the faults stop. The breaker must open (Go serves, `go-breaker`) and close
 * again, with no failed request. Candidate only, and the only phase that turns fault injection on.
 */
const faultDrill: ScenarioTraits<K6PhaseSpec> = {
  ...constantRate,
  compared: false,
  judgedFirst: false,
  requires: [
    { field: 'rateRps' },
    { field: 'durationSeconds' },
    { field: 'injectAtSeconds', why: 'for a fault drill (when the faults begin)' },
    { field: 'clearAtSeconds', why: 'for a fault drill (when they stop)' },
    { field: 'faultRate', why: 'for a fault drill (share of Rust calls that fail)' },
  ],
  roles: ['candidate'],
  env: (p, drill) =>
    envOf({
      INJECT_AT: p.injectAtSeconds,
      CLEAR_AT: p.clearAtSeconds,
      FAULT_RATE: p.faultRate,
      ADMIN_TOKEN: drill?.adminToken,
    }),
  serviceArgs: (p) => [
    '-allow-fault-injection',
    ...(p.breakerOpenForSeconds !== undefined ? ['-breaker-open-for', `${p.breakerOpenForSeconds}s`] : []),
  ],
  describe: (p) =>
    `fault drill: ${p.rateRps ?? '?'} rps for ${p.durationSeconds ?? '?'} s, ${
      p.faultRate !== undefined ? `${+(p.faultRate * 100).toFixed(1)} %` : '?'
    } of Rust calls failing from ${p.injectAtSeconds ?? '?'} s to ${p.clearAtSeconds ?? '?'} s${
      p.breakerOpenForSeconds !== undefined ? `, breaker open for ${p.breakerOpenForSeconds} s` : ''
    } (candidate only)`,
};

const ramp: ScenarioTraits<K6PhaseSpec> = {
  driver: 'k6',
  compared: false,
  judgedFirst: false,
  sizing: true,
  saturates: true,
  comparesThroughput: false,
  digests: false,
  requires: [{ field: 'steps', why: 'for a ramp (the plateaus)' }],
  loadSeconds: (p) => (p.steps ?? []).reduce((s, x) => s + x.durationSeconds, 0),
  offered: (p) => (p.steps ?? []).map((x) => ({ rateRps: x.rateRps, seconds: x.durationSeconds })),
  checkedRps: () => undefined,
  env: (p) => envOf({ STEPS: p.steps?.map((s) => `${s.rateRps}:${s.durationSeconds}`).join(',') }),
  describe: (p) =>
    `ramp: ${(p.steps ?? []).map((s) => `${s.rateRps} rps × ${s.durationSeconds} s`).join(', ')}`,
};

const saturation: ScenarioTraits<AutocannonPhaseSpec> = {
  driver: 'autocannon',
  compared: true,
  judgedFirst: false,
  sizing: false,
  saturates: true,
  comparesThroughput: true,
  digests: false,
  requires: [],
  loadSeconds: (p) => p.durationSeconds,
  offered: () => undefined,
  checkedRps: () => undefined,
  env: () => ({}),
  describe: (p) => `autocannon, ${p.connections} connections for ${p.durationSeconds} s`,
};

/**
 * Your own k6 script, run unchanged: its options decide executors, rates and durations, so hotswap knows
 * its load only from `k6 inspect` (scriptOptions, filled when the trial starts). Compared run against run
 * like steady; never sized (a closed-model script's offered rate is not fixed).
 */
const script: ScenarioTraits<K6PhaseSpec> = {
  driver: 'k6',
  compared: true,
  judgedFirst: false,
  sizing: false,
  saturates: false,
  comparesThroughput: false,
  // the user's script sends its own requests, not hotswap's corpus lines: nothing to key digests by
  digests: false,
  requires: [{ field: 'script', why: 'for scenario script (your k6 script, relative to the plan file)' }],
  loadSeconds: (p) => p.scriptOptions?.loadSeconds ?? 0,
  offered: () => undefined,
  checkedRps: () => undefined,
  env: () => ({}),
  describe: (p) =>
    `your k6 script ${p.script ?? '?'}${p.scriptOptions ? ` (${p.scriptOptions.executors.join(', ')})` : ''}`,
  script: (p) => p.script ?? '',
};

/** Executors whose next iteration waits for the last response (k6 docs: "closed model"). */
export const CLOSED_MODEL_EXECUTORS: readonly string[] = [
  'constant-vus',
  'ramping-vus',
  'per-vu-iterations',
  'shared-iterations',
];

/**
 * The caveat of a script phase whose script uses closed-model executors: its latencies are subject to
 * coordinated omission and its offered rate is not fixed, so capacity is not derived from it.
 */
export const closedModelWarnings = (phase: PhaseSpec): Warning[] => {
  if (phase.driver !== 'k6' || phase.scenario !== 'script') return [];
  const closed = (phase.scriptOptions?.executors ?? []).filter((e) => CLOSED_MODEL_EXECUTORS.includes(e));
  return closed.length ? [warning('closed-model-script', { phase: phase.name, executors: closed })] : [];
};

/** A capacity search's convergence tolerance when the plan gives none: failRps / passRps ≤ 1.10. */
export const DEFAULT_SEARCH_RESOLUTION = 0.1;

/**
 * Requests a probe needs for its SLO quantile to be more than the maximum of a handful: the fewest n
 * with qⁿ ≤ 0.025, i.e. the largest of n requests bounds the q-quantile from above at 95 % (p95 72,
 * p99 368; the same figure as analysis/stats minRequestsForQuantile for q ≥ 0.5, which a test checks).
 */
export const probeMinRequests = (quantile: number): number => {
  let n = Math.max(1, Math.ceil(Math.log(0.025) / Math.log(quantile)));
  while (n > 1 && quantile ** (n - 1) <= 0.025) n--;
  while (quantile ** n > 0.025) n++;
  return n;
};

/**
 * Seconds one probe at `rateRps` runs: at least `probeSeconds`, and long enough that the expected
 * number of arrivals is 10 % above `minRequests` (a Poisson count falls short of its mean about half the
 * time), whole seconds.
 */
export const probeSecondsAt = (
  p: Pick<K6PhaseSpec, 'probeSeconds'>,
  rateRps: number,
  minRequests: number,
): number => Math.max(Math.ceil(p.probeSeconds ?? 1), Math.ceil((1.1 * minRequests) / rateRps));

/**
 * Capacity search: every run is one probe at a constant rate the search chose (`overrides.rateRps`,
 * `overrides.durationSeconds`), run by scenarios/capacity-search.ts (the steady scenario). Not compared
 * run against run and not a ramp; the analysis (analysis/capacity/search.ts) judges each probe on its
 * own run. A probe past the knee is expected to fall behind, so a short delivery is not a caveat; the
 * short graceful stop keeps a failing probe's tail from holding the next one up.
 */
const capacitySearch: ScenarioTraits<K6PhaseSpec> = {
  driver: 'k6',
  compared: false,
  judgedFirst: false,
  sizing: false,
  saturates: true,
  comparesThroughput: false,
  // Probes give the generator's headroom to the rate: no response digests (issue 10).
  digests: false,
  requires: [
    { field: 'fromRps', why: 'for a capacity search (the first probe)' },
    { field: 'maxRps', why: 'for a capacity search (the cap)' },
    { field: 'probeSeconds', why: 'for a capacity search (seconds per probe)' },
    { field: 'budgetSeconds', why: 'for a capacity search (its time budget)' },
  ],
  loadSeconds: (p) => p.durationSeconds ?? p.probeSeconds ?? 0,
  offered: (p) => [
    { rateRps: p.rateRps ?? p.fromRps ?? 0, seconds: p.durationSeconds ?? p.probeSeconds ?? 0 },
  ],
  checkedRps: (p) => p.rateRps ?? p.fromRps,
  // The same reason: no metrics read from response headers (HEADER_METRICS=0, scenarios/lib/request.ts).
  env: () => ({ GRACEFUL_STOP: '3', HEADER_METRICS: '0' }),
  describe: (p) =>
    `capacity search: from ${p.fromRps ?? '?'} rps up to ${p.maxRps ?? '?'} rps until within ±${Math.round(
      (p.resolution ?? DEFAULT_SEARCH_RESOLUTION) * 100,
    )} %, probes ≥ ${p.probeSeconds ?? '?'} s${p.minRequests ? ` and ≥ ${p.minRequests} requests` : ''}, budget ${
      p.budgetSeconds ?? '?'
    } s, ${p.arrivals ?? 'uniform'} arrivals${p.seedFrom === 'none' ? '' : ', seeded from CPU per request'}`,
};

/** Every phase kind, by scenario name. */
export const SCENARIO_TRAITS: {
  [S in ScenarioName]: ScenarioTraits<S extends 'saturation' ? AutocannonPhaseSpec : K6PhaseSpec>;
} = {
  steady,
  ramp,
  spike,
  soak,
  rollback,
  script,
  'fault-drill': faultDrill,
  saturation,
  'capacity-search': capacitySearch,
};

/** The traits of a phase (the one place a phase's scenario and its spec type are joined). */
export const traitsOf = <P extends PhaseSpec>(p: P): ScenarioTraits<P> =>
  SCENARIO_TRAITS[p.scenario] as unknown as ScenarioTraits<P>;

/** Whether a phase runs for `role` (its kind's `roles`; a kind this version does not know runs for both). */
export const runsFor = (p: PhaseSpec, role: Role): boolean =>
  !isScenarioName(p.scenario) || (traitsOf(p).roles?.includes(role) ?? true);

/** The reference service's extra flags for a block running `phases` (each once, in phase order). */
export const serviceArgsFor = (phases: readonly PhaseSpec[]): string[] => {
  const out: string[] = [];
  for (const p of phases) {
    const args = traitsOf(p).serviceArgs?.(p) ?? [];
    // A flag set twice would be ambiguous: the first phase asking for it wins.
    for (let i = 0; i < args.length; i++) {
      const flag = args[i]!;
      const value = args[i + 1]?.startsWith('-') === false ? args[++i] : undefined;
      if (out.includes(flag)) continue;
      out.push(flag, ...(value !== undefined ? [value] : []));
    }
  }
  return out;
};

/** Mean offered rate over a run, requests per second (time-weighted over its plateaus). */
export const meanRate = (stages: Stage[]): number => {
  if (stages.length === 1) return stages[0]!.rateRps;
  const seconds = stages.reduce((s, x) => s + x.seconds, 0);
  return stages.reduce((s, x) => s + x.rateRps * x.seconds, 0) / seconds;
};

/** Whether runs of this phase are compared run against run (a ramp is sized, not compared). */
export const isComparedPhase = (p: { scenario: string }): boolean =>
  // A scenario this version does not know (a report.json from elsewhere) counts as compared.
  isScenarioName(p.scenario) ? SCENARIO_TRAITS[p.scenario].compared : true;

/**
 * The phase pass lines and stop rules are judged on: the first `judgedFirst` phase (steady), else the
 * first compared one; undefined when no phase is compared.
 */
export const judgedPhaseOf = (phases: readonly { name: string; scenario: string }[]): string | undefined =>
  (
    phases.find((p) => isScenarioName(p.scenario) && SCENARIO_TRAITS[p.scenario].judgedFirst) ??
    phases.find(isComparedPhase)
  )?.name;

/**
 * Whether a run records response digests: the plan asks for them, the phase's kind allows them, and the
 * run is not a capacity-search probe (a run with a rate override), whose figures must not carry the
 * digests' generator CPU.
 */
export const recordsDigests = (
  correctness: { digests: boolean } | undefined,
  phase: PhaseSpec,
  overrides: { rateRps?: number } | undefined,
): boolean => (correctness?.digests ?? false) && traitsOf(phase).digests && overrides?.rateRps === undefined;
