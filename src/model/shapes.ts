/**
 * Offered-rate shapes shared by the k6 scenarios (scenarios/*.ts import this file directly, so it has no
 * imports and uses nothing beyond ES2020) and the scenario traits (model/scenarios.ts): the spike's split
 * is written here once.
 */

/** One plateau of offered load: `rateRps` arrivals per second for `seconds`. */
export interface Stage {
  rateRps: number;
  seconds: number;
}

/**
 * Spike: `totalSeconds` split 40 % base, 20 % burst, 40 % base (each part at least 1 s); the burst runs
 * at `multiplier` × `rateRps`, rounded to whole arrivals per second.
 */
export const spikeStages = (rateRps: number, totalSeconds: number, multiplier: number): Stage[] => {
  const calm = Math.max(1, Math.round(totalSeconds * 0.4));
  const high = Math.max(1, totalSeconds - 2 * calm);
  const burst = Math.round(rateRps * multiplier);
  return [
    { rateRps, seconds: calm },
    { rateRps: burst, seconds: high },
    { rateRps, seconds: calm },
  ];
};

/** Default burst size of a spike, as a multiple of its base rate. */
export const DEFAULT_SPIKE_MULTIPLIER = 3;
