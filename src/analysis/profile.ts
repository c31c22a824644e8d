import { warning } from '../model/index.js';
import type {
  CpuProfileData,
  EndpointCpu,
  ProfileFunction,
  ProfileNode,
  ProfileSummary,
  Role,
  SampledShare,
  Warning,
} from '../model/index.js';
import { wilsonInterval } from './stats/index.js';

/**
 * Where the CPU goes, from one Go CPU profile (pprof's own definitions, `go tool pprof -top`):
 * - flat share of a function = samples whose leaf frame is the function ÷ all samples;
 * - cumulative share = samples with the function anywhere in the stack, counted once per sample
 *   (recursion does not count twice) ÷ all samples;
 * - hotspot share = cumulative share of the samples with any frame matching the plan's patterns;
 * - Rust share = cumulative share of samples under `runtime.cgocall` / `_Cfunc_*`: Go's profiler cannot
 *   unwind into the Rust staticlib, so time in Rust shows as those frames;
 * - CPU per endpoint = CPU nanoseconds of the samples labelled `endpoint=<e>` (the service's
 *   `pprof.Do` labels) ÷ that endpoint's requests in the profile window.
 * - coverage = the samples' CPU ÷ the service's own CPU in the profile's window (the OS's figure): the
 *   shares are of the sampled part, and below `MIN_PROFILE_COVERAGE` a warning says so.
 * Each sampled share carries a binomial 95 % CI (Wilson) on the profile's n samples: at 100 Hz a profile
 * with few samples cannot tell 30 % from 50 %, and below `minSamples` no share is given at all.
 * Samples of one profile are not independent draws (a long request gives runs of equal stacks), so the
 * CI is a lower bound on the uncertainty. Pure.
 */

/** Frames that mean "running outside Go through cgo" (the Rust staticlib in the rust build). */
export const CGO_FRAME = /(^runtime\.cgocall$|(^|[./])_Cfunc_)/;

/** How many functions `topFunctions` keeps (by flat share, then cumulative). */
export const TOP_FUNCTIONS = 15;
/** Call-tree nodes below this share of the samples are pruned from `tree`. */
export const TREE_MIN_SHARE = 0.005;

const totalSamples = (p: CpuProfileData): number => p.samples.reduce((s, x) => s + x.count, 0);

/** Flat and cumulative shares of every function, highest flat first (ties: cumulative, then name). */
export const functionShares = (p: CpuProfileData): ProfileFunction[] => {
  const n = totalSamples(p);
  if (n === 0) return [];
  const flat = new Map<string, number>();
  const cum = new Map<string, number>();
  for (const s of p.samples) {
    const leaf = s.stack[0];
    if (leaf !== undefined) flat.set(leaf, (flat.get(leaf) ?? 0) + s.count);
    for (const name of new Set(s.stack)) cum.set(name, (cum.get(name) ?? 0) + s.count);
  }
  return [...cum.entries()]
    .map(([name, c]) => ({ name, flat: (flat.get(name) ?? 0) / n, cum: c / n }))
    .sort((a, b) => b.flat - a.flat || b.cum - a.cum || a.name.localeCompare(b.name));
};

/** Samples with at least one frame matching `test`, and the total. */
export const matchingSamples = (
  p: CpuProfileData,
  test: (name: string) => boolean,
): { k: number; n: number } => {
  let k = 0;
  for (const s of p.samples) if (s.stack.some(test)) k += s.count;
  return { k, n: totalSamples(p) };
};

/** A sampled share with its Wilson 95 % CI; undefined for an empty profile. */
export const sampledShare = (k: number, n: number): SampledShare | undefined =>
  n > 0 ? { share: k / n, ci95: wilsonInterval(k, n) } : undefined;

/** Compiles the plan's hotspot patterns into one test (any pattern matches). */
export const hotspotTest = (patterns: readonly string[]): ((name: string) => boolean) => {
  const res = patterns.map((p) => new RegExp(p));
  return (name) => res.some((re) => re.test(name));
};

/** CPU seconds per `endpoint` label, largest first; requests from `requests` when known. */
export const endpointCpu = (
  p: CpuProfileData,
  requests: Readonly<Record<string, number>> = {},
): EndpointCpu[] => {
  const cpu = new Map<string, number>();
  for (const s of p.samples) {
    const e = s.labels.endpoint;
    if (e !== undefined) cpu.set(e, (cpu.get(e) ?? 0) + s.cpuNanos / 1e9);
  }
  const names = new Set([...cpu.keys(), ...Object.keys(requests)]);
  return [...names]
    .map((endpoint): EndpointCpu => {
      const cpuSeconds = cpu.get(endpoint) ?? 0;
      const r = requests[endpoint];
      return {
        endpoint,
        cpuSeconds,
        ...(r !== undefined ? { requests: r } : {}),
        ...(r ? { cpuSecondsPerRequest: cpuSeconds / r } : {}),
      };
    })
    .sort((a, b) => b.cpuSeconds - a.cpuSeconds || a.endpoint.localeCompare(b.endpoint));
};

interface MutableNode {
  name: string;
  samples: number;
  children: Map<string, MutableNode>;
}

/** The call tree from the root (callers outermost), pruned below `minShare` of the samples. */
export const callTree = (p: CpuProfileData, minShare = TREE_MIN_SHARE): ProfileNode => {
  const root: MutableNode = { name: 'all', samples: 0, children: new Map() };
  for (const s of p.samples) {
    root.samples += s.count;
    let node = root;
    for (let i = s.stack.length - 1; i >= 0; i--) {
      const name = s.stack[i]!;
      let child = node.children.get(name);
      if (!child) node.children.set(name, (child = { name, samples: 0, children: new Map() }));
      child.samples += s.count;
      node = child;
    }
  }
  const min = root.samples * minShare;
  const freeze = (n: MutableNode): ProfileNode => ({
    name: n.name,
    samples: n.samples,
    children: [...n.children.values()]
      .filter((c) => c.samples >= min && c.samples > 0)
      .sort((a, b) => b.samples - a.samples || a.name.localeCompare(b.name))
      .map(freeze),
  });
  return freeze(root);
};

