import {
  REPORT_SCHEMA_VERSION,
  ROLES,
  closedModelWarnings,
  isComparedPhase,
  judgedPhaseOf,
  traitsOf,
  warning,
  type WarningCode,
} from '../model/index.js';
import type {
  BuildInfo,
  CapacityEstimate,
  CpuProfileData,
  ConfigurationSpec,
  ErrorClassRow,
  K6PhaseSpec,
  Manifest,
  PhaseSpec,
  Plan,
  QueueModelCheck,
  ReportModel,
  ResourceUse,
  Role,
  RunRecord,
  SampleSet,
  Summary,
  Warning,
} from '../model/index.js';
import { betOf } from './bet.js';
import { findKnee, mergeRuns, stepFigures } from './capacity/knee.js';
import { meanAndScv, queueModelCheck, type QueueRunInput } from './capacity/queue-check.js';
import { savingsOf, savingsWarnings, sizeConfiguration } from './capacity/sizing.js';
import { savingsRangeOf, searchCapacity, searchSpecOf, type SearchCapacity } from './capacity/search.js';
import {
  dropTestCount,
  judgedComparisons,
  judgePassLine,
  judgeStopRule,
  type CheckContext,
  type SuspectRun,
} from './checks/index.js';
import { buildComparisons, minRunsForSignificance, RECOMMENDED_RUNS_PER_ARM } from './compare.js';
import { compareOutputs } from './correctness.js';
import { buildLadders, buildSpectra, poolLatencies } from './ladder.js';
import { withOsFigures, type OsRunFigures } from './os-resources.js';
import { computeResources, type RunScrapes, type ScrapeSample } from './resources.js';
import { profilesOf, searchProfileWarnings, withProfileCpu } from './profiles.js';
import { median } from './stats/index.js';
import { quantilesToReport, summarizeRun } from './summarize.js';
import { buildTimeseries } from './timeseries.js';
import { decide, failedRunsRule, withFailedRuns } from './verdict.js';
import { sequentialLookOf, sequentialVerdict } from './sequential.js';
import { buildDrills } from './drills.js';

/**
 * A trial folder's contents, read by the CLI (src/cli/analyze.ts) through ingest, turned into the
 * ReportModel. Pure: same input, same model (the bootstraps are seeded from the plan's seed), so a
 * trial can be re-analysed offline after a statistics fix and give the same report.
 */
export interface TrialInput {
  plan: Plan;
  manifest: Manifest;
  /** Samples of each run that has driver output, keyed by run id, warm-up already trimmed. */
  samples: Map<string, SampleSet>;
  /** Prometheus scrapes of each run (before/after/during), keyed by run id. */
  scrapes: Map<string, RunScrapes>;
  /** The OS sampler's figures of each run that has them (raw/<run-id>/os.json), keyed by run id. */
  os?: Map<string, OsRunFigures>;
  builds?: Partial<Record<Role, BuildInfo>>;
  /** CPU profiles of the profiled runs (plan `profile`), keyed by run id. */
  profiles?: Map<string, RunProfile>;
  /** hotswap version, for the model's generator field. */
  version: string;
  /** Bootstrap resamples per comparison (default 10 000; tests may lower it). */
  bootstrapIterations?: number;
  /** The request of a corpus line as text (the CLI reads the trial's corpus), for same-output examples. */
  requestText?: (line: number) => string | undefined;
}

/**
 * The phase pass lines and stop rules are judged on (model/scenarios.ts `judgedPhaseOf`: the first steady
 * phase, else the first compared one), else the first phase.
 */
