import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { betOf } from '../../src/analysis/bet.js';
import { judgePassLine } from '../../src/analysis/checks/index.js';
import type { BetSpec, BuildInfo, CheckResult } from '../../src/model/index.js';
import { testPlan } from '../helpers/plan.js';

const bet: BetSpec = {
  problem: 'scan eats the CPU',
  win: 'a third fewer instances',
  rollback: 'flip impl to go',
  oneOffHours: 160,
  hourlyRate: 100,
  monthlyHours: 4,
  buildsPerMonth: 600,
  ciPricePerMinute: 0.01,
  horizonMonths: 12,
};
const build = (buildSeconds: number, coldBuildSeconds?: number): BuildInfo => ({
  buildSeconds,
  binaryBytes: 1,
  toolchains: [],
  ...(coldBuildSeconds !== undefined ? { coldBuildSeconds } : {}),
});
const savings = (moneyPerMonth: number) => ({ instances: 4, moneyPerMonth, currency: 'USD', share: 0.4 });

describe('the bet: cost against the capacity saving (hand-computed)', () => {
  it('uses the cold-build difference: 160 h × 100 once; 4 h × 100 + 3 min × 600 × 0.01 a month', () => {
    const b = betOf({
      bet,
      savings: savings(2000),
      builds: { baseline: build(1, 60), candidate: build(16, 240) },
      currency: 'USD',
    });
    // one-off 16 000; monthly 400 + 3 × 600 × 0.01 = 418; net 1 582; payback 16 000 / 1 582.
    assert.equal(b.oneOffCost, 16000);
    assert.equal(b.monthlyCost, 418);
    assert.equal(b.monthlySaving, 2000);
    assert.equal(b.monthlyNet, 1582);
    assert.equal(b.paybackMonths, 16000 / 1582);
    assert.equal(b.netOverHorizon, 1582 * 12 - 16000);
    assert.equal(b.inputs.buildTime, 'cold');
    assert.deepEqual(b.warnings, []);
    assert.equal(b.paybackRangeMonths, undefined);
  });

  it('net ≤ 0 never pays back; the last builds stand in for cold ones with a warning', () => {
    const b = betOf({
      bet,
      savings: savings(400),
      builds: { baseline: build(0), candidate: build(60) },
      currency: 'USD',
    });
    // monthly 400 + 1 min × 600 × 0.01 = 406 > 400 saved: net −6.
    assert.equal(b.monthlyCost, 406);
    assert.equal(b.monthlyNet, -6);
    assert.equal(b.paybackMonths, null);
    assert.equal(b.netOverHorizon, -6 * 12 - 16000);
    assert.deepEqual(
      b.warnings.map((w) => w.code),
      ['bet-build-time-not-cold'],
    );
  });

  it('without a capacity saving counts 0 saved, and a saving range gives a payback range', () => {
    const none = betOf({ bet: { ...bet, buildsPerMonth: 0 }, builds: {}, currency: 'USD' });
    assert.equal(none.monthlySaving, 0);
    assert.equal(none.paybackMonths, null);
    assert.deepEqual(
      none.warnings.map((w) => w.code),
      ['bet-no-saving'],
    );
    const ranged = betOf({
      bet: { ...bet, buildsPerMonth: 0 },
      savings: savings(2400),
      savingRangePerMonth: [400, 4400],
      builds: {},
      currency: 'USD',
    });
    // monthly cost 400: nets 2 000 (point), 4 000 (high saving), 0 (low saving: never).
    assert.equal(ranged.paybackMonths, 8);
    assert.deepEqual(ranged.paybackRangeMonths, [4, null]);
  });
});

describe('pass lines on the bet and the drills', () => {
  const plan = testPlan({ bet });
  const judge = (text: string, extra: object): CheckResult =>
    judgePassLine(testPlan({ passLines: [text] }).passLines[0]!, {
      plan,
      phase: 'steady',
      comparisons: [],
      summaries: [],
      errors: [],
      ...extra,
    });
  const drill = (o: object) => ({
    kind: 'fault' as const,
    runId: 'r1',
    failedRequests: 0,
    tripSeconds: 1.2,
    recoverySeconds: 3,
    rollbackMs: null,
    ...o,
  });

  it('payback: pass within the months, fail beyond or when never, error without a bet', () => {
    const b = betOf({ bet, savings: savings(2000), builds: {}, currency: 'USD' });
    // 16 000 / (2 000 − 400) = 10 months.
    assert.equal(judge('pays back within 12 months', { bet: b }).status, 'pass');
    assert.equal(judge('pays back within 6 months', { bet: b }).status, 'fail');
    const never = betOf({ bet, savings: savings(100), builds: {}, currency: 'USD' });
    assert.match(judge('pays back within 6 months', { bet: never }).message, /never pays back/);
    assert.equal(judge('pays back within 6 months', {}).status, 'error');
  });

  it('breaker-trips-within, rollback-within and no-failed-requests read the drills', () => {
    assert.equal(judge('breaker trips within 5 s', { drills: [drill({})] }).status, 'pass');
    assert.equal(judge('breaker trips within 1 s', { drills: [drill({})] }).status, 'fail');
    assert.equal(
      judge('breaker trips within 5 s', { drills: [drill({ tripSeconds: null })] }).status,
      'fail',
    );
    assert.equal(judge('breaker trips within 5 s', { drills: [] }).status, 'error');
    const rb = drill({ kind: 'rollback', tripSeconds: null, recoverySeconds: null, rollbackMs: 40 });
    assert.equal(judge('rollback within 1 s', { drills: [rb] }).status, 'pass');
    assert.equal(judge('rollback within 20 ms', { drills: [rb] }).status, 'fail');
    assert.equal(judge('no failed requests during the drill', { drills: [drill({}), rb] }).status, 'pass');
    assert.equal(
      judge('no failed requests during the drill', { drills: [drill({ failedRequests: 2 }), rb] }).status,
      'fail',
    );
  });
});
