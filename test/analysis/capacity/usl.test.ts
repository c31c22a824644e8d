import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitUsl, uslPeak, type UslPoint } from '../../../src/analysis/capacity/index.js';
import { InputError } from '../../../src/model/index.js';

const points = (rows: [number, number][]): UslPoint[] =>
  rows.map(([load, throughput]) => ({ load, throughput }));

/** SPEC SDM91, Sun SPARCcenter 2000 (Gunther, Guerrilla Capacity Planning, 2007; R package `usl` dataset). */
const SPECSDM91 = points([
  [1, 64.9],
  [18, 995.9],
  [36, 1652.4],
  [72, 1853.2],
  [108, 1828.9],
  [144, 1775],
  [216, 1702.2],
]);

const close = (actual: number, expected: number, relative: number, what: string): void =>
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected),
    `${what}: ${actual} vs ${expected}`,
  );

describe('fitUsl against published fits', () => {
  it('reproduces the R usl package fit of SPEC SDM91 (nlxb: sigma 0.0277285, kappa 0.0001044, gamma 89.995233)', () => {
    const fit = fitUsl(SPECSDM91);
    // The README prints 7 significant digits for sigma/gamma and 4 for kappa.
    close(fit.sigma, 0.0277285, 5e-6 / 0.0277285, 'sigma');
    close(fit.kappa, 0.0001044, 0.0000001 / 0.0001044, 'kappa');
    close(fit.lambda, 89.995233, 1e-6, 'lambda');
    close(fit.peak.load, Math.sqrt((1 - fit.sigma) / fit.kappa), 1e-12, 'peak load');
    assert.deepEqual(fit.warnings, []);
  });

  it('recovers sigma = kappa = 0.02, gamma = 1 from the usl package coef test data (4-digit rounded throughputs)', () => {
    const fit = fitUsl(
      points([
        [1, 1],
        [2, 1.8868],
        [4, 3.0769],
        [6, 3.5294],
        [8, 3.5398],
        [10, 3.3557],
      ]),
    );
    close(fit.sigma, 0.02, 1e-3, 'sigma');
    close(fit.kappa, 0.02, 1e-3, 'kappa');
    close(fit.lambda, 1, 1e-4, 'lambda');
  });
});

describe('fitUsl bounds and warnings', () => {
  it('warns that there is no retrograde region when throughput only saturates (Amdahl data, kappa = 0)', () => {
    const fit = fitUsl(points([1, 2, 4, 8, 16, 32].map((n) => [n, (100 * n) / (1 + 0.05 * (n - 1))])));
    assert.ok(fit.kappa < 1e-8, `kappa ${fit.kappa}`);
    close(fit.sigma, 0.05, 1e-4, 'sigma');
    assert.equal(fit.warnings[0]?.code, 'usl-no-retrograde');
  });

  it('keeps sigma and kappa inside [0, 1] when the data would prefer negative contention (superlinear)', () => {
    const fit = fitUsl(points([1, 2, 3, 4, 5, 6].map((n) => [n, 10 * n ** 1.2])));
    assert.ok(fit.sigma >= 0 && fit.sigma <= 1 && fit.kappa >= 0 && fit.kappa <= 1);
    assert.equal(fit.sigma, 0);
  });

  it('refuses fewer than 6 points or non-positive loads with an InputError', () => {
    assert.throws(() => fitUsl(SPECSDM91.slice(0, 5)), InputError);
    assert.throws(() => fitUsl([...SPECSDM91.slice(1), { load: 0, throughput: 1 }]), /load must be > 0/);
  });

  it('reports the Amdahl ceiling lambda/sigma as the peak throughput when kappa = 0', () => {
    assert.deepEqual(uslPeak(0.1, 0, 50), { load: Infinity, throughput: 500 });
  });
});
