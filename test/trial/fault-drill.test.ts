import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFolder } from '../../src/cli/analyze.js';
import { memoryIo } from '../../src/cli/io.js';
import { referenceBinary, runTrial, startService } from '../../src/trial/index.js';
import { testPlan } from '../helpers/plan.js';

/**
 * Integration: real k6 against the real Rust build through a whole trial (schedule, service flags,
 * scenario, ingest, analysis). The fault drill runs for the candidate only, whose service alone gets
 * -allow-fault-injection (and a 3 s breaker open time so recovery fits the run); half of the Rust calls
 * fail from 3 s to 8 s. About 45 s.
 */
const built = existsSync(referenceBinary('baseline')) && existsSync(referenceBinary('rust'));
const BREAKER_WINDOW_SECONDS = 10; // the service's -breaker-window default

describe('fault and rollback drills under real k6 (rust build)', () => {
  it('has both service builds to test (npm run setup builds them)', () => {
    assert.ok(built, 'run npm run setup');
  });

  it('50 % injected Rust errors: 0 failed requests, the breaker trips within its window, Rust serves again after clearing', async () => {
    const plan = testPlan({
      name: 'drills integration',
      seed: 3,
      configurations: {
        baseline: { kind: 'reference', name: 'pure Go', build: 'baseline' },
        candidate: { kind: 'reference', name: 'Rust', build: 'rust', impl: 'rust', rustSharePercent: 100 },
      },
      phases: [
        {
          name: 'rollback',
          driver: 'k6',
          scenario: 'rollback',
          rateRps: 30,
          durationSeconds: 8,
          flipAtSeconds: 3,
          flipBackAtSeconds: 6,
        },
        {
          name: 'fault',
          driver: 'k6',
          scenario: 'fault-drill',
          rateRps: 40,
          durationSeconds: 15,
          injectAtSeconds: 3,
          clearAtSeconds: 8,
          faultRate: 0.5,
          breakerOpenForSeconds: 3,
        },
      ],
      repetitions: 1,
      warmupSeconds: 1,
      corpus: { count: 300, messyShare: 0 },
      slo: { quantile: 0.99, latencyMs: 5000, maxErrorRate: 0.05 },
      capacity: { peakRps: 100 },
      passLines: ['breaker trips within 10 s', 'rollback within 5 s', 'no failed requests during the drill'],
    });
    const out = await mkdtemp(join(tmpdir(), 'hotswap-drills-'));
    const res = await runTrial({
      plan,
      planFile: 'inline',
      outDir: out,
      signal: new AbortController().signal,
      progress: () => {},
    });
    assert.equal(res.exitCode, 0);
    // Candidate only: the baseline block runs the rollback drill alone.
    assert.deepEqual(
      res.manifest.runs.map((r) => `${r.role}/${r.phase}/${r.status}`),
      ['baseline/rollback/ok', 'candidate/rollback/ok', 'candidate/fault/ok'],
    );
    const { model } = await analyzeFolder(res.dir, memoryIo());
    const drills = model.drills ?? [];
    const fault = drills.find((d) => d.kind === 'fault');
    const rollback = drills.find((d) => d.kind === 'rollback');
    const info = JSON.stringify({ drills, dir: res.dir });
    assert.ok(fault && rollback, info);
    assert.equal(fault.failedRequests, 0, info);
    assert.ok(fault.tripSeconds !== null && fault.tripSeconds < BREAKER_WINDOW_SECONDS, info);
    assert.ok(fault.recoverySeconds !== null && fault.recoverySeconds > 0, info);
    assert.ok((fault.goShare ?? 0) > 0.5, info);
    assert.equal(rollback.failedRequests, 0, info);
    assert.ok(rollback.rollbackMs !== null && rollback.rollbackMs >= 0, info);
    assert.ok(rollback.allGoMs !== null && rollback.allGoMs !== undefined, info);
    assert.deepEqual(
      model.checks.map((c) => [c.id, c.status]),
      [
        ['breaker-trips-within-10-s', 'pass'],
        ['rollback-within-5-s', 'pass'],
        ['no-failed-requests-during-the-drill', 'pass'],
      ],
      JSON.stringify(model.checks.map((c) => c.message)),
    );
    const series = model.timeseries.find((s) => s.runId === fault.runId);
    assert.deepEqual(
      series?.events?.map((e) => e.label),
      ['faults injected', 'breaker open', 'faults cleared', 'Rust again'],
    );
    // The figures for the lead's note (machine shared, timings noisy).
    console.log(
      `fault drill: trip ${fault.tripSeconds} s, recovery ${fault.recoverySeconds} s, Go share ${fault.goShare}; rollback: last Rust ${rollback.rollbackMs} ms, all Go from ${rollback.allGoMs} ms`,
    );
  });

  it('without -allow-fault-injection the service refuses a fault rate (403, JSON error)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-nofault-'));
    const service = await startService({
      role: 'candidate',
      spec: { kind: 'reference', name: 'Rust', build: 'rust' },
      logFile: join(dir, 'service.log'),
      adminToken: 'tok',
      seed: 1,
      signal: new AbortController().signal,
    });
    try {
      const res = await fetch(`${service.baseUrl}/admin/hotspot`, {
        method: 'POST',
        headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
        body: JSON.stringify({ faultRate: 0.5 }),
      });
      assert.equal(res.status, 403);
      const body = (await res.json()) as { error?: string };
      assert.match(body.error ?? '', /allow-fault-injection/);
    } finally {
      await service.stop();
    }
  });
});