/** One run's CPU profile as ingest read it, with the /metrics scrapes around it. */
export interface RunProfile {
  profile: CpuProfileData;
  /** hotswap_requests_total just before and after the profile (requests per endpoint in its window). */
  before?: ScrapeSample[];
  after?: ScrapeSample[];
  /** `during` (the measured run) or `dedicated` (a profiling load at `rateRps` after it). */
  mode?: string;
  rateRps?: number;
  /** Seconds between the two scrapes; their request counts are scaled by the profile's share of it. */
  windowSeconds?: number;
  /** A capacity search's profile run: why it ran at its rate (`highest-passing-probe` or `plan`). */
  rateFrom?: string;
  /** The service's CPU seconds over the profile's window (cgroup or /proc), for the profile's coverage. */
  serviceCpuSeconds?: number;
  serviceCpuSource?: string;
}

export const judgedPhase = (plan: Plan): string => judgedPhaseOf(plan.phases) ?? plan.phases[0]?.name ?? '';

interface OkRun {
  run: RunRecord;
  samples: SampleSet;
}

export const analyzeTrial = (input: TrialInput): ReportModel => {
  const { plan, manifest } = input;
  const warnings: Warning[] = [];
  const okRuns = selectRuns(manifest, input.samples, warnings);
  const phase = judgedPhase(plan);
  const comparedPhases = plan.phases.filter(isComparedPhase).map((p) => p.name);
  const extra = [
    plan.slo.quantile,
    ...plan.passLines.map(quantileOf),
    ...plan.stopRules.map((r) => r.quantile),
  ];
  const quantiles = quantilesToReport(extra.filter((q): q is number => q !== undefined));

  const summaries = okRuns.flatMap(({ run, samples }) =>
    summarizeRun(run, samples, {
      extraQuantiles: quantiles,
      offeredRps: offeredRate(plan, run.phase),
      ...(plan.serverTiming ? { waitTimings: plan.serverTiming.wait } : {}),
    }),
  );
  const profiles = profilesOf(
    plan,
    okRuns.map((r) => r.run),
    input.profiles,
    summaries,
  );
  withProfileCpu(summaries, profiles);
  const resources = okRuns.map(({ run, samples }) => {
    const all = summaries.find((x) => x.runId === run.id && x.endpoint === '*');
    const fromCounters = computeResources(run, input.scrapes.get(run.id), {
      driverRequests: samples.n,
      ...(all?.implShare.rust !== undefined ? { rustShare: all.implShare.rust } : {}),
    });
    return withOsFigures(fromCounters, input.os?.get(run.id));
  });
  const comparisons = buildComparisons({
    summaries,
    resources,
    seed: plan.seed,
    phases: comparedPhases,
    throughputPhases: plan.phases.filter((p) => traitsOf(p).comparesThroughput).map((p) => p.name),
    judged: judgedComparisons(plan, phase),
    ...(input.bootstrapIterations ? { bootstrapIterations: input.bootstrapIterations } : {}),
  });
  const errors = errorRows(summaries.filter((s) => comparedPhases.includes(s.phase)));
  const suspectRuns = suspectRunsOf(manifest, input.samples, summaries, phase);
  const correctness = compareOutputs(
    okRuns.flatMap(({ run, samples }) =>
      samples.digests ? [{ role: run.role, runId: run.id, digests: samples.digests }] : [],
    ),
    {
      ignoreEndpoints: plan.correctness?.ignoreEndpoints ?? [],
      ...(input.requestText ? { requestOf: input.requestText } : {}),
    },
  );
  const sequential = sequentialLookOf(plan, manifest, phase, dropTestCount(plan));
  const drilled = buildDrills(okRuns);
  const baseline = capacityOf('baseline', plan, manifest, okRuns, resources, phase, input.samples);
  const candidate = capacityOf('candidate', plan, manifest, okRuns, resources, phase, input.samples);
  const savings = savingsOf(baseline, candidate, plan.capacity.currency);
  const savingsRange = savingsRangeOf(baseline, candidate, plan.capacity);
  const builds = input.builds ?? buildsFromEnvironment(plan, manifest);
  const bet = plan.bet
    ? betOf({
        bet: plan.bet,
        ...(savings ? { savings } : {}),
        ...(savingsRange ? { savingRangePerMonth: savingsRange.moneyPerMonth } : {}),
        builds,
        currency: plan.capacity.currency,
      })
    : undefined;
  const ctx: CheckContext = {
    plan,
    phase,
    comparisons,
    summaries,
    errors,
    suspectRuns,
    ...(correctness ? { correctness } : {}),
    ...(sequential ? { sequential } : {}),
    drills: drilled.drills,
    ...(bet ? { bet } : {}),
  };
  const checks = plan.passLines.map((line) => judgePassLine(line, ctx));
  const stopRules = plan.stopRules.map((rule) => judgeStopRule(rule, ctx));
  const perArm = runsPerArm(okRuns, phase);
  // Failed runs decide first: a trial whose baseline or generator failed cannot be judged; a candidate
  // that fails where the baseline did not is dropped, whatever its surviving runs show.
  const verdict = withFailedRuns(
    decide(
      checks,
      stopRules,
      perArm,
      suspectRuns.map((r) => `run ${r.runId} (${r.role}) ${r.reason}`),
    ),
    failedRunsRule(
      manifest.runs.filter((r) => r.phase === phase),
      phase,
    ),
  );
  verdict.phase = phase;
  if (sequential) {
    verdict.sequential = sequentialVerdict(sequential, checks, stopRules);
  }
  warnings.push(
    ...trialWarnings(
      manifest,
      perArm,
      comparisons.filter((c) => c.family === 'verdict').length,
      sequential?.looks[0],
    ),
  );
  warnings.push(...plan.phases.flatMap(closedModelWarnings));

  const pooled = poolLatencies(
    okRuns.map(({ run, samples }) => ({ role: run.role, phase: run.phase, samples })),
  );
  if (savings) warnings.push(...savingsWarnings(baseline, candidate));
  warnings.push(...searchProfileWarnings(plan, { baseline, candidate }));
  const kneePhase = kneePhaseOf(plan);
  const queueModel = queueModelOf(plan, okRuns, resources, summaries);

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: 'hotswap', version: input.version },
    trial: {
      id: manifest.trialId,
      planName: plan.name,
      ...(plan.description ? { description: plan.description } : {}),
      planFrozenAt: manifest.planFrozenAt,
      status: manifest.status,
    },
    plan: planSection(plan),
    verdict,
    runs: manifest.runs,
    summaries,
    comparisons,
    resources,
    capacity: {
      baseline,
      candidate,
      ...(savings ? { savings } : {}),
      ...(kneePhase ? { kneePhase } : {}),
      ...(queueModel.length ? { queueModel } : {}),
      ...(savingsRange ? { savingsRange } : {}),
    },
    ladders: buildLadders(summaries, pooled, quantiles),
    spectra: buildSpectra(pooled),
    timeseries: okRuns.map(({ run, samples }) => {
      const series = buildTimeseries(run, samples);
      const events = drilled.events.get(run.id);
      return events ? { ...series, events } : series;
    }),
    errors,
    checks,
    environment: manifest.environment,
    builds,
    warnings,
    ...(correctness ? { correctness } : {}),
    ...(profiles.length ? { profiles } : {}),
    ...(drilled.drills.length > 0 ? { drills: drilled.drills } : {}),
    ...(bet ? { bet } : {}),
  };
};

