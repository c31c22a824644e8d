import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXIT_OF, gateStrategy, gateText } from '../../src/cli/profile.js';
import type { Manifest } from '../../src/model/index.js';
import { SEARCH_PHASE, testPlan, type PlanInput } from '../helpers/plan.js';
import type { ProfileGate } from '../../src/analysis/profile-gate.js';

const gate = (decision: ProfileGate['decision']): ProfileGate => ({
  decision,
  reason: 'the hotspot is 96.3 % of the CPU (95 % CI 95.0 %–97.3 %, 1082 samples), at least 30.0 %',
  threshold: 0.3,
  runId: 'r000-baseline-steady',
  samples: 1082,
  minSamples: 1000,
  rateRps: 20,
  hotspotShare: 0.963,
  hotspotCI95: [0.95, 0.973],
  ceiling: { change: -0.963, range: [-0.973, -0.95] },
  topFunctions: [{ name: 'regexp.(*machine).add', flat: 0.291, cum: 0.462 }],
  byEndpoint: [{ endpoint: 'scan', cpuSeconds: 10.5, requests: 1500, cpuSecondsPerRequest: 0.007 }],
});

describe('hotswap profile (the pre-port gate)', () => {
  it('exits 0 worth a trial, 1 not worth one, 4 when the CI straddles the threshold or samples are too few', () => {
    assert.deepEqual(EXIT_OF, { 'worth-a-trial': 0, 'not-worth-a-trial': 1, uncertain: 4 });
  });

  it('prints the decision, the Amdahl ceiling, the top functions and CPU per endpoint', () => {
    const t = gateText(gate('worth-a-trial'), 'reference profile', 'reports/x');
    assert.match(t, /^reference profile: WORTH A TRIAL/);
    assert.match(t, /CPU per request could fall at most 96\.3%/);
    assert.match(t, /29\.1%\s+46\.2%\s+regexp\.\(\*machine\)\.add/);
    assert.match(t, /scan 7\.00 ms/);
  });

  it('refuses a plan without a profile field with exit 2 and one line naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotswap-gate-'));
    try {
      const plan = join(dir, 'p.yaml');
      writeFileSync(
        plan,
        [
          'name: no profile',
          'seed: 1',
          'configurations:',
          '  baseline: { kind: reference, name: go, build: baseline }',
          '  candidate: { kind: reference, name: rust, build: rust }',
          'phases: [{ name: steady, driver: k6, scenario: steady, rateRps: 10, durationSeconds: 2 }]',
          'repetitions: 1',
          'slo: { quantile: 0.99, latencyMs: 50, maxErrorRate: 0.01 }',
          'capacity: { peakRps: 100 }',
        ].join('\n'),
      );
      const r = spawnSync(process.execPath, ['bin/hotswap.js', 'profile', '--plan', plan, '--out', dir], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr.trim(), /^hotswap: .*p\.yaml: profile: the gate needs profile/);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the gate’s schedule', () => {
  const plan = (phases: unknown[], profile: Record<string, unknown>) =>
    testPlan({ phases: phases as PlanInput['phases'], profile: profile as PlanInput['profile'] });
  const steady = { name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 10, durationSeconds: 5 };
  const search = SEARCH_PHASE;

  it('profiles the baseline’s steady phase in blocks of the baseline only', async () => {
    const s = gateStrategy(plan([steady], { seconds: 5, hotspot: ['Scan$'] }));
    assert.equal(s.name, 'baseline-only');
  });

  it('with profile.phase naming a capacity search, runs that search probe by probe (then its profile run)', async () => {
    const p = plan([search], { seconds: 5, hotspot: ['Scan$'], phase: 'search' });
    const s = gateStrategy(p);
    assert.equal(s.name, 'capacity-search+baseline-only');
    assert.ok(s.extend, 'grows the block by probes');
    const first = await s.next({
      plan: p,
      manifest: { runs: [] } as unknown as Manifest,
      blocks: [],
      nextOrder: 0,
      analyse: () => Promise.reject(new Error('not needed for the first probe')),
    });
    assert.ok(first !== 'done');
    assert.equal(first.role, 'baseline');
    assert.deepEqual(
      first.runs.map((r) => [r.phase.name, r.overrides?.rateRps]),
      [['search', 10]],
    );
  });
});
