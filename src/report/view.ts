/**
 * Figures the report's sections share, derived from the ReportModel once (medians across runs, the
 * headline resource figures, table rows). sections.ts turns them into typed tables and sections; the
 * exporters only lay those out, so HTML, Markdown and text cannot disagree about a number. Pure.
 */
import type {
  Comparison,
  ProfileSummary,
  ReportModel,
  ResourceUse,
  Role,
  RunRecord,
  Summary,
  Warning,
} from '../model/index.js';
import { ROLES, judgedPhaseOf } from '../model/index.js';
import { configLabel, endpointLabel, metricLabel } from './format.js';

export const median = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1]! + s[m]!) / 2;
};

const defined = <T>(xs: (T | undefined | null)[]): T[] => xs.filter((x): x is T => x != null);

/**
 * The phase the verdict was judged on, as the analysis recorded it (verdict.phase); for reports
 * written before that field: the first steady phase, else the first compared phase.
 */
export const mainPhase = (model: ReportModel): string =>
  model.verdict.phase ??
  judgedPhaseOf(model.plan.phases) ??
  model.comparisons[0]?.phase ??
  model.plan.phases[0]?.name ??
  model.summaries[0]?.phase ??
  'steady';

/** Endpoints in a stable order: as first seen in the summaries, "*" (all) last. */
export const endpointsOf = (model: ReportModel): string[] => {
  const seen = [...new Set(model.summaries.map((s) => s.endpoint))];
  return [...seen.filter((e) => e !== '*'), ...seen.filter((e) => e === '*')];
};

export interface BaselineRow {
  role: Role;
  config: string;
  endpoint: string;
  p95Ms?: number;
  p99Ms?: number;
  /**
   * All-endpoints row: the service's process counters; endpoint rows: the CPU profile's samples labelled
   * with the endpoint (when the trial profiled).
   */
  cpuMsPerRequest?: number;
  allocBytesPerRequest?: number;
  rssBytesSteady?: number;
  rssBytesPeak?: number;
  downstreamShare?: number;
  /** Share of the mean latency in the plan's waiting Server-Timing entries (db, cache, downstream…). */
  waitShare?: number;
  /**
   * Without any waiting entries: 1 − CPU seconds per request ÷ mean latency, an estimate of the time
   * off the CPU (waiting on anything, queueing included).
   */
  offCpuShareEstimate?: number;
  runs: number;
}

const summariesOf = (model: ReportModel, role: Role, phase: string, endpoint: string): Summary[] =>
  model.summaries.filter((s) => s.role === role && s.phase === phase && s.endpoint === endpoint);

const resourcesOf = (model: ReportModel, role: Role, phase?: string): ResourceUse[] =>
  model.resources.filter((r) => r.role === role && (phase === undefined || r.phase === phase));

export const baselineTable = (model: ReportModel): BaselineRow[] => {
  const phase = mainPhase(model);
  const rows: BaselineRow[] = [];
  for (const role of ROLES) {
    const res = resourcesOf(model, role, phase);
    const peak = defined(resourcesOf(model, role).map((r) => r.rssBytesPeak));
    for (const endpoint of endpointsOf(model)) {
      const sums = summariesOf(model, role, phase, endpoint);
      if (sums.length === 0) continue;
      const q = (p: string) => median(defined(sums.map((s) => s.quantilesMs[p])));
      const down = median(defined(sums.map((s) => s.downstreamMsMean)));
      const mean = median(sums.map((s) => s.meanMs));
      const all = endpoint === '*';
      const cpu = all
        ? median(defined(res.map((r) => r.cpuSecondsPerRequest)))
        : median(defined(sums.map((s) => s.cpuSecondsPerRequest)));
      const wait = median(defined(sums.map((s) => s.waitMsMean)));
      const waitOf = (x: number | undefined) => (x !== undefined && mean ? Math.min(1, x / mean) : undefined);
      const offCpu =
        wait === undefined && down === undefined && cpu !== undefined && mean
          ? Math.min(1, Math.max(0, 1 - (cpu * 1000) / mean))
          : undefined;
      rows.push({
        role,
        config: configLabel(model, role),
        endpoint,
        p95Ms: q('0.95'),
        p99Ms: q('0.99'),
        cpuMsPerRequest: cpu !== undefined ? cpu * 1000 : undefined,
        allocBytesPerRequest: all ? median(defined(res.map((r) => r.allocBytesPerRequest))) : undefined,
        rssBytesSteady: all ? median(defined(res.map((r) => r.rssBytesSteady))) : undefined,
        rssBytesPeak: all && peak.length ? Math.max(...peak) : undefined,
        downstreamShare: waitOf(down),
        waitShare: waitOf(wait),
        offCpuShareEstimate: offCpu,
        runs: sums.length,
      });
    }
  }
  return rows;
};

