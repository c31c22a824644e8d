import {
  DEFAULT_SEARCH_RESOLUTION,
  isResponse,
  probeMinRequests,
  probeSecondsAt,
  type CapacityEstimate,
  type CapacityInputs,
  type CapacitySearch,
  type K6PhaseSpec,
  type SavingsRange,
  type RunRecord,
  type SampleSet,
  type SearchProbe,
  type SearchStop,
  type Role,
  type Slo,
  type Warning,
  warning,
} from '../../model/index.js';
import { quantile, sortedCopy } from '../stats/index.js';
import { instancesNeeded } from './instances.js';
import { ACHIEVED_SHARE_MIN, type Knee } from './knee.js';

/**
 * The capacity search (phase `capacity-search`): per configuration, the highest constant arrival rate at
 * which one probe passes. Envoy Nighthawk's adaptive load controller (api/adaptive_load/
 * step_controller_impl.proto, "exponential search"): grow the rate by a factor until a probe fails, then
 * bisect until failRps / passRps ≤ 1 + resolution; each probe is scored on its own window. Then one
 * confirmation probe at passRps: a failed confirmation makes that rate a failing one and the search
 * steps down (bisecting again if the bracket widened).
 *
 * Beyond Nighthawk, the search is seeded from its first probe (`seedFrom: cpu`, the default): the pinned
 * core saturates at μ = cores / CPU-seconds-per-request, and the first probe's own SLO quantile t₀ at rate
 * λ₀ places the knee. In an M/M/1 queue every response-time quantile scales as 1 / (μ − λ)
 * (P(T > t) = e^{−(μ−λ)t}), so the rate where the quantile reaches the SLO is
 * λ* = μ − (μ − λ₀) · t₀ / SLO. The search probes λ* next and gallops from there in steps of
 * (1 + resolution)^(2^k), up while probes pass and down while they fail, until a bracket forms; then it
 * bisects as above. The estimate only chooses rates: every rate the result names was measured.
 *
 * A probe passes when its SLO quantile ≤ the SLO latency, its error rate ≤ the SLO's bound, the load was
 * delivered (achieved ≥ 97 % of offered for evenly spaced arrivals; for Poisson arrivals, whose count is
 * random, at least the mean minus three standard deviations), no iteration was dropped and the
 * generator was not the limit. The search never goes below fromRps or above maxRps; the time budget is
 * wall time from the first probe's start. Pure: this module decides (`nextProbe`) and reports
 * (`searchOf`) from the same probe history, so the trial's strategy and report.json cannot disagree.
 */

/** The plan's search fields with their defaults resolved. */
export interface SearchSpec {
  phase: string;
  fromRps: number;
  maxRps: number;
  resolution: number;
  probeSeconds: number;
  minRequests: number;
  budgetSeconds: number;
  seedFrom: 'cpu' | 'none';
  arrivals: string;
  slo: Slo;
  /** Cores the service could use (1 when pinned), for the saturation rate. */
  serviceCores: number;
}

export const searchSpecOf = (phase: K6PhaseSpec, slo: Slo, serviceCores = 1): SearchSpec => ({
  phase: phase.name,
  fromRps: Math.max(1, Math.round(phase.fromRps ?? 1)),
  maxRps: Math.max(1, Math.round(phase.maxRps ?? phase.fromRps ?? 1)),
  resolution: phase.resolution ?? DEFAULT_SEARCH_RESOLUTION,
  probeSeconds: phase.probeSeconds ?? 1,
  minRequests: phase.minRequests ?? probeMinRequests(slo.quantile),
  budgetSeconds: phase.budgetSeconds ?? Infinity,
  seedFrom: phase.seedFrom ?? 'cpu',
  arrivals: phase.arrivals ?? 'uniform',
  slo,
  serviceCores,
});

/** What one probe run gave, before it is judged. */
export interface ProbeRun {
  runId: string;
  rateRps: number;
  seconds: number;
  samples: SampleSet;
  droppedIterations: number;
  generatorLimited: boolean;
  /** Epoch ms of the run's start and end (manifest startedAt / endedAt). */
  startedAtMs: number;
  endedAtMs: number;
  /** The service's CPU per request over the probe, when measured. */
  cpuSecondsPerRequest?: number;
  /** The purpose the trial recorded for the probe (manifest `probe.purpose`), if any. */
  purpose?: SearchProbe['purpose'];
}

/** A judged probe with what the search needs to decide. */
export interface JudgedProbe extends Omit<SearchProbe, 'purpose'> {
  generatorLimited: boolean;
  startedAtMs: number;
  endedAtMs: number;
  cpuSecondsPerRequest?: number;
}

