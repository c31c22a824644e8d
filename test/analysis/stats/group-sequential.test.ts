import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alphaSpent,
  bestCaseP,
  decideAtLook,
  looksOf,
  rankBoundaries,
  rejectsAt,
  repeatedCILevel,
  sequentialSummary,
  smallestP,
} from '../../../src/analysis/stats/group-sequential.js';
import { mannWhitney } from '../../../src/analysis/stats/mann-whitney.js';
import { createNormal, createRng } from '../../../src/analysis/stats/rng.js';

describe('alpha spending (Lan-DeMets)', () => {
  it('Pocock-type spends α·ln(1 + (e − 1)t): 0.0179 at the first of four looks, α at the last', () => {
    assert.ok(Math.abs(alphaSpent(0.05, 0.25) - 0.05 * Math.log(1 + (Math.E - 1) / 4)) < 1e-15);
    assert.ok(Math.abs(alphaSpent(0.05, 0.25) - 0.01787) < 1e-5);
    assert.equal(alphaSpent(0.05, 1), 0.05);
  });
  it("O'Brien-Fleming-type spends 2 − 2Φ(z/√t): 8.9e-5 at t = 0.25, too little for 5 runs per arm to stop", () => {
    assert.ok(Math.abs(alphaSpent(0.05, 0.25, 'obrien-fleming') - 8.86e-5) < 1e-7);
    assert.ok(Math.abs(alphaSpent(0.05, 1 - 1e-12, 'obrien-fleming') - 0.05) < 1e-9);
    assert.ok(smallestP(5) > alphaSpent(0.05, 0.25, 'obrien-fleming'));
  });
});

describe('the arithmetic behind the design', () => {
  it('5 vs 5 has 252 orderings: smallest p 1/252 one-sided, 2/252 two-sided; 6 vs 6: 1/924', () => {
    assert.equal(smallestP(5), 1 / 252);
    assert.equal(smallestP(5, 'two-sided'), 2 / 252);
    assert.ok(Math.abs(smallestP(6) - 1 / 924) < 1e-18);
    // Holm over three judged lines at the first Pocock look: 0.0179/3 < 2/252, unreachable two-sided.
    assert.ok(alphaSpent(0.05, 0.25) / 3 < smallestP(5, 'two-sided'));
  });
});

describe('looksOf', () => {
  it('lists min, min + every, …, max and refuses a bad schedule', () => {
    assert.deepEqual(looksOf({ min: 5, max: 20, every: 5 }), [5, 10, 15, 20]);
    assert.deepEqual(looksOf({ min: 5, max: 12, every: 5 }), [5, 10, 12]);
    assert.throws(() => looksOf({ min: 6, max: 5, every: 1 }), RangeError);
  });
});