/**
 * The ratio CI to show: the one the checks judge on (`judgedCI95`, the wider of the bootstrap and
 * rank CIs, null for an unbounded side) when the analysis provides it, else the bootstrap CI.
 */
export const displayCI = (c: Comparison): [number | null, number | null] => c.judgedCI95 ?? c.ratioCI95;

/** The phases the significance table covers: "steady phase", or "steady and spike phases". */
export const comparedPhasesLabel = (model: ReportModel): string => {
  const phases = [...new Set(model.comparisons.map((c) => c.phase))];
  if (phases.length <= 1) return `${phases[0] ?? mainPhase(model)} phase`;
  return `${phases.slice(0, -1).join(', ')} and ${phases[phases.length - 1]} phases`;
};

/** What the shown 95 % CI is (displayCI): say it the same way in every exporter. */
export const CI_CAPTION =
  'the wider of a seeded bootstrap-over-runs CI and the Mann-Whitney rank CI of the ratio (the one the checks judge on; an unbounded side means too few runs)';

export interface SignificanceRow {
  label: string;
  endpoint: string;
  comparison: Comparison;
  /** "~" when not significant after adjustment (benchstat's habit). */
  mark: '' | '~';
  n: [number, number];
  warnings: Warning[];
}

/** One row per comparison; the label names the phase when more than one phase is compared. */
export const significanceRows = (model: ReportModel): SignificanceRow[] => {
  const several = new Set(model.comparisons.map((c) => c.phase)).size > 1;
  return model.comparisons.map((c) => ({
    label: `${several ? `${c.phase} · ` : ''}${endpointLabel(c.endpoint)} · ${metricLabel(c.metric, c.quantile)}`,
    endpoint: c.endpoint,
    comparison: c,
    mark: c.significant ? '' : '~',
    n: [c.baseline.values.length, c.candidate.values.length],
    warnings: c.warnings,
  }));
};

/** The resource headline: "CPU −28%, end-to-end −6%" and where the difference went. */
export interface Headline {
  cpu?: Comparison;
  /** Median latency of all requests (end to end, as the client sees it). */
  endToEnd?: Comparison;
  /** Mean hotspot time per request (Server-Timing), median across runs, per role. */
  hotspotMs: Partial<Record<Role, number>>;
  /** Share of server time spent in the hotspot, per role. */
  hotspotShare: Partial<Record<Role, number>>;
}

export const headline = (model: ReportModel): Headline => {
  const phase = mainPhase(model);
  const find = (pred: (c: Comparison) => boolean) =>
    model.comparisons.find((c) => c.endpoint === '*' && pred(c));
  const hotspotMs: Headline['hotspotMs'] = {};
  const hotspotShare: Headline['hotspotShare'] = {};
  for (const role of ROLES) {
    const h = median(defined(summariesOf(model, role, phase, '*').map((s) => s.hotspotMsMean)));
    if (h !== undefined) hotspotMs[role] = h;
    const share = median(defined(resourcesOf(model, role, phase).map((r) => r.hotspotShare)));
    if (share !== undefined) hotspotShare[role] = share;
  }
  return {
    cpu: find((c) => c.metric === 'cpuSecondsPerRequest'),
    endToEnd: find((c) => c.metric === 'latencyMs' && c.quantile === 0.5),
    hotspotMs,
    hotspotShare,
  };
};

export interface CorrectnessView {
  fallbacks: Partial<Record<Role, number>>;
  /** undefined = not measured in any run. */
  mismatches: Partial<Record<Role, number>>;
  /** Requests served per implementation (from implShare × n), per role. */
  implRequests: Partial<Record<Role, Record<string, number>>>;
}

export const correctness = (model: ReportModel): CorrectnessView => {
  const fallbacks: CorrectnessView['fallbacks'] = {};
  const mismatches: CorrectnessView['mismatches'] = {};
  const implRequests: CorrectnessView['implRequests'] = {};
  for (const role of ROLES) {
    const res = resourcesOf(model, role);
    const fb = defined(res.map((r) => r.fallbacks));
    if (fb.length) fallbacks[role] = fb.reduce((a, b) => a + b, 0);
    const mm = defined(res.map((r) => r.mismatches));
    if (mm.length) mismatches[role] = mm.reduce((a, b) => a + b, 0);
    const counts: Record<string, number> = {};
    for (const s of model.summaries.filter((x) => x.role === role && x.endpoint === '*'))
      for (const [impl, share] of Object.entries(s.implShare))
        counts[impl] = (counts[impl] ?? 0) + share * s.n;
    if (Object.keys(counts).length) implRequests[role] = counts;
  }
  return { fallbacks, mismatches, implRequests };
};

