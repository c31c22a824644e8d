import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeTrial, type TrialInput } from '../../src/analysis/analyze.js';
import type { RunScrapes } from '../../src/analysis/resources.js';
import { exitCodeForVerdict } from '../../src/analysis/verdict.js';
import { createRng, randomNormal } from '../../src/analysis/stats/index.js';
import type { Manifest, Plan, Role, RunRecord, SampleSet } from '../../src/model/index.js';
import { plan as basePlan, runRecord, sampleSet, type Row } from './helpers.js';

/**
 * Whole-pipeline checks on synthetic trials where the truth is known: 6 runs per arm of 400 requests,
 * log-normal latencies with a random offset per run; the candidate's scan latency and CPU per request
 * are scaled by the given factors.
 */
const trial = (scanFactor: number, cpuFactor: number, seed = 1): TrialInput => {
  const rng = createRng(seed);
  const plan: Plan = basePlan({
    passLines: [
      {
        id: 'scan',
        text: 'scan p99 −20%',
        check: 'change',
        metric: 'latencyMs',
        quantile: 0.99,
        endpoint: 'scan',
        maxChange: -0.2,
      },
      { id: 'cpu', text: 'CPU −30%', check: 'change', metric: 'cpuSecondsPerRequest', maxChange: -0.3 },
      { id: 'err', text: 'no new error classes', check: 'no-new-error-classes' },
      { id: 'slo', text: 'meets the SLO', check: 'slo' },
    ],
    stopRules: [
      {
        id: 'cut',
        text: 'scan p99 cut < 10% → drop',
        metric: 'latencyMs',
        quantile: 0.99,
        endpoint: 'scan',
        minImprovement: 0.1,
        decision: 'drop',
      },
    ],
    slo: { quantile: 0.99, latencyMs: 200, maxErrorRate: 0.05 },
  });
  const runs: RunRecord[] = [];
  const samples = new Map<string, SampleSet>();
  const scrapes = new Map<string, RunScrapes>();
  for (let rep = 0; rep < 6; rep++) {
    for (const role of ['baseline', 'candidate'] as Role[]) {
      const id = `r${runs.length}-${role}`;
      runs.push(runRecord(id, role, 'steady', { order: runs.length, repetition: rep + 1 }));
      const offset = Math.exp(0.03 * randomNormal(rng));
      const rows: Row[] = Array.from({ length: 400 }, (_, i) => {
        const endpoint = i % 4 === 3 ? 'orders' : 'scan';
        const base = (endpoint === 'scan' ? 20 : 10) * offset * Math.exp(0.3 * randomNormal(rng));
        return {
          tMs: 1e6 + i * 25,
          latencyMs: endpoint === 'scan' && role === 'candidate' ? base * scanFactor : base,
          endpoint,
          status: i % 97 === 0 ? 400 : 200,
        };
      });
      samples.set(id, sampleSet(rows, { runId: id }));
      const cpu = 400 * 0.004 * (role === 'candidate' ? cpuFactor : 1) * Math.exp(0.02 * randomNormal(rng));
      scrapes.set(id, {
        before: [
          { name: 'process_cpu_seconds_total', labels: {}, value: 10 },
          { name: 'hotswap_requests_total', labels: {}, value: 1000 },
        ],
        after: [
          { name: 'process_cpu_seconds_total', labels: {}, value: 10 + cpu },
          { name: 'hotswap_requests_total', labels: {}, value: 1400 },
        ],
      });
    }
  }
  const manifest: Manifest = {
    schemaVersion: 1,
    trialId: 'synthetic',
    createdAt: '2026-01-01T00:00:00Z',
    planFrozenAt: '2026-01-01T00:00:00Z',
    status: 'complete',
    environment: { cpus: 4, node: 'v20', pinned: true, targetHost: '127.0.0.1' },
    runs,
  };
  return { plan, manifest, samples, scrapes, version: 'test', bootstrapIterations: 2000 };
};