/** Judges one probe on its own run against the SLO and the delivery of its load. */
export const judgeProbe = (p: ProbeRun, spec: SearchSpec): JudgedProbe => {
  const { samples } = p;
  const latencies: number[] = [];
  let errors = 0;
  for (let i = 0; i < samples.n; i++) {
    if (samples.failed[i]) errors++;
    if (isResponse(samples, i)) latencies.push(samples.latencyMs[i]!);
  }
  const n = samples.n;
  const quantileMs = latencies.length ? quantile(sortedCopy(latencies), spec.slo.quantile) : NaN;
  const errorRate = n > 0 ? errors / n : 1;
  const achievedRps = n / p.seconds;
  const expected = p.rateRps * p.seconds;
  const delivered =
    spec.arrivals === 'uniform'
      ? achievedRps >= ACHIEVED_SHARE_MIN * p.rateRps
      : n >= expected - 3 * Math.sqrt(expected);
  const failedOn = [
    ...(Number.isFinite(quantileMs) && quantileMs <= spec.slo.latencyMs
      ? []
      : [
          `p${+(spec.slo.quantile * 100).toFixed(3)} ${Number.isFinite(quantileMs) ? `${+quantileMs.toFixed(1)} ms` : 'unmeasured'} > ${spec.slo.latencyMs} ms`,
        ]),
    ...(errorRate <= spec.slo.maxErrorRate ? [] : [`errors ${+(errorRate * 100).toFixed(2)} %`]),
    ...(delivered ? [] : [`achieved ${+achievedRps.toFixed(1)} of ${p.rateRps} rps`]),
    ...(p.droppedIterations > 0 ? [`${p.droppedIterations} dropped iterations`] : []),
    ...(p.generatorLimited ? ['generator limited'] : []),
  ];
  return {
    runId: p.runId,
    rateRps: p.rateRps,
    quantileMs,
    errorRate,
    achievedRps,
    requests: n,
    seconds: p.seconds,
    pass: failedOn.length === 0,
    ...(failedOn.length ? { failedOn } : {}),
    generatorLimited: p.generatorLimited,
    startedAtMs: p.startedAtMs,
    endedAtMs: p.endedAtMs,
    ...(p.cpuSecondsPerRequest !== undefined ? { cpuSecondsPerRequest: p.cpuSecondsPerRequest } : {}),
  };
};

/** The next probe, or why the search stops. */
export type SearchStep =
  { rateRps: number; durationSeconds: number; purpose: SearchProbe['purpose'] } | { stop: SearchStop };

/**
 * Highest rate where every probe passed below the lowest rate where the service failed one. A probe the
 * generator could not deliver (`generatorLimited`) says nothing about the service: it is left out of the
 * bracket and bounds the search from above instead (`generatorCeilingOf`).
 */
export const bracketOf = (
  probes: readonly (Pick<JudgedProbe, 'rateRps' | 'pass'> & { generatorLimited?: boolean })[],
): { passRps?: number; failRps?: number } => {
  const measured = probes.filter((p) => !p.generatorLimited);
  const failing = measured.filter((p) => !p.pass).map((p) => p.rateRps);
  const failRps = failing.length ? Math.min(...failing) : undefined;
  const passing = measured
    .filter((p) => p.pass && !failing.includes(p.rateRps) && (failRps === undefined || p.rateRps < failRps))
    .map((p) => p.rateRps);
  const passRps = passing.length ? Math.max(...passing) : undefined;
  return {
    ...(passRps !== undefined ? { passRps } : {}),
    ...(failRps !== undefined ? { failRps } : {}),
  };
};

/** The lowest rate at which the load generator was the limit (its core saturated), if any. */
export const generatorCeilingOf = (
  probes: readonly Pick<JudgedProbe, 'rateRps' | 'generatorLimited'>[],
): number | undefined => {
  const limited = probes.filter((p) => p.generatorLimited).map((p) => p.rateRps);
  return limited.length ? Math.min(...limited) : undefined;
};

