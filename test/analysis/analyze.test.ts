import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeTrial, type TrialInput } from '../../src/analysis/analyze.js';
import { loadTrial } from '../../src/cli/analyze.js';
import { memoryIo } from '../../src/cli/io.js';
import type { ReportModel } from '../../src/model/index.js';

const TINY = join(import.meta.dirname, '..', 'fixtures', 'trials', 'tiny');

describe('analyzeTrial on the tiny fixture trial (real k6 output, 2 runs per arm)', () => {
  let input: TrialInput;
  let model: ReportModel;
  before(async () => {
    input = await loadTrial(TINY, memoryIo());
    model = analyzeTrial({ ...input, bootstrapIterations: 2000 });
  });

  it('keeps every run of the manifest and summarises each ok run per endpoint and overall', () => {
    assert.equal(model.schemaVersion, 1);
    assert.equal(model.runs.length, 8);
    const all = model.summaries.filter((s) => s.endpoint === '*');
    assert.equal(all.length, 8);
    for (const s of all) {
      assert.ok(s.n > 100, `${s.runId}: ${s.n} requests`);
      assert.ok(s.quantilesMs['0.5']! <= s.quantilesMs['0.99']!);
      assert.ok(s.achievedRps > 30, `${s.runId}: ${s.achievedRps} rps`);
    }
    const endpoints = new Set(model.summaries.map((s) => s.endpoint));
    for (const e of ['scan', 'fields', 'orders']) assert.ok(endpoints.has(e), e);
  });

  it('reads the steady phase at about its offered 40 rps after the 1 s warm-up', () => {
    for (const s of model.summaries.filter((x) => x.phase === 'steady' && x.endpoint === '*')) {
      assert.ok(Math.abs(s.achievedRps - 40) < 2, `${s.runId}: ${s.achievedRps}`);
    }
  });

  it('calls two runs per arm inconclusive, with unbounded rank CIs and a runs-per-arm estimate', () => {
    assert.equal(model.verdict.decision, 'inconclusive');
    assert.ok(model.verdict.checks.some((c) => c.status === 'warn'));
    assert.ok(typeof model.verdict.moreRunsPerArm === 'number' && model.verdict.moreRunsPerArm > 2);
    const scan = model.comparisons.find(
      (c) => c.endpoint === 'scan' && c.quantile === 0.99 && c.phase === 'steady',
    );
    assert.ok(scan);
    assert.deepEqual(scan.ratioCI95Rank, [null, null]);
    assert.equal(scan.significant, false);
    assert.ok(scan.warnings.some((w) => w.code === 'few-runs'));
  });

  it('computes resource figures from the scrapes, with the candidate cheaper in CPU per request', () => {
    const steady = model.resources.filter((r) => r.phase === 'steady');
    assert.equal(steady.length, 4);
    for (const r of steady) {
      assert.ok(
        r.cpuSecondsPerRequest! > 0 && r.cpuSecondsPerRequest! < 0.05,
        String(r.cpuSecondsPerRequest),
      );
      assert.ok(r.rssBytesPeak! >= r.rssBytesSteady!);
      assert.ok(r.hotspotShare! > 0 && r.hotspotShare! <= 1.05);
      assert.deepEqual(r.warnings, []);
    }
    const cpu = model.comparisons.find((c) => c.metric === 'cpuSecondsPerRequest' && c.phase === 'steady');
    assert.ok(cpu && cpu.ratio < 1, `cpu ratio ${cpu?.ratio}`);
  });

  it('sizes both fleets from the ramp and the CPU figure', () => {
    for (const role of ['baseline', 'candidate'] as const) {
      const c = model.capacity[role];
      assert.equal(c.steps.length, 3);
      assert.ok(c.perInstanceRps! > 0);
      assert.ok(c.instances! >= c.instancesForPeak! + 1);
    }
    assert.ok(model.capacity.savings);
  });

  it('is deterministic: the same folder gives the same model', () => {
    const again = analyzeTrial({ ...input, bootstrapIterations: 2000 });
    assert.deepEqual(JSON.parse(JSON.stringify(again)), JSON.parse(JSON.stringify(model)));
  });
});

describe('arrivals and the queueing model check on the tiny fixture trial', () => {
  it('a folder written before the arrivals field reads as uniform, in every k6 phase and for the knee', async () => {
    const input = await loadTrial(TINY, memoryIo());
    const model = analyzeTrial({ ...input, bootstrapIterations: 200 });
    assert.deepEqual(
      model.plan.phases.map((p) => [p.name, p.arrivals]),
      [
        ['steady', 'uniform'],
        ['ramp', 'uniform'],
      ],
    );
    assert.deepEqual(model.capacity.kneePhase, { name: 'ramp', arrivals: 'uniform' });
    assert.equal(model.capacity.queueModel, undefined, 'no Poisson phase, no model check');
  });

  it('with the steady phase marked Poisson: one check per configuration, E[S] and Cs² from its lowest-rate run, ρ = rate × CPU per request', async () => {
    const input = await loadTrial(TINY, memoryIo());
    const plan = {
      ...input.plan,
      phases: input.plan.phases.map((p) =>
        p.name === 'steady' && p.driver === 'k6' ? { ...p, arrivals: 'poisson' as const } : p,
      ),
    };
    const model = analyzeTrial({ ...input, plan, bootstrapIterations: 200 });
    const checks = model.capacity.queueModel ?? [];
    assert.deepEqual(
      checks.map((c) => c.role),
      ['baseline', 'candidate'],
    );
    for (const c of checks) {
      const runs = model.summaries.filter(
        (s) => s.role === c.role && s.phase === 'steady' && s.endpoint === '*',
      );
      assert.equal(c.rows.length, runs.length);
      const lowest = runs.reduce((a, b) => (b.achievedRps < a.achievedRps ? b : a));
      assert.equal(c.serviceTime.runId, lowest.runId);
      assert.ok(Math.abs(c.serviceTime.meanMs - lowest.meanMs) < 0.05 * lowest.meanMs);
      for (const r of c.rows) {
        const cpu = model.resources.find((x) => x.runId === r.runId)!.cpuSecondsPerRequest!;
        const rate = runs.find((s) => s.runId === r.runId)!.achievedRps;
        assert.ok(Math.abs(r.rho - rate * cpu) < 1e-12);
      }
    }
  });
});
