import { warning, type GeneratorHealth, type Warning } from '../model/index.js';
import type { CpuSample } from './process.js';

/**
 * Was the load generator, not the service, the limit of a run? (ARCHITECTURE.md, measurement method.)
 * - The generator's CPU: k6 pinned to one core and busy ≥ 90 % of it over any ~2 s window of the load
 *   cannot be trusted to start arrivals on time there, so the run is marked `limited` and its figures are
 *   suspect. A whole-run average would hide a saturated stretch behind k6's start-up and tail (and count
 *   the start-up's script compilation as load), so the 250 ms samples are looked at in windows.
 * - Open model: achieved < 97 % of offered, or k6 dropping iterations, means the offered load was not
 *   delivered. With an idle generator that is the service's doing (saturation), so it is a warning on
 *   the run, not a generator limit; on a ramp, which goes past saturation on purpose, it is expected.
 */
export interface GeneratorFigures {
  offeredRps?: number;
  achievedRps?: number;
  droppedIterations?: number;
  cpuSeconds: number;
  wallSeconds: number;
  /** Cumulative CPU samples of each generator process (all pinned to the same core). */
  cpuSamples?: CpuSample[][];
  /** Planned seconds of load: the windows are taken in the last `loadSeconds` of the samples. */
  loadSeconds?: number;
  /** k6 processes sharing the run (all pinned to the same core). */
  processes: number;
  expectsSaturation: boolean;
}

export const CPU_LIMIT = 0.9;
export const ACHIEVED_MIN_SHARE = 0.97;
export const CPU_WINDOW_MS = 2000;

/**
 * Sums the processes' cumulative CPU at every sample time (each process's last value at or before it;
 * 0 before its first sample), so processes sharing one core are judged together.
 */
export const combineSamples = (series: CpuSample[][]): CpuSample[] => {
  const times = [...new Set(series.flatMap((s) => s.map((x) => x.tMs)))].sort((a, b) => a - b);
  const idx = series.map(() => -1);
  return times.map((tMs) => {
    let cpuSeconds = 0;
    series.forEach((s, k) => {
      while ((idx[k] as number) + 1 < s.length && (s[(idx[k] as number) + 1] as CpuSample).tMs <= tMs)
        idx[k] = (idx[k] as number) + 1;
      cpuSeconds += idx[k] === -1 ? 0 : (s[idx[k] as number] as CpuSample).cpuSeconds;
    });
    return { tMs, cpuSeconds };
  });
};

/**
 * The highest CPU utilisation (cores) over any window of at least `windowMs` between samples inside the
 * last `loadMs` of the series (the load; k6 spends its first moments compiling the script). Undefined
 * with fewer than two samples there. When the load is shorter than a window, the whole load is one window.
 */
export const peakWindowUtilisation = (
  samples: CpuSample[],
  loadMs: number,
  windowMs = CPU_WINDOW_MS,
): number | undefined => {
  const last = samples.at(-1);
  if (!last) return undefined;
  const load = samples.filter((s) => s.tMs >= last.tMs - loadMs);
  if (load.length < 2) return undefined;
  const span = Math.min(windowMs, (load.at(-1) as CpuSample).tMs - (load[0] as CpuSample).tMs);
  if (span <= 0) return undefined;
  let peak = 0;
  let j = 0;
  for (let i = 0; i < load.length; i += 1) {
    const a = load[i] as CpuSample;
    if (j <= i) j = i + 1;
    while (j < load.length && (load[j] as CpuSample).tMs - a.tMs < span) j += 1;
    if (j >= load.length) break;
    const b = load[j] as CpuSample;
    peak = Math.max(peak, ((b.cpuSeconds - a.cpuSeconds) * 1000) / (b.tMs - a.tMs));
  }
  return peak;
};

export const assessGenerator = (f: GeneratorFigures): { health: GeneratorHealth; warnings: Warning[] } => {
  const cpuUtilisation = f.wallSeconds > 0 ? f.cpuSeconds / f.wallSeconds : undefined;
  const peak =
    f.cpuSamples && f.loadSeconds !== undefined
      ? peakWindowUtilisation(combineSamples(f.cpuSamples), f.loadSeconds * 1000)
      : undefined;
  // Without samples (a run too short to sample), fall back to the whole-run average.
  const busiest = peak ?? cpuUtilisation;
  const limited = busiest !== undefined && busiest >= CPU_LIMIT;
  const warnings: Warning[] = [];
  const short =
    f.offeredRps && f.achievedRps !== undefined && f.achievedRps < ACHIEVED_MIN_SHARE * f.offeredRps;
  if (!f.expectsSaturation && (short || (f.droppedIterations ?? 0) > 0)) {
    warnings.push(
      warning('offered-not-delivered', {
        achievedRps: f.achievedRps,
        offeredRps: f.offeredRps,
        droppedIterations: f.droppedIterations ?? 0,
        generatorBusy: limited,
      }),
    );
  }
  const health: GeneratorHealth = {
    offeredRps: f.offeredRps,
    achievedRps: f.achievedRps,
    droppedIterations: f.droppedIterations ?? 0,
    cpuSeconds: f.cpuSeconds,
    cpuUtilisation,
    limited,
  };
  if (limited)
    health.limitedReason =
      peak !== undefined
        ? `generator used ${(peak * 100).toFixed(0)} % of its core over its busiest ${CPU_WINDOW_MS / 1000} s of load`
        : `generator used ${((cpuUtilisation ?? 0) * 100).toFixed(0)} % of its core`;
  return { health, warnings };
};