/** λ* = μ − (μ − λ₀)·t₀/SLO from the first probe (see the module comment); undefined without CPU. */
export const seedOf = (
  first: Pick<JudgedProbe, 'rateRps' | 'quantileMs' | 'cpuSecondsPerRequest' | 'pass'>,
  spec: SearchSpec,
): CapacitySearch['seed'] | undefined => {
  const c = first.cpuSecondsPerRequest;
  if (spec.seedFrom !== 'cpu' || !first.pass || c === undefined || !(c > 0)) return undefined;
  const saturationRps = spec.serviceCores / c;
  const t0 = Number.isFinite(first.quantileMs) ? first.quantileMs : spec.slo.latencyMs;
  const raw = saturationRps - (saturationRps - first.rateRps) * (t0 / spec.slo.latencyMs);
  const seedRps = Math.round(Math.min(spec.maxRps, saturationRps, Math.max(raw, first.rateRps)));
  return { cpuSecondsPerRequest: c, saturationRps, seedRps };
};

const round = (x: number): number => Math.max(1, Math.round(x));

/** A rate strictly inside (lo, hi) when there is a whole one, near the geometric midpoint. */
const between = (lo: number, hi: number, x: number): number => Math.min(hi - 1, Math.max(lo + 1, round(x)));

/**
 * What the search does after `history` (the probes so far, in order): the next probe's rate and
 * purpose, or why it stops. Deterministic: the same history gives the same step.
 */
export const nextProbe = (spec: SearchSpec, history: readonly JudgedProbe[]): SearchStep => {
  const step = (rateRps: number, purpose: SearchProbe['purpose']): SearchStep => {
    const rate = round(rateRps);
    const durationSeconds = probeSecondsAt(spec, rate, spec.minRequests);
    const first = history[0];
    const last = history.at(-1);
    const elapsed = first && last ? (last.endedAtMs - first.startedAtMs) / 1000 : 0;
    // Each probe costs more wall time than its load (start-up, drain, analysis): expect the mean so far.
    const load = history.reduce((sum, p) => sum + p.seconds, 0);
    const overhead = history.length > 0 ? Math.max(0, elapsed - load) / history.length : 0;
    if (history.length > 0 && elapsed + durationSeconds + overhead > spec.budgetSeconds)
      return { stop: 'budget' };
    return { rateRps: rate, durationSeconds, purpose };
  };
  const first = history[0];
  if (!first) return step(spec.fromRps, 'start');
  const { passRps: lo, failRps: failed } = bracketOf(history);
  const ceiling = generatorCeilingOf(history);
  if (lo === undefined) return { stop: failed !== undefined ? 'never-passed' : 'generator' };
  const tol = 1 + spec.resolution;
  const seed = seedOf(first, spec);
  // Above the generator's ceiling nothing can be measured: below it the search goes on as if the
  // ceiling were a failing probe, and stops there once the bracket is narrow (a labelled lower bound).
  const byGenerator = ceiling !== undefined && (failed === undefined || ceiling < failed);
  const hi = byGenerator ? ceiling : failed;
  if (hi === undefined) {
    if (lo >= spec.maxRps) return { stop: 'max-rps' };
    const cap = (x: number): number => Math.min(spec.maxRps, x);
    if (!seed) return step(cap(lo * 2), 'grow');
    if (history.length === 1) return step(cap(Math.max(seed.seedRps, round(lo * tol))), 'seed');
    // Gallop up from the seed: (1 + resolution), then its square, its fourth power …
    return step(cap(Math.max(lo + 1, lo * tol ** (2 ** (history.length - 2)))), 'gallop');
  }
  if (hi / lo <= tol + 1e-9 || hi - lo <= 1) {
    if (byGenerator) return { stop: 'generator' };
    const atLo = history.filter((p) => p.rateRps === lo).length;
    return atLo >= 2 ? { stop: 'converged' } : step(lo, 'confirm');
  }
  const sinceSeed = seed ? history.slice(1) : [];
  if (sinceSeed.length > 0 && sinceSeed.every((p) => !p.pass)) {
    // Gallop down from a seed that failed, while the probes keep failing: seed / (1 + resolution),
    // then / its square, its fourth power … (from the seed, not from the last failure, so the steps
    // do not compound).
    const down = sinceSeed[0]!.rateRps / tol ** (2 ** (sinceSeed.length - 1));
    if (down > lo * tol) return step(between(lo, hi, down), 'gallop');
  }
  return step(between(lo, hi, Math.sqrt(lo * hi)), 'bisect');
};

/**
 * The search of one configuration and repetition from its probes in run order: every probe judged and
 * labelled with the purpose the search had for it, the bracket, and why it stopped (`unfinished` when
 * the history ends where the search would have gone on, e.g. an interrupted trial).
 */
