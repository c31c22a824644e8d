import { InputError } from '../../model/index.js';

/**
 * Fleet size and monthly cost at peak: instancesForPeak = ⌈peak / per-instance capacity⌉, plus
 * `redundancy` spare instances (N + k: survive k instance losses at peak), times the hourly price over
 * 730 hours a month (8 760 h / 12, the convention AWS, GCP and Azure price pages use).
 * The ratio is rounded up with a relative tolerance of 1e-9 so 300/100 stays 3 despite floating point.
 */
export const HOURS_PER_MONTH = 730;

export interface InstancesInput {
  peakRps: number;
  /** Sustainable requests per second of one instance (the knee or CPU-based estimate). */
  perInstanceRps: number;
  /** Spare instances on top of those the peak needs (N + redundancy). */
  redundancy: number;
  costPerInstanceHour: number;
}

export interface InstancesResult {
  instancesForPeak: number;
  instances: number;
  costPerMonth: number;
}

export const instancesNeeded = (input: InstancesInput): InstancesResult => {
  const { peakRps, perInstanceRps, redundancy, costPerInstanceHour } = input;
  if (!(peakRps >= 0 && Number.isFinite(peakRps)))
    throw new InputError(`peak rate must be ≥ 0, got ${peakRps}`);
  if (!(perInstanceRps > 0 && Number.isFinite(perInstanceRps))) {
    throw new InputError(`per-instance rate must be > 0, got ${perInstanceRps}`);
  }
  if (!(Number.isInteger(redundancy) && redundancy >= 0)) {
    throw new InputError(`redundancy must be a whole number of spare instances ≥ 0, got ${redundancy}`);
  }
  if (!(costPerInstanceHour >= 0 && Number.isFinite(costPerInstanceHour))) {
    throw new InputError(`cost per instance-hour must be ≥ 0, got ${costPerInstanceHour}`);
  }
  const ratio = peakRps / perInstanceRps;
  const instancesForPeak = Math.ceil(ratio * (1 - 1e-9));
  const instances = instancesForPeak + redundancy;
  return { instancesForPeak, instances, costPerMonth: instances * costPerInstanceHour * HOURS_PER_MONTH };
};
