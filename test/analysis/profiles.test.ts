import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profilesOf, searchProfileWarnings } from '../../src/analysis/profiles.js';
import type { RunProfile } from '../../src/analysis/analyze.js';
import type { CapacitySearch, CpuProfileData, RunRecord } from '../../src/model/index.js';
import { SEARCH_PHASE, testPlan } from '../helpers/plan.js';

const MS10 = 10_000_000;
const prof = (count: number): CpuProfileData => ({
  periodNanos: MS10,
  durationNanos: 5e9,
  samples: [{ stack: ['internal/kernel.Scan'], count, cpuNanos: count * MS10, labels: { endpoint: 'scan' } }],
});
const run = (id: string): RunRecord => ({ id, role: 'baseline', phase: 'search.profile' }) as RunRecord;

const plan = testPlan({
  name: 'profiles',
  phases: [SEARCH_PHASE],
  profile: { seconds: 5, phase: 'search', hotspot: ['kernel\\.Scan$'], minSamples: 10 },
});

describe('profilesOf with a capacity search profile', () => {
  it('carries why the rate was chosen and the coverage, per run and pooled over the runs', () => {
    const profiles = new Map<string, RunProfile>([
      [
        'a',
        {
          profile: prof(100),
          mode: 'search',
          rateRps: 42,
          rateFrom: 'highest-passing-probe',
          serviceCpuSeconds: 1.25,
          serviceCpuSource: 'cgroup',
        },
      ],
      [
        'b',
        {
          profile: prof(60),
          mode: 'search',
          rateRps: 42,
          rateFrom: 'highest-passing-probe',
          serviceCpuSeconds: 0.75,
          serviceCpuSource: 'cgroup',
        },
      ],
    ]);
    const out = profilesOf(plan, [run('a'), run('b')], profiles, []);
    const a = out.find((p) => p.runId === 'a')!;
    assert.equal(a.rateFrom, 'highest-passing-probe');
    assert.equal(a.rateRps, 42);
    assert.ok(Math.abs(a.coverage!.share - 0.8) < 1e-12);
    assert.ok(!a.warnings.some((w) => w.code === 'profile-low-coverage'), 'exactly 80 % is not low');
    const b = out.find((p) => p.runId === 'b')!;
    assert.ok(Math.abs(b.coverage!.share - 0.8) < 1e-12);
    const pooled = out.find((p) => p.runId === '*')!;
    // 1.60 s of samples over 2.00 s of service CPU.
    assert.ok(Math.abs(pooled.coverage!.share - 0.8) < 1e-12);
    assert.equal(pooled.coverage!.serviceCpuSeconds, 2);
    assert.equal(pooled.rateFrom, 'highest-passing-probe');
  });

  it('gives a pooled profile no coverage when one of its profiles has none', () => {
    const profiles = new Map<string, RunProfile>([
      ['a', { profile: prof(100), serviceCpuSeconds: 2, serviceCpuSource: 'proc' }],
      ['b', { profile: prof(60) }],
    ]);
    const out = profilesOf(plan, [run('a'), run('b')], profiles, []);
    assert.equal(out.find((p) => p.runId === '*')!.coverage, undefined);
    assert.ok(out.find((p) => p.runId === 'a')!.warnings.some((w) => w.code === 'profile-low-coverage'));
  });
});

describe('searchProfileWarnings', () => {
  const search = (passRps?: number): CapacitySearch =>
    ({
      repetition: 1,
      phase: 'search',
      probes: [],
      stoppedBy: passRps ? 'converged' : 'never-passed',
      arrivals: 'poisson',
      loadSeconds: 10,
      wallSeconds: 12,
      ...(passRps ? { passRps } : {}),
    }) satisfies CapacitySearch;
  it('warns for a stopped search with no passing probe, not for one with a rate', () => {
    const w = searchProfileWarnings(plan, {
      baseline: { searches: [search()] },
      candidate: { searches: [search(80)] },
    });
    assert.deepEqual(
      w.map((x) => x.code),
      ['search-profile-skipped'],
    );
    assert.match(w[0]!.message, /no profile of the baseline after capacity search 1: no probe passed/);
  });
  it("says nothing when the plan gives the profile run's rate itself", () => {
    const withRate = { ...plan, profile: { ...plan.profile!, rateRps: 20 } };
    assert.deepEqual(
      searchProfileWarnings(withRate, { baseline: { searches: [search()] }, candidate: {} }),
      [],
    );
  });
});