export const searchOf = (
  spec: SearchSpec,
  repetition: number,
  runs: readonly ProbeRun[],
  opts: { unfinished?: boolean } = {},
): CapacitySearch => {
  const judged: JudgedProbe[] = [];
  const probes: SearchProbe[] = [];
  let stop: SearchStop | undefined;
  for (const run of runs) {
    const planned = nextProbe(spec, judged);
    const j = judgeProbe(run, spec);
    judged.push(j);
    probes.push({
      runId: j.runId,
      rateRps: j.rateRps,
      quantileMs: j.quantileMs,
      errorRate: j.errorRate,
      achievedRps: j.achievedRps,
      requests: j.requests,
      seconds: j.seconds,
      pass: j.pass,
      // A probe beyond where these rules stop (a folder gathered by other rules) keeps the purpose
      // the trial recorded for it.
      purpose: 'purpose' in planned ? planned.purpose : (run.purpose ?? 'bisect'),
      ...(j.failedOn ? { failedOn: j.failedOn } : {}),
    });
  }
  const after = nextProbe(spec, judged);
  if ('stop' in after) stop = after.stop;
  const { passRps, failRps } = bracketOf(judged);
  const generatorCeilingRps = generatorCeilingOf(judged);
  const first = judged[0];
  const seed = first ? seedOf(first, spec) : undefined;
  const last = judged.at(-1);
  return {
    repetition,
    phase: spec.phase,
    ...(passRps !== undefined ? { passRps } : {}),
    ...(failRps !== undefined ? { failRps } : {}),
    ...(generatorCeilingRps !== undefined ? { generatorCeilingRps } : {}),
    probes,
    stoppedBy: stop ?? 'unfinished',
    arrivals: spec.arrivals,
    ...(seed ? { seed } : {}),
    loadSeconds: judged.reduce((s, p) => s + p.seconds, 0),
    wallSeconds: first && last ? (last.endedAtMs - first.startedAtMs) / 1000 : 0,
    ...(stop === undefined && !opts.unfinished && 'rateRps' in after ? { next: after } : {}),
  };
};

/** A search that stopped at a cap (rate, time or generator): its passRps is a lower bound on the knee. */
export const isLowerBound = (s: Pick<CapacitySearch, 'stoppedBy' | 'passRps'>): boolean =>
  s.passRps !== undefined &&
  (s.stoppedBy === 'max-rps' || s.stoppedBy === 'budget' || s.stoppedBy === 'generator');

