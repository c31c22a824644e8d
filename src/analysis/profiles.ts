import { warning } from '../model/index.js';
import type {
  CapacityEstimate,
  CpuProfileData,
  Plan,
  ProfileSummary,
  Role,
  RunRecord,
  Summary,
  Warning,
} from '../model/index.js';
import type { RunProfile } from './analyze.js';
import { requestsBetween, summarizeProfile } from './profile.js';

/**
 * The trial's profiles: one ProfileSummary per ok run that has a CPU profile, in run order. Requests per
 * endpoint in the profile's window come from the /metrics scrapes around it; without them, and only for
 * a profile taken during the measured run, from the run's own achieved rate per endpoint × the
 * profile's seconds (a close estimate: the load is steady). Pure.
 */
export const profilesOf = (
  plan: Plan,
  runs: readonly RunRecord[],
  profiles: ReadonlyMap<string, RunProfile> | undefined,
  summaries: readonly Summary[],
): ProfileSummary[] => {
  if (!profiles || !plan.profile) return [];
  const out: ProfileSummary[] = [];
  for (const run of runs) {
    const p = profiles.get(run.id);
    if (!p) continue;
    const seconds = p.profile.durationNanos / 1e9;
    let requests = scaled(requestsBetween(p.before, p.after), seconds, p.windowSeconds);
    if (!requests && p.mode !== 'dedicated') {
      const rows = summaries.filter((s) => s.runId === run.id && s.endpoint !== '*');
      if (rows.length) requests = Object.fromEntries(rows.map((s) => [s.endpoint, s.achievedRps * seconds]));
    }
    const summary = summarizeProfile({
      role: run.role,
      phase: run.phase,
      runId: run.id,
      profile: p.profile,
      hotspot: plan.profile.hotspot,
      minSamples: plan.profile.minSamples,
      ...(requests ? { requestsByEndpoint: requests } : {}),
      ...(p.rateRps !== undefined ? { rateRps: p.rateRps } : {}),
      ...rateFromOf(p),
      ...serviceCpuOf(p),
    });
    if (!requests) summary.warnings.push(warning('profile-requests-unknown'));
    out.push(summary);
  }
  return [...out, ...pooled(plan, profiles, out)];
};

const rateFromOf = (p: RunProfile): { rateFrom?: ProfileSummary['rateFrom'] } =>
  p.rateFrom === 'highest-passing-probe' || p.rateFrom === 'plan' ? { rateFrom: p.rateFrom } : {};

const serviceCpuOf = (p: RunProfile): { serviceCpu?: { seconds: number; source: 'cgroup' | 'proc' } } =>
  p.serviceCpuSeconds !== undefined && (p.serviceCpuSource === 'cgroup' || p.serviceCpuSource === 'proc')
    ? { serviceCpu: { seconds: p.serviceCpuSeconds, source: p.serviceCpuSource } }
    : {};

/**
 * One pooled summary (runId "*") per configuration and phase with more than one profile: the samples of
 * all its profiles together, so the shares rest on every sample the trial took (n adds up, the CI
 * narrows); requests per endpoint add up over the profiles that know them.
 */
const pooled = (
  plan: Plan,
  profiles: ReadonlyMap<string, RunProfile>,
  perRun: readonly ProfileSummary[],
): ProfileSummary[] => {
  if (!plan.profile) return [];
  const groups = new Map<string, ProfileSummary[]>();
  for (const s of perRun) {
    const k = `${s.role}\u0000${s.phase}`;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  const out: ProfileSummary[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const first = group[0]!;
    const data = group.map((g) => profiles.get(g.runId)!.profile);
    const profile: CpuProfileData = {
      periodNanos: data[0]!.periodNanos,
      durationNanos: data.reduce((s, d) => s + d.durationNanos, 0),
      samples: data.flatMap((d) => d.samples),
    };
    const requests: Record<string, number> = {};
    for (const g of group)
      for (const e of g.byEndpoint)
        if (e.requests !== undefined) requests[e.endpoint] = (requests[e.endpoint] ?? 0) + e.requests;
    const known = group.every((g) => g.byEndpoint.some((e) => e.requests !== undefined));
    // The pooled coverage needs every profile's service CPU, read the same way.
    const cpu = group.map((g) => g.coverage);
    const source = cpu[0]?.source;
    const serviceCpu =
      source && cpu.every((c) => c?.source === source)
        ? { seconds: cpu.reduce((s, c) => s + c!.serviceCpuSeconds, 0), source }
        : undefined;
    out.push(
      summarizeProfile({
        role: first.role,
        phase: first.phase,
        runId: '*',
        profile,
        hotspot: plan.profile.hotspot,
        minSamples: plan.profile.minSamples,
        ...(known ? { requestsByEndpoint: requests } : {}),
        ...(first.rateRps !== undefined ? { rateRps: first.rateRps } : {}),
        ...(first.rateFrom !== undefined ? { rateFrom: first.rateFrom } : {}),
        ...(serviceCpu ? { serviceCpu } : {}),
      }),
    );
  }
  return out;
};

/**
 * The scrapes bracket the profile with a little slack (the scrape itself, the profile's transfer):
 * requests in the profile's own seconds ≈ requests between the scrapes × profile seconds ÷ window
 * (the load is steady).
 */
const scaled = (
  requests: Record<string, number> | undefined,
  seconds: number,
  windowSeconds: number | undefined,
): Record<string, number> | undefined => {
  if (!requests || !windowSeconds || !(seconds > 0) || windowSeconds <= seconds) return requests;
  const f = seconds / windowSeconds;
  return Object.fromEntries(Object.entries(requests).map(([e, n]) => [e, n * f]));
};

/** Fills `summaries[].cpuSecondsPerRequest` per endpoint of each profiled run (in place). */
export const withProfileCpu = (summaries: Summary[], profiles: readonly ProfileSummary[]): void => {
  // A profile with too few samples gives no per-endpoint figure either.
  for (const p of profiles.filter((x) => !x.tooFewSamples && x.runId !== '*')) {
    for (const e of p.byEndpoint) {
      // No sample of the endpoint: its CPU is below the profile's resolution, not 0.
      if (e.cpuSecondsPerRequest === undefined || e.cpuSeconds === 0) continue;
      const s = summaries.find((x) => x.runId === p.runId && x.endpoint === e.endpoint);
      if (s) s.cpuSecondsPerRequest = e.cpuSecondsPerRequest;
    }
  }
};

/**
 * A plan that profiles its capacity search gets one profile run per stopped search at its passRps (or the
 * plan's rateRps); a search that stopped with no passing probe and no plan rate has none: say so.
 */
export const searchProfileWarnings = (
  plan: Plan,
  capacity: Readonly<Record<Role, Pick<CapacityEstimate, 'searches'>>>,
): Warning[] => {
  const spec = plan.profile;
  if (!spec?.phase) return [];
  const out: Warning[] = [];
  for (const role of ['baseline', 'candidate'] as const) {
    const r = spec.rateRps;
    if ((typeof r === 'number' ? r : r?.[role]) !== undefined) continue;
    for (const s of capacity[role].searches ?? [])
      if (s.phase === spec.phase && s.passRps === undefined && !s.next)
        out.push(warning('search-profile-skipped', { role, repetition: s.repetition }));
  }
  return out;
};
