import { join } from 'node:path';
import { k6Driver } from '../drivers/index.js';
import { judgedPhaseOf, searchProfilePhase, type Plan, type Role } from '../model/index.js';
import { writeFileAtomic } from '../store/index.js';
import type { GatherContext, Gathered, Gatherer } from './gatherer.js';
import { scrapeTo } from './scrape.js';
import { readProcTree } from './os/index.js';
import type { RunningService } from './service.js';

/**
 * CPU profiles of the service under load (plan `profile`): Go's `/debug/pprof/profile?seconds=N` from the
 * reference service's loopback pprof listener (started with `-pprof-addr 127.0.0.1:0` when the plan
 * profiles), kept raw as `profile.pb.gz` in the run's folder, with a /metrics scrape just before and just
 * after it so the analysis knows each endpoint's requests in the profile's window
 * (`hotswap_requests_total{endpoint}`). Only runs of the profiled phase (`profile.phase`, default the
 * judged one) are profiled:
 * - without `profile.rateRps`: during the measured run (N capped to the run's length less 2 s);
 * - with it: after the measured run, under a dedicated k6 steady load at that rate (its output kept
 *   under `profile-load/`, never counted as a run), so a build that idles at the trial's rate still
 *   gives enough samples (at 30 rps the Rust build uses ~3 % of a core: ~16 samples in 6 s);
 * - when `profile.phase` names the capacity search: no probe is profiled; only the search's profile run
 *   (`<search>.profile`, trial/capacity-search.ts `searchProfileRun`), during it, at its rate.
 * Around the profile the service's own CPU is read (its cgroup, else /proc schedstat of its process
 * tree), so the analysis can say what share of the service's CPU in the window the samples cover.
 */

/** Flags the reference service needs for profiling. */
export const PPROF_ARGS = ['-pprof-addr', '127.0.0.1:0'] as const;

/** The service flags a plan's profiling needs (none when it does not profile). */
export const profileServiceArgs = (plan: Plan): string[] => (plan.profile ? [...PPROF_ARGS] : []);

/** The phase whose runs are profiled. */
export const profiledPhase = (plan: Plan): string | undefined =>
  plan.profile?.phase ?? judgedPhaseOf(plan.phases) ?? plan.phases[0]?.name;

/** The profiling load's rate for `role`, when the plan asks for a dedicated one. */
export const profileRate = (plan: Plan, role: Role): number | undefined => {
  const r = plan.profile?.rateRps;
  return typeof r === 'number' ? r : r?.[role];
};

const SCRAPE_TIMEOUT_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Fetches one CPU profile of `seconds` into `file`; throws with the reason when it cannot. */
export const fetchProfile = async (pprofUrl: string, seconds: number, file: string): Promise<void> => {
  const url = new URL(`profile?seconds=${seconds}`, pprofUrl);
  const res = await fetch(url, { signal: AbortSignal.timeout((seconds + 10) * 1000) });
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  await writeFileAtomic(file, new Uint8Array(await res.arrayBuffer()));
};

/** The service's CPU so far (ns) and where it was read: its cgroup, else /proc schedstat of its tree. */
export const serviceCpuNs = async (
  service: Pick<RunningService, 'cgroup' | 'child'>,
): Promise<{ ns: number; source: 'cgroup' | 'proc' } | undefined> => {
  const cg = service.cgroup;
  if (cg && !('reason' in cg)) return { ns: (await cg.read()).cpuNs, source: 'cgroup' };
  const pid = service.child?.pid;
  if (pid === undefined || pid <= 1) return undefined;
  const tree = await readProcTree(pid);
  const threads = tree.processes.flatMap((p) => Object.values(p.threadNs));
  return threads.length ? { ns: threads.reduce((a, b) => a + b, 0), source: 'proc' } : undefined;
};

const cpuOrNothing = (service: RunningService) => serviceCpuNs(service).catch(() => undefined);

/**
 * Scrape, profile, scrape: the three files of one profile, relative to the trial folder. The service's
 * CPU is read just before the profile request and just after its answer (`serviceCpuSeconds`: what the
 * samples could at most stand for; a few ms wider than the profile's own window).
 */
