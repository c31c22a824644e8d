import { warning } from '../../model/index.js';
import type { CapacityEstimate, CapacityInputs, Role, Savings, Warning } from '../../model/index.js';
import { instancesNeeded } from './instances.js';
import type { Knee } from './knee.js';

/**
 * Per-instance capacity and fleet size of one configuration. Two estimates, each an upper limit:
 *  - the measured knee (knee.ts), scaled from the cores the service had in the trial to the cores of a
 *    production instance (linear scaling: optimistic for contended services, so a warning says so);
 *  - the CPU-based rate: cores × target utilisation / CPU seconds per request (the utilisation law,
 *    U = X·S; Jain, The Art of Computer Systems Performance Analysis, 1991, §33.2), planning each
 *    instance at the target utilisation (default 0.65) to leave headroom for spikes.
 * The instance is sized by the smaller of those present; instances = ⌈peak / per-instance⌉ + redundancy
 * (instances.ts), cost over 730 hours a month. A configuration that missed the SLO at every measured rate
 * is not sized at all (`noRateMeetsSlo`): never size a fleet at a rate measured failing.
 */

export interface SizingInput {
  role: Role;
  knee: Knee;
  /** Median across steady runs, CPU seconds per request. */
  cpuSecondsPerRequest?: number;
  capacity: CapacityInputs;
  /** Cores the service could use during the ramp (1 when pinned to one core). */
  serviceCores: number;
}

export const cpuBasedRps = (cpuSecondsPerRequest: number, cores: number, utilisation: number): number =>
  (cores * utilisation) / cpuSecondsPerRequest;

export const sizeConfiguration = (input: SizingInput): CapacityEstimate => {
  const { knee, capacity } = input;
  const warnings: Warning[] = [...knee.warnings];
  const estimate: CapacityEstimate = { role: input.role, steps: knee.steps, warnings };
  const candidates: number[] = [];
  if (knee.kneeRps !== undefined) {
    estimate.kneeRps = knee.kneeRps;
    if (knee.kneeIsLowerBound) estimate.kneeIsLowerBound = true;
    const scale = capacity.coresPerInstance / input.serviceCores;
    if (scale !== 1) {
      warnings.push(
        warning('knee-scaled', {
          serviceCores: input.serviceCores,
          scale,
          coresPerInstance: capacity.coresPerInstance,
        }),
      );
    }
    candidates.push(knee.kneeRps * scale);
  } else if (knee.kneeBelowRps !== undefined) {
    // Even the lowest ramp step missed the SLO: no measured rate meets it. Sizing a fleet on that step
    // (or on the CPU estimate, which is higher still) would size it at a rate where the configuration was
    // measured failing, so no fleet is sized and no saving is computed from it (issue 10).
    estimate.kneeBelowRps = knee.kneeBelowRps;
    estimate.noRateMeetsSlo = true;
    warnings.push(
      warning('no-rate-meets-slo', {
        kneeBelowRps: knee.kneeBelowRps,
        ...(knee.lowest !== undefined ? { lowest: knee.lowest } : {}),
      }),
    );
  }
  const cpu = input.cpuSecondsPerRequest;
  if (cpu !== undefined && cpu > 0) {
    estimate.cpuBasedRps = cpuBasedRps(cpu, capacity.coresPerInstance, capacity.targetUtilisation);
    // A capacity search measured the knee probe by probe: it sizes, the CPU estimate stands beside it.
    if (!(knee.sizeByKnee && candidates.length > 0)) candidates.push(estimate.cpuBasedRps);
  } else {
    warnings.push(warning('no-cpu-figure'));
  }
  if (candidates.length === 0 || estimate.noRateMeetsSlo) return estimate;
  estimate.perInstanceRps = Math.min(...candidates);
  estimate.sizedBy =
    estimate.perInstanceRps === estimate.cpuBasedRps
      ? 'cpu'
      : estimate.kneeRps !== undefined
        ? estimate.kneeIsLowerBound
          ? 'knee-lower-bound'
          : 'knee'
        : 'knee-upper-bound';
  const fleet = instancesNeeded({
    peakRps: capacity.peakRps,
    perInstanceRps: estimate.perInstanceRps,
    redundancy: capacity.redundancy,
    costPerInstanceHour: capacity.costPerInstanceHour,
  });
  estimate.instancesForPeak = fleet.instancesForPeak;
  estimate.instances = fleet.instances;
  estimate.costPerMonth = fleet.costPerMonth;
  return estimate;
};

/** Instances and money the candidate saves per month (negative = it costs more); undefined without both fleets. */
export const savingsOf = (
  baseline: CapacityEstimate,
  candidate: CapacityEstimate,
  currency: string,
): Savings | undefined => {
  if (baseline.instances === undefined || candidate.instances === undefined) return undefined;
  const money = (baseline.costPerMonth ?? 0) - (candidate.costPerMonth ?? 0);
  return {
    instances: baseline.instances - candidate.instances,
    moneyPerMonth: money,
    currency,
    share: baseline.instances > 0 ? (baseline.instances - candidate.instances) / baseline.instances : 0,
  };
};

/**
 * The saving is like for like only when both fleets are sized by the same kind of measured estimate.
 * A knee bound (the ramp started above the knee, or ended below it) is not a measurement of capacity,
 * and which way it bends the saving depends on the side: a capacity that is only a lower bound needs
 * fewer instances than shown (an upper bound, more), so a bound on the baseline's side overstates the
 * saving when it is a lower bound and understates it when it is an upper bound; on the candidate's side
 * the other way round.
 */
const savingBias = (baseline: CapacityEstimate, candidate: CapacityEstimate): string => {
  // +1: the saving shown is larger than the truth; −1: smaller.
  const sign = (c: CapacityEstimate, side: 1 | -1): number =>
    c.sizedBy === 'knee-lower-bound' ? side : c.sizedBy === 'knee-upper-bound' ? -side : 0;
  const signs = new Set([sign(baseline, 1), sign(candidate, -1)].filter((x) => x !== 0));
  if (signs.size !== 1) return 'may be off in either direction';
  return signs.has(1) ? 'may be overstated' : 'may be understated';
};

export const savingsWarnings = (baseline: CapacityEstimate, candidate: CapacityEstimate): Warning[] => {
  const isBound = (c: CapacityEstimate): boolean =>
    c.sizedBy === 'knee-upper-bound' || c.sizedBy === 'knee-lower-bound';
  if (baseline.sizedBy === candidate.sizedBy && !isBound(baseline)) return [];
  const bounds = [baseline, candidate]
    .filter(isBound)
    .map((c) =>
      c.sizedBy === 'knee-lower-bound' && c.search
        ? `the ${c.role}'s capacity search stopped (${c.search.stoppedBy}) at ${c.kneeRps} rps before any probe failed, so its capacity is at least that`
        : c.sizedBy === 'knee-lower-bound'
          ? `the ${c.role}'s ramp never reached its knee (every step met the SLO up to ${c.kneeRps} rps), so its capacity is at least that`
          : `the ${c.role}'s lowest ramp step already missed the SLO, so its capacity is below ${c.kneeBelowRps} rps`,
    );
  return [
    warning('savings-not-like-for-like', {
      baselineSizedBy: baseline.sizedBy,
      candidateSizedBy: candidate.sizedBy,
      bounds,
      bias: savingBias(baseline, candidate),
    }),
  ];
};
