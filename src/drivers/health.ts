import type { GeneratorHealth, Warning } from '../model/index.js';

/**
 * Was the load generator, not the service, the limit of a run? (ARCHITECTURE.md, measurement method.)
 * - The generator's CPU: k6 pinned to one core and busy ≥ 90 % of the run cannot be trusted to start
 *   arrivals on time, so the run is marked `limited` and its figures are suspect.
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
  /** k6 processes sharing the run (all pinned to the same core). */
  processes: number;
  expectsSaturation: boolean;
}

export const CPU_LIMIT = 0.9;
export const ACHIEVED_MIN_SHARE = 0.97;

export const assessGenerator = (f: GeneratorFigures): { health: GeneratorHealth; warnings: Warning[] } => {
  const cpuUtilisation = f.wallSeconds > 0 ? f.cpuSeconds / f.wallSeconds : undefined;
  const limited = cpuUtilisation !== undefined && cpuUtilisation >= CPU_LIMIT;
  const warnings: Warning[] = [];
  const short =
    f.offeredRps && f.achievedRps !== undefined && f.achievedRps < ACHIEVED_MIN_SHARE * f.offeredRps;
  if (!f.expectsSaturation && (short || (f.droppedIterations ?? 0) > 0)) {
    warnings.push({
      code: 'offered-not-delivered',
      message: `achieved ${f.achievedRps?.toFixed(1)} of ${f.offeredRps?.toFixed(1)} requests/s offered, ${f.droppedIterations ?? 0} iterations dropped`,
      hint: limited
        ? 'the load generator was busy: give it a core of its own or split it (phase.processes)'
        : 'the service could not keep up at this rate (or maxVus is too low): lower the rate or raise maxVus',
    });
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
    health.limitedReason = `generator used ${((cpuUtilisation ?? 0) * 100).toFixed(0)} % of its core`;
  return { health, warnings };
};