const takeProfile = async (
  ctx: GatherContext,
  seconds: number,
  meta: Gathered['files'],
): Promise<Gathered> => {
  const pprof = ctx.service.pprofUrl;
  if (!pprof)
    throw new Error('the service has no pprof listener (plan profile needs -pprof-addr or a pprof URL)');
  const dir = ctx.paths.dir;
  const rel = {
    profile: join(dir, 'profile.pb.gz'),
    before: join(dir, 'profile-metrics-before.prom'),
    after: join(dir, 'profile-metrics-after.prom'),
  };
  const at = (p: string) => join(ctx.trialDir, p);
  const t0 = Date.now();
  // A service near its knee answers slowly: give these two scrapes more time than the run's own.
  const before = await scrapeTo(ctx.service.metricsUrl, at(rel.before), SCRAPE_TIMEOUT_MS);
  const cpu0 = await cpuOrNothing(ctx.service);
  const c0 = Date.now();
  await fetchProfile(pprof, seconds, at(rel.profile));
  const cpu1 = await cpuOrNothing(ctx.service);
  const cpuWindowSeconds = (Date.now() - c0) / 1000;
  const after = await scrapeTo(ctx.service.metricsUrl, at(rel.after), SCRAPE_TIMEOUT_MS);
  const cpu: Record<string, string | number> =
    cpu0 && cpu1 && cpu0.source === cpu1.source
      ? {
          serviceCpuSeconds: (cpu1.ns - cpu0.ns) / 1e9,
          serviceCpuSource: cpu0.source,
          serviceCpuWindowSeconds: cpuWindowSeconds,
        }
      : {};
  // The scrapes bracket the profile: the analysis scales their request counts to the profile's length.
  const windowSeconds = (Date.now() - t0) / 1000;
  const base = meta?.[0]?.meta ?? {};
  return {
    files: [
      { path: rel.profile, meta: { ...base, kind: 'cpu-profile', seconds, ...cpu } },
      ...(before && after
        ? [
            { path: rel.before, meta: { kind: 'metrics-before', windowSeconds } },
            { path: rel.after, meta: { kind: 'metrics-after' } },
          ]
        : []),
    ],
  };
};

/** Whether the profiled phase is the plan's capacity search (then only its profile runs are profiled). */
const profilesSearch = (plan: Plan): boolean => {
  const name = profiledPhase(plan);
  return plan.phases.some((p) => p.name === name && p.driver === 'k6' && p.scenario === 'capacity-search');
};

/** A capacity search's profile run (always profiled during the run, at the run's own rate). */
const isSearchProfileRun = (ctx: GatherContext): boolean =>
  ctx.plan.profile !== undefined &&
  profilesSearch(ctx.plan) &&
  ctx.phase.name === searchProfilePhase(profiledPhase(ctx.plan)!);

const wanted = (ctx: GatherContext): boolean =>
  ctx.plan.profile !== undefined && !profilesSearch(ctx.plan) && ctx.phase.name === profiledPhase(ctx.plan);

/** The mode recorded with a search profile: its rate and why that rate. */
const searchProfileMeta = (ctx: GatherContext): Record<string, string | number> => {
  const rateRps = ctx.phase.driver === 'k6' ? ctx.phase.rateRps : undefined;
  return {
    mode: 'search',
    ...(rateRps !== undefined ? { rateRps } : {}),
    rateFrom: profileRate(ctx.plan, ctx.role) !== undefined ? 'plan' : 'highest-passing-probe',
  };
};

export const profileGatherer: Gatherer = {
  name: 'profile',
  // The profile may end a little after the driver (k6 stops within a second of its duration).
  settleMs: 15_000,
  during: async (ctx) => {
    const spec = ctx.plan.profile;
    const search = isSearchProfileRun(ctx);
    if (!spec || !(search || (wanted(ctx) && spec.rateRps === undefined))) return;
    const seconds = Math.max(1, Math.min(spec.seconds, Math.floor(ctx.plannedSeconds - 2)));
    // Let the load start (k6 needs about a second) before the profile's window opens.
    await sleep(1000);
    const meta = search ? searchProfileMeta(ctx) : { mode: 'during' };
    return takeProfile(ctx, seconds, [{ path: '', meta }]);
  },
  after: async (ctx) => {
    const spec = ctx.plan.profile;
    const rateRps = profileRate(ctx.plan, ctx.role);
    if (!spec || !wanted(ctx) || rateRps === undefined) return;
    if (!ctx.corpusPath) throw new Error('no corpus for the profiling load');
    const load = k6Driver.run({
      runId: `${ctx.runId}/profile-load`,
      trialDir: ctx.trialDir,
      baseUrl: ctx.service.baseUrl,
      phase: {
        name: 'profile-load',
        driver: 'k6',
        scenario: 'steady',
        rateRps,
        durationSeconds: spec.seconds + 3,
      },
      corpusPath: ctx.corpusPath,
      slo: ctx.plan.slo,
      seed: ctx.plan.seed,
      cpu: ctx.generatorCpu,
      signal: ctx.trialSignal,
    });
    const settled = load.then(
      () => undefined,
      (e: unknown) => e,
    );
    await sleep(1500);
    const out = await takeProfile(ctx, spec.seconds, [{ path: '', meta: { mode: 'dedicated', rateRps } }]);
    const err = await settled;
    if (err) throw err instanceof Error ? err : new Error(String(err));
    return out;
  },
};