/** Shadow-mode totals of one configuration over its runs (resources[].shadow), timings weighted by runs' comparisons. */
export interface ShadowTotals {
  role: Role;
  runs: number;
  compared: number;
  mismatches: number;
  rustErrors: number;
  goMsMean?: number;
  rustMsMean?: number;
}

export const shadowTotals = (model: ReportModel): ShadowTotals[] =>
  ROLES.flatMap((role) => {
    const runs = model.resources.filter((r) => r.role === role && r.shadow && r.shadow.compared > 0);
    if (runs.length === 0) return [];
    const sum = (f: (s: NonNullable<ResourceUse['shadow']>) => number): number =>
      runs.reduce((acc, r) => acc + f(r.shadow!), 0);
    const weighted = (key: 'goMsMean' | 'rustMsMean'): number | undefined => {
      const have = runs.filter((r) => r.shadow![key] !== undefined);
      const w = have.reduce((acc, r) => acc + r.shadow!.compared, 0);
      return w === 0 ? undefined : have.reduce((acc, r) => acc + r.shadow![key]! * r.shadow!.compared, 0) / w;
    };
    const out: ShadowTotals = {
      role,
      runs: runs.length,
      compared: sum((s) => s.compared),
      mismatches: sum((s) => s.mismatches),
      rustErrors: sum((s) => s.rustErrors),
    };
    const go = weighted('goMsMean');
    const rust = weighted('rustMsMean');
    if (go !== undefined) out.goMsMean = go;
    if (rust !== undefined) out.rustMsMean = rust;
    return [out];
  });

export const runsInOrder = (model: ReportModel): RunRecord[] =>
  [...model.runs].sort((a, b) => a.order - b.order);

/**
 * "About N runs per configuration would likely settle it", unless the verdict's reasons already say
 * how many runs would settle it (the analysis may put it there).
 */
export const moreRunsNote = (model: ReportModel): { runs: number | null } | undefined => {
  const v = model.verdict;
  if (v.moreRunsPerArm === undefined) return undefined;
  if (v.reasons.some((r) => /runs? per (arm|configuration)/.test(r) && /settle/.test(r))) return undefined;
  return { runs: v.moreRunsPerArm };
};

/**
 * The profile the report shows for `role`: the pooled one (runId "*") of the judged phase when the trial
 * profiled several runs, else its profile with the most samples (judged phase first).
 */
export const profileOfRole = (model: ReportModel, role: Role): ProfileSummary | undefined => {
  const mine = (model.profiles ?? []).filter((p) => p.role === role);
  if (mine.length === 0) return undefined;
  const phase = mainPhase(model);
  const rank = (p: ProfileSummary) => (p.runId === '*' ? 2 : 0) + (p.phase === phase ? 4 : 0);
  return [...mine].sort((a, b) => rank(b) - rank(a) || b.samples - a.samples)[0];
};

/** Profile figures of the "Where the CPU goes" section and the gate. */
export interface ProfileHeadline {
  baseline?: ProfileSummary;
  candidate?: ProfileSummary;
  /** If the baseline's hotspot cost nothing: the most CPU per request could fall (a change, e.g. −0.42). */
  ceiling?: { change: number; range: [number, number] };
  /** Measured change of CPU per request (the trial's comparison), when there is one. */
  measured?: Comparison;
}

export const profileHeadline = (model: ReportModel): ProfileHeadline => {
  const baseline = profileOfRole(model, 'baseline');
  const candidate = profileOfRole(model, 'candidate');
  const b = baseline;
  const ceiling =
    b?.hotspotShare !== undefined && b.hotspotCI95
      ? { change: -b.hotspotShare, range: [-b.hotspotCI95[1], -b.hotspotCI95[0]] as [number, number] }
      : undefined;
  const measured = model.comparisons.find((c) => c.endpoint === '*' && c.metric === 'cpuSecondsPerRequest');
  return {
    ...(baseline ? { baseline } : {}),
    ...(candidate ? { candidate } : {}),
    ...(ceiling ? { ceiling } : {}),
    ...(measured ? { measured } : {}),
  };
};