/** Independent check: every permutation of ranks 1..8 over (a₁ a₂ b₁ b₂ | a₃ a₄ b₃ b₄), U pairwise. */
const bruteForceAttained = (nominal: number[], alternative: 'greater' | 'two-sided'): number[] => {
  const perms: number[][] = [];
  const build = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) perms.push(prefix);
    rest.forEach((r, i) => build([...prefix, r], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  build([], [1, 2, 3, 4, 5, 6, 7, 8]);
  const hits = [0, 0];
  for (const p of perms) {
    const a = [p[0]!, p[1]!, p[4]!, p[5]!];
    const b = [p[2]!, p[3]!, p[6]!, p[7]!];
    for (const [k, n] of [2, 4].entries()) {
      const pv = mannWhitney(a.slice(0, n), b.slice(0, n), { alternative }).p;
      if (nominal[k]! > 0 && pv <= nominal[k]! + 1e-12) {
        for (let j = k; j < 2; j++) hits[j]!++;
        break;
      }
    }
  }
  return hits.map((h) => h / perms.length);
};

describe('rankBoundaries', () => {
  it('exact enumeration of looks {2, 4} equals a brute force over all 8! rank permutations', () => {
    for (const alternative of ['greater', 'two-sided'] as const) {
      const b = rankBoundaries([2, 4], { alpha: 0.2, alternative });
      assert.equal(b.method, 'exact');
      const brute = bruteForceAttained(b.nominal, alternative);
      b.attained.forEach((x, k) =>
        assert.ok(Math.abs(x - brute[k]!) < 1e-12, `${alternative} look ${k}: ${x} vs ${brute[k]}`),
      );
    }
  });

  it('never attains more than it spends (exact), at every look, for both spending functions', () => {
    for (const spending of ['pocock', 'obrien-fleming'] as const) {
      const b = rankBoundaries([3, 6], { spending });
      b.attained.forEach((x, k) => assert.ok(x <= b.cumulativeSpent[k]! + 1e-12, `${spending} look ${k}`));
      assert.ok(b.attained[1]! > 0.035, `${spending} uses most of α: ${b.attained[1]}`);
    }
  });

  it('Monte Carlo agrees with exact enumeration on {3, 6} within 4 standard errors', () => {
    const exact = rankBoundaries([3, 6], {});
    const mc = rankBoundaries([3, 6], { method: 'monte-carlo', simulations: 40_000, seed: 7 });
    assert.equal(mc.method, 'monte-carlo');
    assert.deepEqual(mc.nominal[0], exact.nominal[0]);
    assert.ok(Math.abs(mc.attained[1]! - exact.attained[1]!) <= 4 * mc.standardError! + 1e-3);
  });

  it('Pocock {5, 10, 15, 20}: the first look is exact (reject at U ≤ 2 of 25, c₁ = 4/252), later levels stated with MC error', () => {
    const b = rankBoundaries({ min: 5, max: 20, every: 5 }, { simulations: 40_000 });
    assert.equal(b.method, 'monte-carlo');
    assert.ok(Math.abs(b.nominal[0]! - 4 / 252) < 1e-12);
    assert.ok(b.standardError! < 0.0015);
    b.attained.forEach((x, k) => assert.ok(x <= b.cumulativeSpent[k]! + 4 * b.standardError!, `look ${k}`));
    assert.ok(repeatedCILevel(b, 0) > 0.96 && repeatedCILevel(b, 0) < 0.97);
    assert.ok(rejectsAt(b, 0, 4 / 252) && !rejectsAt(b, 0, 7 / 252));
    assert.deepEqual(sequentialSummary(b, 0), {
      look: 1,
      looks: 4,
      runsPerArm: 5,
      stoppedEarly: true,
      boundary: 4 / 252,
    });
  });

  it("O'Brien-Fleming {5, …, 20} cannot stop at the first look (nominal 0)", () => {
    const b = rankBoundaries(
      { min: 5, max: 20, every: 5 },
      { spending: 'obrien-fleming', simulations: 20_000 },
    );
    assert.equal(b.nominal[0], 0);
    assert.ok(b.nominal[3]! > 0.035);
  });

  it('guarantee: seeded A/A trials stopped at the first look whose p ≤ c_k are false-significant ≤ 5 % ± MC error', () => {
    const b = rankBoundaries({ min: 5, max: 20, every: 5 }, { simulations: 40_000 });
    const normal = createNormal(createRng(99));
    const trials = 600;
    let hits = 0;
    let naive = 0;
    for (let t = 0; t < trials; t++) {
      // Log-normal per-run p99s, 15 % run-to-run spread, both arms the same build.
      const a = Array.from({ length: 20 }, () => Math.exp(0.15 * normal()));
      const c = Array.from({ length: 20 }, () => Math.exp(0.15 * normal()));
      const ps = b.looks.map((n) => mannWhitney(a.slice(0, n), c.slice(0, n), { alternative: 'greater' }).p);
      if (ps.some((p, k) => p <= b.nominal[k]!)) hits++;
      if (ps.some((p) => p < 0.05)) naive++;
    }
    const rate = hits / trials;
    const se = Math.sqrt((0.05 * 0.95) / trials);
    console.log(
      `# sequential A/A one-sided: ${(rate * 100).toFixed(1)} % false-significant (naive p < 0.05 at each look: ${((naive / trials) * 100).toFixed(1)} %), ${trials} trials, SE ${(se * 100).toFixed(1)} %`,
    );
    assert.ok(rate <= 0.05 + 3 * se);
    assert.ok(naive / trials > rate, 'rerunning until p < 0.05 inflates the rate');
  });
});

describe('guarantee: false keep with the true ratio exactly at a pass line bound', () => {
  it('a one-sided line "ratio ≤ 0.9" judged at c_k passes ≤ 5 % ± MC error of seeded trials where the truth is 0.9', () => {
    const b = rankBoundaries({ min: 5, max: 20, every: 5 }, { simulations: 40_000, seed: 3 });
    const normal = createNormal(createRng(1234));
    const trials = 500;
    let keeps = 0;
    for (let t = 0; t < trials; t++) {
      const base = Array.from({ length: 20 }, () => Math.exp(0.1 * normal()));
      const cand = Array.from({ length: 20 }, () => 0.9 * Math.exp(0.1 * normal()));
      const passed = b.looks.some(
        (n, k) =>
          mannWhitney(
            base.slice(0, n),
            cand.slice(0, n).map((v) => v / 0.9),
            { alternative: 'greater' },
          ).p <= b.nominal[k]!,
      );
      if (passed) keeps++;
    }
    const se = Math.sqrt((0.05 * 0.95) / trials);
    console.log(
      `# false keep at the bound: ${((keeps / trials) * 100).toFixed(1)} % of ${trials} trials (SE ${(se * 100).toFixed(1)} %)`,
    );
    assert.ok(keeps / trials <= 0.05 + 3 * se);
  });
});

describe('decideAtLook', () => {
  it('stops settled-pass when every pass line passed and no stop rule is open; settled-fail on any failure', () => {
    assert.deepEqual(
      decideAtLook(0, 4, [
        { role: 'pass-line', status: 'pass' },
        { role: 'stop-rule', status: 'pass' },
      ]),
      { action: 'stop', reason: 'settled-pass' },
    );
    assert.deepEqual(
      decideAtLook(1, 4, [
        { role: 'pass-line', status: 'pass' },
        { role: 'stop-rule', status: 'fail' },
      ]),
      { action: 'stop', reason: 'settled-fail' },
    );
    assert.deepEqual(decideAtLook(1, 4, [{ role: 'pass-line', status: 'fail' }]), {
      action: 'stop',
      reason: 'settled-fail',
    });
  });
  it('continues while anything is open, curtails when an open line can no longer pass, stops at max', () => {
    assert.deepEqual(decideAtLook(0, 4, [{ role: 'pass-line', status: 'open' }]), {
      action: 'continue',
      reason: 'open',
    });
    assert.deepEqual(
      decideAtLook(0, 4, [
        { role: 'pass-line', status: 'pass' },
        { role: 'stop-rule', status: 'open' },
      ]),
      { action: 'continue', reason: 'open' },
    );
    assert.deepEqual(decideAtLook(1, 4, [{ role: 'pass-line', status: 'open', canStillPass: false }]), {
      action: 'stop',
      reason: 'curtailed',
    });
    assert.deepEqual(decideAtLook(3, 4, [{ role: 'pass-line', status: 'open' }]), {
      action: 'stop',
      reason: 'max',
    });
  });
});

describe('bestCaseP', () => {
  it('is the p with every added run on the claim’s side: 5 vs 5 overlapping plus 5 each can still reach 1/C(20,10)-scale p', () => {
    const a = [10, 12, 11, 13, 9];
    const b = [11, 10, 12, 9, 13];
    const now = mannWhitney(a, b, { alternative: 'greater' }).p;
    const best = bestCaseP(a, b, 5, 'greater');
    assert.ok(best < now && best < 0.01, `${best}`);
    assert.equal(bestCaseP(a, b, 0, 'greater'), now);
  });
});