/** The search whose knee is the median (the lower of the two middle ones), among those with a passRps. */
export const medianSearch = (searches: readonly CapacitySearch[]): CapacitySearch | undefined => {
  const withPass = searches.filter((s) => s.passRps !== undefined);
  if (withPass.length === 0) return searches[0];
  const sorted = [...withPass].sort((a, b) => a.passRps! - b.passRps! || a.repetition - b.repetition);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

/** One run of a search phase, as the analysis has it. */
export interface SearchRunInput {
  run: RunRecord;
  /** Undefined when the run has no samples (failed, interrupted, pending). */
  samples?: SampleSet;
  cpuSecondsPerRequest?: number;
}

/**
 * Every repetition's search of one configuration, from the runs of the search phase (any status, in run
 * order). A probe that did not finish ok ends its search there as `unfinished`.
 */
export const searchesOf = (spec: SearchSpec, runs: readonly SearchRunInput[]): CapacitySearch[] => {
  const reps = [...new Set(runs.map((r) => r.run.repetition))].sort((a, b) => a - b);
  return reps.map((rep) => {
    const mine = runs.filter((r) => r.run.repetition === rep).sort((a, b) => a.run.order - b.run.order);
    const done: ProbeRun[] = [];
    let unfinished = false;
    for (const { run, samples, cpuSecondsPerRequest } of mine) {
      if (run.status === 'pending') continue;
      if (run.status !== 'ok' || !samples || samples.n === 0) {
        unfinished = true;
        break;
      }
      const rateRps = run.overrides?.rateRps ?? spec.fromRps;
      done.push({
        runId: run.id,
        rateRps,
        seconds: run.overrides?.durationSeconds ?? spec.probeSeconds,
        samples,
        droppedIterations: run.generator.droppedIterations ?? 0,
        generatorLimited: run.generator.limited,
        startedAtMs: Date.parse(run.startedAt ?? '') || 0,
        endedAtMs: Date.parse(run.endedAt ?? '') || 0,
        ...(cpuSecondsPerRequest !== undefined ? { cpuSecondsPerRequest } : {}),
        ...(run.probe ? { purpose: run.probe.purpose as SearchProbe['purpose'] } : {}),
      });
    }
    return searchOf(spec, rep, done, { unfinished });
  });
};

/** What a configuration's searches give its capacity estimate. */
export interface SearchCapacity {
  /** The knee to size by (absent when no search measured anything). */
  knee?: Knee;
  search?: CapacitySearch;
  searches: CapacitySearch[];
  kneeRangeRps?: [number, number];
}

/**
 * The capacity of one configuration from its searches: the median converged search's passRps is the
 * knee (sized by it alone, `sizeByKnee`); without a converged one, the median lower bound is a
 * `kneeIsLowerBound` knee; a search that never passed gives no knee (`kneeBelowRps` = fromRps: no fleet
 * is sized and no saving computed from it).
 */
export const searchCapacity = (
  role: Role,
  spec: SearchSpec,
  runs: readonly SearchRunInput[],
): SearchCapacity => {
  const searches = searchesOf(spec, runs);
  if (searches.length === 0) return { searches };
  const warnings: Warning[] = [];
  for (const s of searches) {
    if (s.stoppedBy === 'unfinished')
      warnings.push(warning('search-unfinished', { role, repetition: s.repetition }));
  }
  const converged = searches.filter((s) => s.stoppedBy === 'converged');
  const search = medianSearch(converged.length ? converged : searches)!;
  const kneeRangeRps: [number, number] | undefined =
    converged.length >= 2
      ? [Math.min(...converged.map((s) => s.passRps!)), Math.max(...converged.map((s) => s.passRps!))]
      : undefined;
  const out = { search, searches, ...(kneeRangeRps ? { kneeRangeRps } : {}) };
  if (search.stoppedBy === 'converged')
    return { ...out, knee: { kneeRps: search.passRps!, steps: [], warnings, sizeByKnee: true } };
  if (isLowerBound(search)) {
    warnings.push(
      warning('search-lower-bound', {
        role,
        passRps: search.passRps!,
        stoppedBy: search.stoppedBy,
        ...(search.generatorCeilingRps !== undefined
          ? { generatorCeilingRps: search.generatorCeilingRps }
          : {}),
      }),
    );
    return {
      ...out,
      knee: { kneeRps: search.passRps!, kneeIsLowerBound: true, steps: [], warnings, sizeByKnee: true },
    };
  }
  if (search.stoppedBy === 'never-passed') {
    const first = search.probes[0];
    warnings.push(
      warning('search-never-passed', {
        role,
        fromRps: first?.rateRps ?? spec.fromRps,
        failedOn: first?.failedOn?.join(', ') ?? 'failed',
      }),
    );
    return {
      ...out,
      knee: { kneeBelowRps: first?.rateRps ?? spec.fromRps, lowest: 'probe', steps: [], warnings },
    };
  }
  return { ...out, knee: { steps: [], warnings } };
};

/**
 * With repeated searches: the saving at the extremes of both knees' ranges (the baseline at its highest
 * knee against the candidate at its lowest gives the smallest saving, and the other way round the
 * largest), each fleet sized as sizeConfiguration sizes it. Only when both are sized by a converged knee.
 */
export const savingsRangeOf = (
  baseline: CapacityEstimate,
  candidate: CapacityEstimate,
  capacity: CapacityInputs,
): SavingsRange | undefined => {
  if (baseline.sizedBy !== 'knee' || candidate.sizedBy !== 'knee') return undefined;
  if (!baseline.kneeRangeRps && !candidate.kneeRangeRps) return undefined;
  const range = (c: CapacityEstimate): [number, number] => c.kneeRangeRps ?? [c.kneeRps!, c.kneeRps!];
  const fleet = (c: CapacityEstimate, kneeRps: number) =>
    instancesNeeded({
      peakRps: capacity.peakRps,
      // The same scaling the estimate used (perInstanceRps / kneeRps).
      perInstanceRps: kneeRps * (c.perInstanceRps! / c.kneeRps!),
      redundancy: capacity.redundancy,
      costPerInstanceHour: capacity.costPerInstanceHour,
    });
  const [bLo, bHi] = range(baseline).map((k) => fleet(baseline, k)) as [Fleet, Fleet];
  const [cLo, cHi] = range(candidate).map((k) => fleet(candidate, k)) as [Fleet, Fleet];
  return {
    instances: [bHi.instances - cLo.instances, bLo.instances - cHi.instances],
    moneyPerMonth: [bHi.costPerMonth - cLo.costPerMonth, bLo.costPerMonth - cHi.costPerMonth],
    currency: capacity.currency,
  };
};

type Fleet = ReturnType<typeof instancesNeeded>;
