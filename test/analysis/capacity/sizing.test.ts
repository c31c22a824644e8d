import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cpuBasedRps,
  savingsOf,
  savingsWarnings,
  sizeConfiguration,
} from '../../../src/analysis/capacity/sizing.js';
import type { CapacityInputs } from '../../../src/model/index.js';

const capacity: CapacityInputs = {
  peakRps: 2000,
  redundancy: 1,
  costPerInstanceHour: 0.2,
  currency: 'EUR',
  coresPerInstance: 2,
  targetUtilisation: 0.65,
};

describe('sizing', () => {
  it('plans each instance at the target utilisation: cores × U / CPU s per request', () => {
    assert.ok(Math.abs(cpuBasedRps(0.002, 2, 0.65) - 650) < 1e-9);
  });

  it('sizes by the smaller of knee and CPU estimate, adds redundancy and prices 730 h a month', () => {
    const est = sizeConfiguration({
      role: 'baseline',
      knee: { kneeRps: 500, steps: [], warnings: [] },
      cpuSecondsPerRequest: 0.002,
      capacity,
      serviceCores: 2,
    });
    assert.equal(est.perInstanceRps, 500);
    assert.equal(est.instancesForPeak, 4);
    assert.equal(est.instances, 5);
    assert.ok(Math.abs(est.costPerMonth! - 5 * 0.2 * 730) < 1e-9);
  });

  it('scales a knee measured on one pinned core to the instance cores, and says so', () => {
    const est = sizeConfiguration({
      role: 'candidate',
      knee: { kneeRps: 300, steps: [], warnings: [] },
      capacity,
      serviceCores: 1,
    });
    assert.equal(est.perInstanceRps, 600);
    assert.ok(est.warnings.some((w) => w.code === 'knee-scaled'));
    assert.ok(est.warnings.some((w) => w.code === 'no-cpu-figure'));
  });

  it('sizes no fleet when even the lowest ramp step misses the SLO (never at a rate measured failing), and savingsOf computes no saving', () => {
    const est = sizeConfiguration({
      role: 'baseline',
      knee: { kneeBelowRps: 20, steps: [], warnings: [] },
      cpuSecondsPerRequest: 0.002,
      capacity,
      serviceCores: 2,
    });
    assert.equal(est.noRateMeetsSlo, true);
    assert.equal(est.perInstanceRps, undefined);
    assert.equal(est.instances, undefined);
    assert.equal(est.sizedBy, undefined);
    assert.ok(est.cpuBasedRps! > 20, 'the CPU estimate is kept as information');
    assert.match(
      est.warnings.find((w) => w.code === 'no-rate-meets-slo')!.message,
      /lowest ramp step \(20 rps\)/,
    );
    const cand = sizeConfiguration({
      role: 'candidate',
      knee: { kneeRps: 300, steps: [], warnings: [] },
      capacity,
      serviceCores: 2,
    });
    assert.equal(savingsOf(est, cand, 'EUR'), undefined);
  });

  it('marks a knee the ramp never reached as a lower bound and warns that the saving is not like for like', () => {
    const size = (role: 'baseline' | 'candidate', kneeRps: number, lower: boolean) =>
      sizeConfiguration({
        role,
        knee: { kneeRps, ...(lower ? { kneeIsLowerBound: true } : {}), steps: [], warnings: [] },
        capacity,
        serviceCores: 2,
      });
    const base = size('baseline', 400, true);
    assert.equal(base.sizedBy, 'knee-lower-bound');
    assert.equal(base.kneeIsLowerBound, true);
    const cand = size('candidate', 800, true);
    const w = savingsWarnings(base, cand);
    assert.equal(w[0]?.code, 'savings-not-like-for-like', 'both lower bounds: still not a measured saving');
    assert.match(w[0]!.message, /baseline's ramp never reached its knee .* 400 rps/);
    assert.deepEqual(savingsWarnings(size('baseline', 400, false), size('candidate', 800, false)), []);
    assert.equal(savingsWarnings(size('baseline', 400, false), cand).length, 1);
  });

  it('says which way a knee bound bends the saving: baseline lower bound overstates, candidate lower bound understates', () => {
    const size = (role: 'baseline' | 'candidate', lower: boolean) =>
      sizeConfiguration({
        role,
        knee: { kneeRps: 400, ...(lower ? { kneeIsLowerBound: true } : {}), steps: [], warnings: [] },
        capacity,
        serviceCores: 2,
      });
    const message = (b: boolean, c: boolean) =>
      savingsWarnings(size('baseline', b), size('candidate', c))[0]?.message;
    assert.match(message(true, false)!, /may be overstated$/);
    assert.match(message(false, true)!, /may be understated$/);
    assert.match(message(true, true)!, /may be off in either direction$/);
  });

  it('reports savings in instances and money, and none without both fleets', () => {
    const size = (cpu: number) =>
      sizeConfiguration({
        role: 'baseline',
        knee: { steps: [], warnings: [] },
        cpuSecondsPerRequest: cpu,
        capacity,
        serviceCores: 2,
      });
    const s = savingsOf(size(0.002), size(0.001), 'EUR')!;
    // 650 rps → 4 + 1; 1300 rps → 2 + 1
    assert.equal(s.instances, 2);
    assert.ok(Math.abs(s.moneyPerMonth - 2 * 0.2 * 730) < 1e-9);
    assert.equal(s.share, 2 / 5);
    assert.equal(savingsOf(size(0.002), { role: 'candidate', steps: [], warnings: [] }, 'EUR'), undefined);
  });
});