const quantileOf = (line: Plan['passLines'][number]): number | undefined =>
  'quantile' in line ? line.quantile : undefined;

/** Ok runs with samples; every other run is named in a warning and left out of the statistics. */
const selectRuns = (manifest: Manifest, samples: Map<string, SampleSet>, warnings: Warning[]): OkRun[] => {
  const out: OkRun[] = [];
  for (const run of manifest.runs) {
    const s = samples.get(run.id);
    if (run.status !== 'ok') {
      warnings.push(
        warning('run-left-out', {
          runId: run.id,
          status: run.status,
          ...(run.failureReason ? { reason: run.failureReason } : {}),
        }),
      );
    } else if (!s || s.n === 0) {
      warnings.push(warning('run-without-samples', { runId: run.id }));
    } else {
      out.push({ run, samples: s });
    }
  }
  return out;
};

/** Summary warnings that say the offered load was not what the service received. */
const LOAD_NOT_MET = new Set<WarningCode>(['dropped-iterations', 'rate-not-achieved', 'generator-limited']);

/**
 * Runs of the judged phase that are not a clean measurement of the service under the offered load:
 * a candidate that crashed or could not take the load must not be kept on the strength of its
 * surviving runs (see CheckContext.suspectRuns). A run that never started (pending: the trial stopped
 * before it) says nothing about the service: it is left out, not counted as missing the SLO (the
 * analysis of an interrupted release review read as drop on its 14 pending candidate runs). An
 * interrupted run stays suspect: an interrupted trial is not kept on its surviving runs.
 */
