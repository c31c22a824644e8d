import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  hodgesLehmann,
  kthDifference,
  medianOfDifferencesBruteForce,
} from '../../../src/analysis/stats/hodges-lehmann.js';
import { createRng, randomNormal } from '../../../src/analysis/stats/rng.js';
import { assertClose, oracle } from './oracle.js';

interface Case {
  name: string;
  a: number[];
  b: number[];
  hodgesLehmann: number;
}
const { cases } = oracle<Case[]>('effect-sizes.json');

describe('hodgesLehmann', () => {
  it('equals numpy.median of all b_j − a_i for every oracle case', () => {
    for (const c of cases) assertClose(hodgesLehmann(c.a, c.b), c.hodgesLehmann, 1e-12, 1e-12, c.name);
  });

  it('the selection path (per-request sizes) finds exactly the brute-force k-th difference', () => {
    const rng = createRng(7);
    const sample = (n: number, shift: number): Float64Array =>
      Float64Array.from(
        { length: n },
        () => Math.round(Math.exp(randomNormal(rng) * 0.5 + shift) * 1000) / 1000,
      ).sort();
    for (const [n, m] of [
      [300, 401],
      [57, 1000],
      [1000, 999],
    ] as const) {
      const a = sample(n, 3);
      const b = sample(m, 3.1);
      const brute = medianOfDifferencesBruteForce(a, b);
      const total = n * m;
      const k = Math.floor((total - 1) / 2);
      const viaSelection =
        total % 2 === 1 ? kthDifference(a, b, k) : (kthDifference(a, b, k) + kthDifference(a, b, k + 1)) / 2;
      assert.equal(viaSelection, brute, `${n}×${m}`);
    }
  });

  it('handles 100 000 × 100 000 requests without forming 10^10 differences', () => {
    const rng = createRng(11);
    const a = Float64Array.from({ length: 100_000 }, () => 10 + randomNormal(rng));
    const b = Float64Array.from({ length: 100_000 }, () => 12 + randomNormal(rng));
    assertClose(hodgesLehmann(a, b), 2, 0, 0.02, 'shift of 2');
  });
});
