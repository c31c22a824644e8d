import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { payback } from '../../../src/analysis/capacity/index.js';
import { InputError } from '../../../src/model/index.js';

const close = (actual: number | null, expected: number): void => {
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${actual} ≉ ${expected}`,
  );
};

describe('payback', () => {
  it('adds engineering and CI cost per month and divides the one-off cost by the net (hand-computed)', () => {
    // 120 h × 95 = 11 400 once; 10 h × 95 + 4 min × 600 builds × 0.008 = 950 + 19.2 = 969.2 a month;
    // net 2 500 − 969.2 = 1 530.8; payback 11 400 / 1 530.8 = 7.4470864… months;
    // over 12 months 1 530.8 × 12 − 11 400 = 6 969.6
    const r = payback({
      monthlySaving: 2500,
      oneOffHours: 120,
      hourlyRate: 95,
      monthlyHours: 10,
      ciMinutesDelta: 4,
      buildsPerMonth: 600,
      ciPricePerMinute: 0.008,
    });
    assert.equal(r.oneOffCost, 11400);
    close(r.monthlyCost, 969.2);
    close(r.monthlyNet, 1530.8);
    close(r.paybackMonths, 7.447086490723804);
    close(r.netOverHorizon, 6969.6);
    assert.deepEqual(Object.keys(r), [
      'oneOffCost',
      'monthlyCost',
      'monthlyNet',
      'paybackMonths',
      'netOverHorizon',
    ]);
  });
  it('never pays back when the monthly cost eats the whole saving (net = 0) or more (net < 0)', () => {
    // 5 h × 100 = 500 a month against a saving of 500: net 0, the 20 000 are never recovered
    const even = payback({ monthlySaving: 500, oneOffHours: 200, hourlyRate: 100, monthlyHours: 5 });
    assert.equal(even.monthlyNet, 0);
    assert.equal(even.paybackMonths, null);
    assert.equal(even.netOverHorizon, -20000);
    // saving 300: net −200; over 24 months −4 800 − 20 000
    const loss = payback({
      monthlySaving: 300,
      oneOffHours: 200,
      hourlyRate: 100,
      monthlyHours: 5,
      horizonMonths: 24,
    });
    assert.equal(loss.monthlyNet, -200);
    assert.equal(loss.paybackMonths, null);
    assert.equal(loss.netOverHorizon, -24800);
  });
  it('counts a faster build as a saving and a free port as paid back at once', () => {
    // −2 min × 100 builds × 0.01 = −2 a month: net 102; 10 h × 50 = 500 → 500 / 102 months
    const faster = payback({
      monthlySaving: 100,
      oneOffHours: 10,
      hourlyRate: 50,
      ciMinutesDelta: -2,
      buildsPerMonth: 100,
      ciPricePerMinute: 0.01,
    });
    close(faster.monthlyCost, -2);
    close(faster.paybackMonths, 500 / 102);
    close(faster.netOverHorizon, 102 * 12 - 500);
    assert.equal(payback({ monthlySaving: 10, oneOffHours: 0, hourlyRate: 80 }).paybackMonths, 0);
  });
  it('rejects a negative rate or hours and a horizon that is not positive, naming the input', () => {
    assert.throws(
      () => payback({ monthlySaving: 1, oneOffHours: 1, hourlyRate: -5 }),
      (e: unknown) => e instanceof InputError && /hourly rate must be ≥ 0, got -5/.test(e.message),
    );
    assert.throws(
      () => payback({ monthlySaving: 1, oneOffHours: 1, hourlyRate: 1, horizonMonths: 0 }),
      /horizon/,
    );
    assert.throws(() => payback({ monthlySaving: NaN, oneOffHours: 1, hourlyRate: 1 }), /monthly saving/);
  });
});