const suspectRunsOf = (
  manifest: Manifest,
  samples: Map<string, SampleSet>,
  summaries: Summary[],
  phase: string,
): SuspectRun[] => {
  const out: SuspectRun[] = [];
  for (const run of manifest.runs.filter((r) => r.phase === phase)) {
    const s = samples.get(run.id);
    const at = { runId: run.id, role: run.role };
    if (run.status === 'pending') continue;
    if (run.status !== 'ok') {
      out.push({ ...at, reason: `is ${run.status}${run.failureReason ? `: ${run.failureReason}` : ''}` });
    } else if (!s || s.n === 0) {
      out.push({ ...at, reason: 'has no measured requests' });
    } else {
      const all = summaries.find((x) => x.runId === run.id && x.endpoint === '*');
      const bad = (all?.warnings ?? []).filter((w) => LOAD_NOT_MET.has(w.code));
      if (bad.length > 0) out.push({ ...at, reason: bad.map((w) => `${w.code}: ${w.message}`).join('; ') });
    }
  }
  return out;
};

const offeredRate = (plan: Plan, phaseName: string): number | undefined => {
  const p = plan.phases.find((x) => x.name === phaseName);
  return p && traitsOf(p).checkedRps(p);
};

const runsPerArm = (runs: OkRun[], phase: string): number =>
  Math.min(...ROLES.map((role) => runs.filter((r) => r.run.role === role && r.run.phase === phase).length));

/** Error classes per endpoint over the compared phases, summed over runs, new ones flagged. */
export const errorRows = (summaries: Summary[]): ErrorClassRow[] => {
  const rows = new Map<string, ErrorClassRow>();
  for (const s of summaries) {
    for (const [errorClass, count] of Object.entries(s.errorClasses)) {
      const k = `${s.endpoint}|${errorClass}`;
      let row = rows.get(k);
      if (!row)
        rows.set(k, (row = { errorClass, endpoint: s.endpoint, baseline: 0, candidate: 0, isNew: false }));
      row[s.role] += count;
    }
  }
  const out = [...rows.values()];
  for (const r of out) r.isNew = r.candidate > 0 && r.baseline === 0;
  return out.sort((a, b) => a.endpoint.localeCompare(b.endpoint) || a.errorClass.localeCompare(b.errorClass));
};

const trialWarnings = (
  manifest: Manifest,
  perArm: number,
  verdictFamily: number,
  firstLook?: number,
): Warning[] => {
  const out: Warning[] = [];
  // A look schedule judges each line one-sided at the look's level, without Holm: its first look is
  // what a decision needs (group-sequential.ts), not the two-sided Holm family's minimum.
  const need = firstLook ?? Math.max(RECOMMENDED_RUNS_PER_ARM, minRunsForSignificance(verdictFamily));
  if (perArm < need) {
    out.push(warning('few-runs', { of: 'trial', perArm, need }));
  }
  if (!manifest.environment.pinned) {
    out.push(warning('not-pinned'));
  }
  const limited = manifest.runs.filter((r) => r.generator.limited).map((r) => r.id);
  if (limited.length > 0) {
    out.push(warning('generator-limited', { in: 'trial', runIds: limited }));
  }
  return out;
};

