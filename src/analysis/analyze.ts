import {
  REPORT_SCHEMA_VERSION,
  ROLES,
  isComparedPhase,
  judgedPhaseOf,
  traitsOf,
  warning,
  type WarningCode,
} from '../model/index.js';
import type {
  BuildInfo,
  CapacityEstimate,
  ConfigurationSpec,
  ErrorClassRow,
  Manifest,
  PhaseSpec,
  Plan,
  ReportModel,
  ResourceUse,
  Role,
  RunRecord,
  SampleSet,
  Summary,
  Warning,
} from '../model/index.js';
import { findKnee, mergeRuns, stepFigures } from './capacity/knee.js';
import { savingsOf, savingsWarnings, sizeConfiguration } from './capacity/sizing.js';
import {
  judgedComparisons,
  judgePassLine,
  judgeStopRule,
  type CheckContext,
  type SuspectRun,
} from './checks/index.js';
import { buildComparisons, minRunsForSignificance, RECOMMENDED_RUNS_PER_ARM } from './compare.js';
import { buildLadders, buildSpectra, poolLatencies } from './ladder.js';
import { computeResources, type RunScrapes } from './resources.js';
import { median } from './stats/index.js';
import { quantilesToReport, summarizeRun } from './summarize.js';
import { buildTimeseries } from './timeseries.js';
import { decide, failedRunsRule, withFailedRuns } from './verdict.js';

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
  builds?: Partial<Record<Role, BuildInfo>>;
  /** hotswap version, for the model's generator field. */
  version: string;
  /** Bootstrap resamples per comparison (default 10 000; tests may lower it). */
  bootstrapIterations?: number;
}

/**
 * The phase pass lines and stop rules are judged on (model/scenarios.ts `judgedPhaseOf`: the first steady
 * phase, else the first compared one), else the first phase.
 */
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
    summarizeRun(run, samples, { extraQuantiles: quantiles, offeredRps: offeredRate(plan, run.phase) }),
  );
  const resources = okRuns.map(({ run, samples }) => {
    const all = summaries.find((x) => x.runId === run.id && x.endpoint === '*');
    return computeResources(run, input.scrapes.get(run.id), {
      driverRequests: samples.n,
      ...(all?.implShare.rust !== undefined ? { rustShare: all.implShare.rust } : {}),
    });
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
  const ctx: CheckContext = { plan, phase, comparisons, summaries, errors, suspectRuns };
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
  warnings.push(...trialWarnings(manifest, perArm, comparisons.filter((c) => c.family === 'verdict').length));

  const pooled = poolLatencies(
    okRuns.map(({ run, samples }) => ({ role: run.role, phase: run.phase, samples })),
  );
  const baseline = capacityOf('baseline', plan, manifest, okRuns, resources, phase);
  const candidate = capacityOf('candidate', plan, manifest, okRuns, resources, phase);
  const savings = savingsOf(baseline, candidate, plan.capacity.currency);
  if (savings) warnings.push(...savingsWarnings(baseline, candidate));

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
    capacity: { baseline, candidate, ...(savings ? { savings } : {}) },
    ladders: buildLadders(summaries, pooled, quantiles),
    spectra: buildSpectra(pooled),
    timeseries: okRuns.map(({ run, samples }) => buildTimeseries(run, samples)),
    errors,
    checks,
    environment: manifest.environment,
    builds: input.builds ?? buildsFromEnvironment(plan, manifest),
    warnings,
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
 * surviving runs (see CheckContext.suspectRuns).
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

const trialWarnings = (manifest: Manifest, perArm: number, verdictFamily: number): Warning[] => {
  const out: Warning[] = [];
  const need = Math.max(RECOMMENDED_RUNS_PER_ARM, minRunsForSignificance(verdictFamily));
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
): CapacityEstimate => {
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
