import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SCENARIOS,
  SCENARIO_TRAITS,
  judgedPhaseOf,
  meanRate,
  recordsDigests,
  runsFor,
  serviceArgsFor,
  spikeStages,
  traitsOf,
  type K6PhaseSpec,
} from '../../src/model/index.js';

const k6 = (p: Partial<K6PhaseSpec> & Pick<K6PhaseSpec, 'scenario'>): K6PhaseSpec => ({
  name: p.scenario,
  driver: 'k6',
  ...p,
});
const drill = { adminToken: 't0k', flipBackImpl: 'rust', flipBackSharePercent: 50 };

describe('scenario traits: one table per phase kind', () => {
  it('has one entry per scenario', () => {
    assert.deepEqual(Object.keys(SCENARIO_TRAITS).sort(), [...SCENARIOS].sort());
  });

  it('a ramp is sized, not compared; the candidate-only fault drill and a capacity search neither; every other kind is compared', () => {
    for (const s of SCENARIOS) {
      assert.equal(
        SCENARIO_TRAITS[s].compared,
        s !== 'ramp' && s !== 'fault-drill' && s !== 'capacity-search',
        s,
      );
      assert.equal(SCENARIO_TRAITS[s].sizing, s === 'ramp', s);
    }
  });

  it('the fault drill runs for the candidate only and is the only kind that asks for fault injection', () => {
    const fault = k6({ scenario: 'fault-drill', injectAtSeconds: 5, clearAtSeconds: 12, faultRate: 0.5 });
    assert.equal(runsFor(fault, 'candidate'), true);
    assert.equal(runsFor(fault, 'baseline'), false);
    assert.equal(runsFor(k6({ scenario: 'rollback' }), 'baseline'), true);
    assert.deepEqual(serviceArgsFor([k6({ scenario: 'steady' }), k6({ scenario: 'rollback' })]), []);
    assert.deepEqual(serviceArgsFor([fault]), ['-allow-fault-injection']);
    assert.deepEqual(
      serviceArgsFor([
        k6({ ...fault, breakerOpenForSeconds: 5 }),
        k6({ ...fault, name: 'again', breakerOpenForSeconds: 9 }),
      ]),
      ['-allow-fault-injection', '-breaker-open-for', '5s'],
    );
    assert.deepEqual(traitsOf(fault).env(fault, drill), {
      INJECT_AT: '5',
      CLEAR_AT: '12',
      FAULT_RATE: '0.5',
      ADMIN_TOKEN: 't0k',
    });
  });

  it('judges the first steady phase, else the first compared one, else nothing', () => {
    const phases = (...s: string[]) => s.map((scenario, i) => ({ name: `p${i}`, scenario }));
    assert.equal(judgedPhaseOf(phases('ramp', 'spike', 'steady')), 'p2');
    assert.equal(judgedPhaseOf(phases('ramp', 'spike', 'soak')), 'p1');
    assert.equal(judgedPhaseOf(phases('ramp')), undefined);
  });

  it('counts load seconds: a ramp sums its plateaus, others take durationSeconds', () => {
    const ramp = k6({
      scenario: 'ramp',
      steps: [
        { rateRps: 10, durationSeconds: 4 },
        { rateRps: 20, durationSeconds: 6 },
      ],
    });
    assert.equal(traitsOf(ramp).loadSeconds(ramp), 10);
    const soak = k6({ scenario: 'soak', rateRps: 5, durationSeconds: 60 });
    assert.equal(traitsOf(soak).loadSeconds(soak), 60);
  });

  it('offers a spike as 40/20/40 % base/burst/base, the same split the scenario file runs', () => {
    const spike = k6({ scenario: 'spike', rateRps: 10, durationSeconds: 10 });
    assert.deepEqual(traitsOf(spike).offered(spike), spikeStages(10, 10, 3));
    assert.deepEqual(spikeStages(10, 10, 3), [
      { rateRps: 10, seconds: 4 },
      { rateRps: 30, seconds: 2 },
      { rateRps: 10, seconds: 4 },
    ]);
    assert.equal(meanRate(spikeStages(10, 10, 3)), 14);
  });

  it('gives the rollback flip variables to rollback phases only', () => {
    const rollback = k6({ scenario: 'rollback', rateRps: 10, durationSeconds: 30, flipAtSeconds: 10 });
    assert.deepEqual(traitsOf(rollback).env(rollback, drill), {
      FLIP_AT: '10',
      ADMIN_TOKEN: 't0k',
      FLIP_TO: 'go',
      FLIP_BACK_TO: 'rust',
      FLIP_BACK_SHARE: '50',
    });
    for (const s of ['steady', 'spike', 'soak', 'ramp'] as const) {
      const p = k6({
        scenario: s,
        rateRps: 10,
        durationSeconds: 30,
        steps: [{ rateRps: 1, durationSeconds: 1 }],
      });
      const env = traitsOf(p).env(p, drill);
      assert.ok(!('ADMIN_TOKEN' in env) && !('FLIP_BACK_TO' in env), `${s}: ${JSON.stringify(env)}`);
    }
  });
});

describe('recordsDigests: which runs keep response digests', () => {
  const steadyPhase: K6PhaseSpec = {
    name: 's',
    driver: 'k6',
    scenario: 'steady',
    rateRps: 10,
    durationSeconds: 5,
  };
  const rampPhase: K6PhaseSpec = {
    name: 'r',
    driver: 'k6',
    scenario: 'ramp',
    steps: [{ rateRps: 10, durationSeconds: 5 }],
  };
  it('only when the plan asks, on a phase kind that allows it, and never in a capacity-search probe', () => {
    assert.equal(recordsDigests({ digests: true }, steadyPhase, undefined), true);
    assert.equal(recordsDigests({ digests: false }, steadyPhase, undefined), false);
    assert.equal(recordsDigests(undefined, steadyPhase, undefined), false);
    assert.equal(recordsDigests({ digests: true }, rampPhase, undefined), false);
    assert.equal(recordsDigests({ digests: true }, steadyPhase, { rateRps: 120 }), false);
  });
});
