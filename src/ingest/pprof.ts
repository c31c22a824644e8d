import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { InputError, type CpuProfileData, type CpuProfileSample, type GatheredFile } from '../model/index.js';
import { parsePrometheusFile, type PromSample } from './prometheus.js';

/**
 * Go's CPU profile (`/debug/pprof/profile`, a gzipped profile.proto) → CpuProfileData. Decoding is
 * pprof-format's (Datadog's maintained encoder/decoder of profile.proto); this file only resolves ids
 * to names. pprof-format gives int64 fields as number or bigint: every one goes through `num`.
 */

type Numeric = number | bigint;
const num = (x: Numeric | undefined): number => (x === undefined ? 0 : Number(x));

/** Index of the sample value of `type` (e.g. "cpu"), or -1. */
const valueIndex = (p: Profile, type: string): number =>
  p.sampleType.findIndex((t) => p.stringTable.strings[num(t.type)] === type);

export const decodeCpuProfile = (bytes: Uint8Array, file: string): CpuProfileData => {
  let profile: Profile;
  try {
    const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    profile = Profile.decode(raw);
  } catch (err) {
    throw new InputError(`${file}: not a pprof profile (${(err as Error).message})`);
  }
  const str = (i: Numeric): string => profile.stringTable.strings[num(i)] ?? '';
  const functions = new Map<number, string>();
  for (const f of profile.function) functions.set(num(f.id), str(f.name) || str(f.systemName) || '?');
  const locations = new Map<number, string[]>();
  for (const l of profile.location) {
    const names = l.line.map((ln) => functions.get(num(ln.functionId)) ?? '?');
    locations.set(num(l.id), names.length ? names : [`0x${num(l.address).toString(16)}`]);
  }
  const cpuAt = valueIndex(profile, 'cpu');
  const countAt = valueIndex(profile, 'samples');
  if (cpuAt === -1 && countAt === -1)
    throw new InputError(`${file}: not a CPU profile (no cpu or samples values)`);
  const periodNanos = num(profile.period) || 10_000_000;
  const samples: CpuProfileSample[] = profile.sample.map((s) => {
    const labels: Record<string, string> = {};
    for (const l of s.label) if (num(l.str) !== 0) labels[str(l.key)] = str(l.str);
    const cpuNanos = cpuAt === -1 ? undefined : num(s.value[cpuAt]);
    const count = countAt === -1 ? Math.round((cpuNanos ?? 0) / periodNanos) : num(s.value[countAt]);
    return {
      stack: s.locationId.flatMap((id) => locations.get(num(id)) ?? ['?']),
      count,
      cpuNanos: cpuNanos ?? count * periodNanos,
      labels,
    };
  });
  return { periodNanos, durationNanos: num(profile.durationNanos), samples };
};

/** Reads one `.pb.gz` (or plain .pb) CPU profile. */
export const readCpuProfile = async (file: string): Promise<CpuProfileData> => {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new InputError(
      `${file}: cannot read the profile (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return decodeCpuProfile(bytes, file);
};

/** One run's profile files as the profile gatherer listed them in `raw.gathered`. */
export interface GatheredProfile {
  profile: CpuProfileData;
  before?: PromSample[];
  after?: PromSample[];
  mode?: string;
  rateRps?: number;
  /** Seconds between the two scrapes (they bracket the profile). */
  windowSeconds?: number;
  /** Why the profile ran at its rate (a capacity search's profile run): `highest-passing-probe` or `plan`. */
  rateFrom?: string;
  /** The service's own CPU seconds from just before the profile request to just after its answer. */
  serviceCpuSeconds?: number;
  /** Where that was read: `cgroup` or `proc`. */
  serviceCpuSource?: string;
}

/** Reads the profile gatherer's files of one run (paths relative to the trial folder); undefined when none. */
export const readGatheredProfile = async (
  dir: string,
  gathered: readonly GatheredFile[] | undefined,
): Promise<GatheredProfile | undefined> => {
  const mine = (gathered ?? []).filter((g) => g.gatherer === 'profile');
  const file = (kind: string) => mine.find((g) => g.meta?.kind === kind);
  const prof = file('cpu-profile');
  if (!prof) return undefined;
  const out: GatheredProfile = { profile: await readCpuProfile(join(dir, prof.path)) };
  const b = file('metrics-before');
  const a = file('metrics-after');
  if (b && a) {
    if (typeof b.meta?.windowSeconds === 'number') out.windowSeconds = b.meta.windowSeconds;
    out.before = await parsePrometheusFile(join(dir, b.path));
    out.after = await parsePrometheusFile(join(dir, a.path));
  }
  if (typeof prof.meta?.mode === 'string') out.mode = prof.meta.mode;
  if (typeof prof.meta?.rateRps === 'number') out.rateRps = prof.meta.rateRps;
  if (typeof prof.meta?.rateFrom === 'string') out.rateFrom = prof.meta.rateFrom;
  if (typeof prof.meta?.serviceCpuSeconds === 'number') out.serviceCpuSeconds = prof.meta.serviceCpuSeconds;
  if (typeof prof.meta?.serviceCpuSource === 'string') out.serviceCpuSource = prof.meta.serviceCpuSource;
  return out;
};
