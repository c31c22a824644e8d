/**
 * A seeded uniform generator, so every random figure in a report (bootstrap intervals, simulations)
 * is reproducible from the plan's seed. The pure core never calls Math.random.
 *
 * Method: mulberry32 by Tommy Ettinger (public domain, 2017;
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c), a 32-bit state generator that
 * passes PractRand to 2^32 outputs and gnu's BigCrush except for birthday-spacings. Its period (2^32) is
 * far more than a bootstrap of 10 000 resamples × 20 runs needs. Outputs are multiples of 2^-32 in [0, 1).
 */
export type Rng = () => number;

/** A generator seeded by any finite number (its low 32 bits after truncation are the state). */
export const createRng = (seed: number): Rng => {
  if (!Number.isFinite(seed)) throw new RangeError(`createRng: seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A uniform integer in [0, n), from `rng`. */
export const randomInt = (rng: Rng, n: number): number => Math.floor(rng() * n);

/**
 * A standard normal deviate by the Box–Muller transform (Box & Muller 1958, Ann. Math. Stat. 29(2)),
 * for simulations. Uses 1 − u so the logarithm never sees 0.
 */
export const randomNormal = (rng: Rng): number => {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
};

/**
 * A standard normal generator that keeps both Box–Muller deviates (u, v give r·cos θ and r·sin θ), half the
 * transcendental calls of randomNormal for simulations that draw millions.
 */
export const createNormal = (rng: Rng): (() => number) => {
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = NaN;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - rng()));
    const theta = 2 * Math.PI * rng();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
};