export interface ProfileInput {
  role: Role;
  phase: string;
  runId: string;
  profile: CpuProfileData;
  /** The plan's `profile.hotspot` patterns. */
  hotspot: readonly string[];
  minSamples: number;
  /** Requests per endpoint in the profile window, when known. */
  requestsByEndpoint?: Readonly<Record<string, number>>;
  rateRps?: number;
  rateFrom?: ProfileSummary['rateFrom'];
  /** The service's own CPU seconds over the profile's window (cgroup or /proc), when read. */
  serviceCpu?: { seconds: number; source: 'cgroup' | 'proc' };
}

/** Below this share of the service's CPU in its window, a profile's shares are of a part only (warned). */
export const MIN_PROFILE_COVERAGE = 0.8;

/** The samples' CPU ÷ the service's CPU in the same window, capped at 1 (sampling can overshoot a little). */
export const profileCoverage = (
  profileCpuSeconds: number,
  serviceCpu: ProfileInput['serviceCpu'],
): ProfileSummary['coverage'] =>
  serviceCpu && serviceCpu.seconds > 0
    ? {
        share: Math.min(1, profileCpuSeconds / serviceCpu.seconds),
        serviceCpuSeconds: serviceCpu.seconds,
        source: serviceCpu.source,
      }
    : undefined;

/** One profile → its summary for report.json (shares 0..1, never above 1). */
export const summarizeProfile = (input: ProfileInput): ProfileSummary => {
  const { profile } = input;
  const n = totalSamples(profile);
  const tooFew = n < input.minSamples;
  const warnings: Warning[] = [];
  if (tooFew) warnings.push(warning('few-profile-samples', { samples: n, minSamples: input.minSamples }));
  const hot = matchingSamples(profile, hotspotTest(input.hotspot));
  const hotShare = sampledShare(hot.k, hot.n);
  const cgo = matchingSamples(profile, (name) => CGO_FRAME.test(name));
  const rust = cgo.k > 0 ? sampledShare(cgo.k, cgo.n) : undefined;
  const labelled = profile.samples.reduce((s, x) => s + (x.labels.endpoint !== undefined ? x.count : 0), 0);
  const cpuSeconds = profile.samples.reduce((s, x) => s + x.cpuNanos, 0) / 1e9;
  const coverage = profileCoverage(cpuSeconds, input.serviceCpu);
  if (coverage && coverage.share < MIN_PROFILE_COVERAGE)
    warnings.push(
      warning('profile-low-coverage', {
        coverage: coverage.share,
        profileCpuSeconds: cpuSeconds,
        serviceCpuSeconds: coverage.serviceCpuSeconds,
        source: coverage.source,
      }),
    );
  return {
    role: input.role,
    phase: input.phase,
    runId: input.runId,
    seconds: profile.durationNanos / 1e9,
    samples: n,
    cpuSeconds,
    ...(input.rateRps !== undefined ? { rateRps: input.rateRps } : {}),
    ...(input.rateFrom !== undefined ? { rateFrom: input.rateFrom } : {}),
    ...(coverage ? { coverage } : {}),
    ...(hotShare && !tooFew ? { hotspotShare: hotShare.share, hotspotCI95: hotShare.ci95 } : {}),
    ...(rust && !tooFew ? { rustShare: rust } : {}),
    unlabelledShare: n > 0 ? 1 - labelled / n : 0,
    minSamples: input.minSamples,
    tooFewSamples: tooFew,
    topFunctions: functionShares(profile).slice(0, TOP_FUNCTIONS),
    byEndpoint: endpointCpu(profile, input.requestsByEndpoint),
    tree: callTree(profile),
    warnings,
  };
};

/**
 * Amdahl's ceiling: if the hotspot cost nothing, CPU per request could fall by at most its share of the
 * CPU (the upper CI bound gives the most it could plausibly be). Returned as a change (−0.42 = −42 %).
 */
export const amdahlCeiling = (
  s: Pick<ProfileSummary, 'hotspotShare' | 'hotspotCI95'>,
): { change: number; range: [number, number] } | undefined =>
  s.hotspotShare === undefined || !s.hotspotCI95
    ? undefined
    : { change: -s.hotspotShare, range: [-s.hotspotCI95[1], -s.hotspotCI95[0]] };

/** A scrape sample, as resources.ts reads them (analysis may not import ingest). */
interface Scraped {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Requests per endpoint between two scrapes of `hotswap_requests_total{endpoint}` (every impl and
 * outcome summed); undefined when either scrape lacks the counter.
 */
export const requestsBetween = (
  before: readonly Scraped[] | undefined,
  after: readonly Scraped[] | undefined,
  metric = 'hotswap_requests_total',
): Record<string, number> | undefined => {
  if (!before || !after) return undefined;
  const sum = (xs: readonly Scraped[]): Map<string, number> | undefined => {
    const m = new Map<string, number>();
    for (const s of xs)
      if (s.name === metric && s.labels.endpoint !== undefined)
        m.set(s.labels.endpoint, (m.get(s.labels.endpoint) ?? 0) + s.value);
    return m.size ? m : undefined;
  };
  const a = sum(after);
  const b = sum(before);
  if (!a || !b) return undefined;
  const out: Record<string, number> = {};
  for (const [e, v] of a) out[e] = Math.max(0, v - (b.get(e) ?? 0));
  return out;
};
