import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeTrial } from '../../src/analysis/analyze.js';
import { loadTrial } from '../../src/cli/analyze.js';
import { memoryIo } from '../../src/cli/io.js';
import type { Plan, ReportModel } from '../../src/model/index.js';
import { referenceBinary, runTrial } from '../../src/trial/index.js';
import { testPlan, type PlanInput } from '../helpers/plan.js';

/**
 * Integration: sequential repetitions with the real k6 against both real builds of the reference
 * service (short runs: 4 s at 20 rps; the SLO line is left out: on a shared, overloaded machine whether a
 * short run meets an SLO says more about the neighbours than about the design). The trial analyses at each look with the same pure analysis
 * `hotswap analyze` runs, and stops when it says so.
 */
const built = existsSync(referenceBinary('baseline')) && existsSync(referenceBinary('rust'));

const plan = (over: Partial<PlanInput>): Plan =>
  testPlan({
    name: 'sequential integration',
    seed: 23,
    phases: [
      {
        name: 'steady',
        driver: 'k6',
        scenario: 'steady',
        rateRps: 20,
        durationSeconds: 4,
        arrivals: 'poisson',
      },
    ],
    warmupSeconds: 1,
    corpus: { count: 300 },
    slo: { quantile: 0.99, latencyMs: 2000, maxErrorRate: 0.05 },
    capacity: { peakRps: 100 },
    ...over,
  });

const trial = async (p: Plan): Promise<{ model: ReportModel; looks: number; wall: number }> => {
  const io = memoryIo();
  let looks = 0;
  const out = await mkdtemp(join(tmpdir(), 'hotswap-seq-'));
  const res = await runTrial({
    plan: p,
    planFile: 'inline',
    outDir: out,
    signal: new AbortController().signal,
    progress: () => {},
    analyse: async (dir) => {
      looks += 1;
      return analyzeTrial(await loadTrial(dir, io));
    },
  });
  assert.equal(res.exitCode, 0);
  for (const r of res.manifest.runs) assert.equal(r.status, 'ok', `${r.id}: ${r.failureReason}`);
  return { model: analyzeTrial(await loadTrial(res.dir, io)), looks, wall: res.wallSeconds };
};

describe('sequential repetitions on the reference service (real k6, both builds)', () => {
  it('has both service builds to test (npm run setup builds them)', () => {
    assert.ok(built, 'run npm run setup');
  });

  it('A/B with a large effect (Rust cuts CPU per request ~90 %) stops at the first look, keep', async () => {
    const { model, looks, wall } = await trial(
      plan({
        configurations: {
          baseline: { kind: 'reference', name: 'pure Go', build: 'baseline' },
          candidate: { kind: 'reference', name: 'Rust hotspot', build: 'rust', impl: 'rust' },
        },
        repetitions: { min: 5, max: 10, every: 5 },
        passLines: ['CPU per request −30%', 'no new error classes'],
      }),
    );
    const s = model.verdict.sequential!;
    process.stderr.write(
      `A/B: ${model.verdict.decision}, look ${s.look}/${s.looks}, ${s.runsPerArm} per arm, c=${s.boundary}, ${looks} analyses, ${wall.toFixed(0)} s; ${model.checks.map((c) => `${c.id} ${c.status}: ${c.message}`).join(' | ')}\n`,
    );
    assert.deepEqual([s.look, s.looks, s.runsPerArm, s.stoppedEarly], [1, 2, 5, true]);
    assert.equal(s.reason, 'settled-pass');
    assert.equal(s.boundary, 7 / 252, 'Pocock-type c_1 of the 5/10 schedule: reject at U ≤ 6 of 25');
    assert.equal(looks, 1);
    assert.equal(model.runs.length, 10, 'five interleaved pairs, nothing beyond the first look');
    // Keep, unless a run missed the offered load on a busy machine: then every line passed but the
    // verdict stays inconclusive and names the runs (analysis/verdict.ts), which is not this test's subject.
    const suspect = model.verdict.reasons.some((r) => /missed the offered load/.test(r));
    assert.equal(model.verdict.decision, suspect ? 'inconclusive' : 'keep', model.verdict.reasons.join('; '));
    const cpu = model.checks.find((c) => c.id !== 'errors' && /CPU/.test(c.text))!;
    assert.match(cpu.howJudged, /one-sided/);
    assert.ok((cpu.figures.pOneSided as number) <= s.boundary);
  });

  /*
   * Why {min: 4, max: 8, every: 4}: at 3 vs 3 the exact test's smallest one-sided p is 1/20 = 0.05, above
   * the 0.031 Pocock-type spending allows at the first of two looks, so a {3, 6, 3} A/A would run to max
   * by arithmetic alone. At 4 vs 4, 2/70 = 0.029 is within c_1, so the A/A could have stopped at look 1
   * by passing every pass line; its data did not. The drop family (3 tests: the two ratio lines' fail
   * sides and the stop rule, α/3 each) cannot reach 1/70 at look 1, so drops wait for look 2.
   * 16 blocks of 4 s, about 2 minutes.
   */
  it('A/A (baseline against itself) runs to max and is not keep', async () => {
    const { model, looks } = await trial(
      plan({
        configurations: {
          baseline: { kind: 'reference', name: 'pure Go', build: 'baseline' },
          candidate: { kind: 'reference', name: 'pure Go again', build: 'baseline' },
        },
        repetitions: { min: 4, max: 8, every: 4 },
        passLines: ['CPU per request −30%', 'p99 no worse'],
        stopRules: [
          {
            id: 'p99-cut',
            text: 'p99 cut < 10% → drop',
            metric: 'latencyMs',
            quantile: 0.99,
            minImprovement: 0.1,
          },
        ],
      }),
    );
    const s = model.verdict.sequential!;
    process.stderr.write(
      `A/A: ${model.verdict.decision}, look ${s.look}/${s.looks}, ${s.runsPerArm} per arm, ${s.reason}; ${model.checks.map((c) => `${c.id} ${c.status}`).join(', ')}\n`,
    );
    assert.deepEqual([s.look, s.looks, s.runsPerArm, s.stoppedEarly], [2, 2, 8, false]);
    assert.equal(looks, 1, 'asked once (look 1); the last look ends the trial');
    assert.equal(model.runs.length, 16);
    assert.notEqual(model.verdict.decision, 'keep');
  });
});