describe('analyzeTrial on synthetic trials with a known truth (6 runs per arm)', () => {
  it('keeps a candidate 40 % faster on scan and 50 % cheaper in CPU', () => {
    const model = analyzeTrial(trial(0.6, 0.5));
    assert.equal(model.verdict.decision, 'keep', model.verdict.reasons.join('\n'));
    assert.equal(model.verdict.phase, 'steady', 'the judged phase is recorded for report and CLI');
    const scan = model.comparisons.find((c) => c.endpoint === 'scan' && c.quantile === 0.99)!;
    assert.ok(Math.abs(scan.ratio - 0.6) < 0.06, String(scan.ratio));
    assert.equal(scan.significant, true);
    assert.ok(model.capacity.savings!.instances > 0);
  });

  it('drops a candidate no faster than the baseline: the stop rule fires', () => {
    const model = analyzeTrial(trial(1.0, 0.5));
    assert.equal(model.verdict.decision, 'drop');
    assert.equal(model.verdict.stopRules[0]!.status, 'fail');
  });

  it('calls a change near the claimed bound inconclusive and estimates the runs needed', () => {
    const model = analyzeTrial(trial(0.6, 0.7));
    assert.equal(model.verdict.decision, 'inconclusive', model.verdict.reasons.join('\n'));
    assert.equal(model.verdict.checks.find((c) => c.id === 'cpu')!.status, 'warn');
  });

  it('leaves a failed run out of the statistics, names it in a warning, and drops a candidate that failed where the baseline did not', () => {
    const input = trial(0.6, 0.5);
    const failed = input.manifest.runs[3]!;
    failed.status = 'failed';
    failed.failureReason = 'service exited 2';
    const model = analyzeTrial(input);
    assert.equal(model.runs.length, 12);
    assert.ok(!model.summaries.some((s) => s.runId === failed.id));
    const scan = model.comparisons.find((c) => c.endpoint === 'scan' && c.quantile === 0.99)!;
    assert.equal(scan.candidate.values.length, 5);
    assert.match(model.warnings.find((w) => w.code === 'run-left-out')!.message, /service exited 2/);
    assert.equal(model.verdict.decision, 'drop', model.verdict.reasons.join('\n'));
    assert.match(model.verdict.reasons[0]!, /candidate failed where the baseline did not/);
    assert.ok(model.verdict.reasons.some((r) => r.includes(failed.id) && r.includes('service exited 2')));
  });

  it('an interrupted trial: candidate runs that never started (pending) are left out, not counted as missing the SLO', () => {
    const clean = analyzeTrial(trial(0.6, 0.5)).verdict.checks.find((c) => c.id === 'slo')!;
    const input = trial(0.6, 0.5);
    const cand = input.manifest.runs.filter((r) => r.role === 'candidate');
    // More pending runs than measured ones: counted as missing, they made the median run miss.
    for (const r of cand.slice(1)) {
      r.status = 'pending';
      input.samples.delete(r.id);
    }
    const slo = analyzeTrial(input).verdict.checks.find((c) => c.id === 'slo')!;
    assert.equal(clean.status, 'pass');
    assert.equal(slo.status, 'pass', slo.message);
    assert.equal(slo.figures.runsMissing, 0);
  });

  it('cannot keep a candidate whose run dropped iterations (the offered load was not taken)', () => {
    const input = trial(0.6, 0.5);
    input.samples.get('r5-candidate')!.droppedIterations = 40;
    const model = analyzeTrial(input);
    assert.equal(model.verdict.decision, 'inconclusive', model.verdict.reasons.join('\n'));
    assert.ok(
      model.verdict.reasons.some((r) => r.includes('r5-candidate') && r.includes('dropped-iterations')),
    );
    assert.equal(model.verdict.checks.find((c) => c.id === 'slo')!.figures.runsMissing, 1);
  });

  it('cannot keep when a baseline run was interrupted in the judged phase', () => {
    const input = trial(0.6, 0.5);
    input.manifest.runs[0]!.status = 'interrupted';
    const model = analyzeTrial(input);
    assert.equal(model.verdict.decision, 'inconclusive', model.verdict.reasons.join('\n'));
    assert.ok(model.verdict.reasons.some((r) => r.includes('r0-baseline') && r.includes('interrupted')));
  });

  it('fails "no new error classes" when the candidate returns a status the baseline never did', () => {
    const input = trial(0.6, 0.5);
    const s = input.samples.get('r1-candidate')!;
    for (const i of [5, 9]) s.status[i] = 503;
    for (const i of [5, 9]) s.failed[i] = 1;
    const model = analyzeTrial(input);
    assert.equal(model.verdict.decision, 'drop');
    assert.deepEqual(
      model.errors.filter((r) => r.isNew).map((r) => [r.endpoint, r.errorClass, r.candidate]),
      [
        ['*', 'http-503', 2],
        ['scan', 'http-503', 2],
      ],
    );
  });
});

describe('analyzeTrial when runs failed (issue 15)', () => {
  it('cannot judge a trial whose baseline runs of the judged phase all failed (exit 3, reason given)', () => {
    const input = trial(0.6, 0.5);
    for (const r of input.manifest.runs.filter((x) => x.role === 'baseline')) {
      r.status = 'failed';
      r.failureReason = 'the service died during the run (exit code 2; log: x)';
    }
    const model = analyzeTrial(input);
    assert.equal(model.verdict.decision, 'inconclusive');
    assert.match(model.verdict.unjudgeable ?? '', /every baseline run of phase .* failed/);
    assert.equal(exitCodeForVerdict(model.verdict), 3);
  });

  it('cannot judge a trial whose load generator failed in a run', () => {
    const input = trial(0.6, 0.5);
    const r = input.manifest.runs[2]!;
    r.status = 'failed';
    r.driverExitCode = 107;
    r.failureReason = 'k6 exited 107';
    const model = analyzeTrial(input);
    assert.match(model.verdict.unjudgeable ?? '', /load generator failed in .* run r/);
    assert.equal(exitCodeForVerdict(model.verdict), 3);
  });
});
