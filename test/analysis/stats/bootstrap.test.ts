import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapRatioCI, bootstrapRatios } from '../../../src/analysis/stats/bootstrap.js';
import { createRng } from '../../../src/analysis/stats/rng.js';
import { oracle } from './oracle.js';

const { cases } = oracle<{ a: number[]; b: number[]; values: number[]; cdf: number[] }[]>('bootstrap.json');

/** Exact bootstrap CDF at x from the enumerated distribution. */
const exactCdf = (values: number[], cdf: number[], x: number): number => {
  let f = 0;
  values.forEach((v, i) => {
    if (v <= x + 1e-12) f = cdf[i]!;
  });
  return f;
};

describe('bootstrapRatioCI (percentile, runs resampled per arm)', () => {
  it('the Monte-Carlo distribution of median ratios matches the exact enumerated bootstrap distribution (within 5 SE)', () => {
    const iterations = 40_000;
    for (const c of cases) {
      const ratios = bootstrapRatios(c.a, c.b, { rng: createRng(99), iterations });
      c.values.forEach((v, i) => {
        const expected = c.cdf[i]!;
        let below = 0;
        for (const r of ratios) if (r <= v + 1e-12) below++;
        const se = Math.sqrt((expected * (1 - expected)) / iterations) + 1e-9;
        assert.ok(
          Math.abs(below / iterations - expected) <= 5 * se,
          `F(${v}) ${below / iterations} vs exact ${expected}`,
        );
      });
      const [lo, hi] = bootstrapRatioCI(c.a, c.b, { rng: createRng(5), iterations });
      assert.ok(
        exactCdf(c.values, c.cdf, lo) >= 0.015 && exactCdf(c.values, c.cdf, hi) >= 0.975 - 0.01,
        `[${lo}, ${hi}]`,
      );
    }
  });

  it('is reproducible from the seed and changes with it', () => {
    const a = [100, 104, 97, 110, 101, 99];
    const b = [95, 99, 93, 101, 96, 94];
    const one = bootstrapRatioCI(a, b, { rng: createRng(1), iterations: 2000 });
    assert.deepEqual(one, bootstrapRatioCI(a, b, { rng: createRng(1), iterations: 2000 }));
    assert.notDeepEqual(one, bootstrapRatioCI(a, b, { rng: createRng(2), iterations: 2000 }));
  });

  it('uses a custom statistic and level when given', () => {
    const a = [10, 10, 10, 10];
    const b = [20, 20, 20, 20];
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.deepEqual(
      bootstrapRatioCI(a, b, { rng: createRng(3), statistic: mean, level: 0.9, iterations: 100 }),
      [2, 2],
    );
  });

  it('returns [NaN, NaN] when every replicate divides by zero', () => {
    const ci = bootstrapRatioCI([0, 0], [1, 2], { rng: createRng(3), iterations: 50 });
    assert.ok(ci.every(Number.isNaN));
  });
});