/** Knee (from the first sizing phase: a ramp) and CPU-based sizing of one configuration. */
const capacityOf = (
  role: Role,
  plan: Plan,
  manifest: Manifest,
  runs: OkRun[],
  resources: ResourceUse[],
  phase: string,
  samples: Map<string, SampleSet>,
): CapacityEstimate => {
  const pinned0 = manifest.runs.some((r) => r.role === role && r.serviceCpu !== undefined);
  const cores = pinned0 ? 1 : Math.max(1, manifest.environment.cpus);
  const searched = searchFor(role, plan, manifest, samples, resources, cores);
  if (searched) {
    return {
      ...sizeConfiguration({
        role,
        knee: searched.knee ?? { steps: [], warnings: [] },
        ...cpuOf(resources, role, phase),
        capacity: plan.capacity,
        serviceCores: cores,
      }),
      ...(searched.search ? { search: searched.search, searches: searched.searches } : {}),
      ...(searched.kneeRangeRps ? { kneeRangeRps: searched.kneeRangeRps } : {}),
    };
  }
  const ramp = plan.phases.find((p) => traitsOf(p).sizing);
  const plateaus = (ramp && traitsOf(ramp).offered(ramp)) ?? [];
  const steps = plateaus.map((x) => ({ rateRps: x.rateRps, durationSeconds: x.seconds }));
  const rampRuns = runs.filter((r) => r.run.role === role && ramp && r.run.phase === ramp.name);
  const knee = findKnee(
    mergeRuns(
      rampRuns.map((r) => stepFigures(r.samples, steps, plan.slo)),
      plan.slo,
    ),
    plan.slo,
  );
  const cpu = resources
    .filter((r) => r.role === role && r.phase === phase && r.cpuSecondsPerRequest !== undefined)
    .map((r) => r.cpuSecondsPerRequest!);
  const pinned = rampRuns.length > 0 && rampRuns.every((r) => r.run.serviceCpu !== undefined);
  return sizeConfiguration({
    role,
    knee,
    ...(cpu.length > 0 ? { cpuSecondsPerRequest: median(cpu) } : {}),
    capacity: plan.capacity,
    serviceCores: pinned ? 1 : Math.max(1, manifest.environment.cpus),
  });
};

/** The phase the knee is read from (the first sizing phase) and its arrivals. */
const kneePhaseOf = (plan: Plan): ReportModel['capacity']['kneePhase'] => {
  const ramp = plan.phases.find((p) => traitsOf(p).sizing);
  if (!ramp) return undefined;
  return { name: ramp.name, ...(ramp.driver === 'k6' ? { arrivals: ramp.arrivals ?? 'uniform' } : {}) };
};

/**
 * The queueing model check's inputs: every completed run of a phase with Poisson arrivals at one rate
 * (ramps are left out, their rate changes within the run) whose CPU per request was measured.
 */
const queueModelOf = (
  plan: Plan,
  runs: OkRun[],
  resources: ResourceUse[],
  summaries: Summary[],
): QueueModelCheck[] => {
  const poisson = new Set(
    plan.phases
      .filter((p) => p.driver === 'k6' && p.arrivals === 'poisson' && !traitsOf(p).sizing)
      .map((p) => p.name),
  );
  const inputs: QueueRunInput[] = [];
  for (const { run, samples } of runs) {
    if (!poisson.has(run.phase)) continue;
    const cpu = resources.find((r) => r.runId === run.id)?.cpuSecondsPerRequest;
    const all = summaries.find((x) => x.runId === run.id && x.endpoint === '*');
    if (cpu === undefined || !all) continue;
    const ok: number[] = [];
    for (let i = 0; i < samples.n; i++) if (!samples.failed[i]) ok.push(samples.latencyMs[i]!);
    const { mean, scv } = meanAndScv(ok);
    inputs.push({
      runId: run.id,
      role: run.role,
      phase: run.phase,
      achievedRps: all.achievedRps,
      cpuSecondsPerRequest: cpu,
      meanLatencyMs: mean,
      latencyScv: scv,
    });
  }
  return ROLES.flatMap((role) => queueModelCheck(role, inputs) ?? []);
};

/** Median CPU seconds per request of a configuration's runs of `phase`, when measured. */
const cpuOf = (resources: ResourceUse[], role: Role, phase: string): { cpuSecondsPerRequest?: number } => {
  const cpu = resources
    .filter((r) => r.role === role && r.phase === phase && r.cpuSecondsPerRequest !== undefined)
    .map((r) => r.cpuSecondsPerRequest!);
  return cpu.length > 0 ? { cpuSecondsPerRequest: median(cpu) } : {};
};

/** The capacity searches of a configuration (the plan's first capacity-search phase), if it has one. */
const searchFor = (
  role: Role,
  plan: Plan,
  manifest: Manifest,
  samples: Map<string, SampleSet>,
  resources: ResourceUse[],
  cores: number,
): SearchCapacity | undefined => {
  const phase = plan.phases.find(
    (p): p is K6PhaseSpec => p.driver === 'k6' && p.scenario === 'capacity-search',
  );
  if (!phase) return undefined;
  const cpu = new Map(resources.map((r) => [r.runId, r.cpuSecondsPerRequest]));
  const runs = manifest.runs
    .filter((r) => r.role === role && r.phase === phase.name)
    .map((run) => {
      const s = samples.get(run.id);
      const c = cpu.get(run.id);
      return { run, ...(s ? { samples: s } : {}), ...(c !== undefined ? { cpuSecondsPerRequest: c } : {}) };
    });
  return searchCapacity(role, searchSpecOf(phase, plan.slo, cores), runs);
};

const describeConfiguration = (c: ConfigurationSpec): string => {
  switch (c.kind) {
    case 'reference':
      return `reference service, ${c.build} build${c.impl ? `, impl ${c.impl}` : ''}${
        c.rustSharePercent !== undefined ? `, ${c.rustSharePercent} % to Rust` : ''
      }`;
    case 'command':
      return `command: ${c.command.join(' ')} (${c.url})`;
    case 'url':
      return `running service at ${c.url}`;
  }
};

const describePhase = (p: PhaseSpec): string => traitsOf(p).describe(p);

const planSection = (plan: Plan): ReportModel['plan'] => ({
  slo: plan.slo,
  capacity: plan.capacity,
  passLines: plan.passLines,
  stopRules: plan.stopRules,
  repetitions: plan.repetitions,
  order: plan.order,
  warmupSeconds: plan.warmupSeconds,
  seed: plan.seed,
  configurations: {
    baseline: {
      name: plan.configurations.baseline.name,
      description: describeConfiguration(plan.configurations.baseline),
    },
    candidate: {
      name: plan.configurations.candidate.name,
      description: describeConfiguration(plan.configurations.candidate),
    },
  },
  phases: plan.phases.map((p) => ({
    name: p.name,
    scenario: p.scenario,
    driver: p.driver,
    description: describePhase(p),
    ...(p.driver === 'k6' ? { arrivals: p.arrivals ?? 'uniform' } : {}),
  })),
});

/** Reference builds map to roles by the configuration's build (baseline → baseline, rust → rust). */
const buildsFromEnvironment = (plan: Plan, manifest: Manifest): Partial<Record<Role, BuildInfo>> => {
  const out: Partial<Record<Role, BuildInfo>> = {};
  for (const role of ROLES) {
    const c = plan.configurations[role];
    const info = c.kind === 'reference' ? manifest.environment.builds?.[c.build] : undefined;
    if (info) out[role] = info;
  }
  return out;
};
