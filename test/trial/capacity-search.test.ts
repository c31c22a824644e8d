import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeTrial } from '../../src/analysis/analyze.js';
import { loadTrial } from '../../src/cli/analyze.js';
import type { Io } from '../../src/cli/io.js';
import { ROLES, type CapacitySearch, type Plan, type ReportModel } from '../../src/model/index.js';
import { referenceBinary, runTrial } from '../../src/trial/index.js';
import { testPlan, type PlanInput } from '../helpers/plan.js';

/**
 * Integration: capacity searches with the real k6 against the real reference service, both builds, the
 * search strategy choosing every probe from the analysis of the folder so far (as `hotswap run` does).
 * Short probes (3 s, p90 SLOs so 36 requests bound the quantile) and bounded budgets; the SLOs are loose
 * enough for a busy shared 2-core machine, where the pinned core is not the service's alone.
 */
const built = existsSync(referenceBinary('baseline')) && existsSync(referenceBinary('rust'));

const quiet: Io = {
  stdout: () => {},
  stderr: () => {},
  cwd: process.cwd(),
  env: {},
  isTTY: false,
  signal: new AbortController().signal,
};

const searchPlan = (search: Record<string, unknown>, slo: PlanInput['slo']): Plan =>
  testPlan({
    name: 'capacity search integration',
    seed: 5,
    configurations: {
      baseline: { kind: 'reference', name: 'pure Go', build: 'baseline' },
      candidate: { kind: 'reference', name: 'Rust hotspot', build: 'rust', impl: 'rust' },
    },
    phases: [
      {
        name: 'search',
        driver: 'k6',
        scenario: 'capacity-search',
        probeSeconds: 3,
        minRequests: 36,
        ...search,
      } as PlanInput['phases'][number],
    ],
    repetitions: 1,
    warmupSeconds: 1,
    corpus: { count: 300 },
    slo,
    capacity: { peakRps: 1000, costPerInstanceHour: 0.1 },
  });

const trial = async (plan: Plan): Promise<{ model: ReportModel; dir: string; plan: Plan }> => {
  const out = await mkdtemp(join(tmpdir(), 'hotswap-search-'));
  const res = await runTrial({
    plan,
    planFile: 'inline',
    outDir: out,
    signal: new AbortController().signal,
    progress: () => {},
    analyse: async (dir) => analyzeTrial(await loadTrial(dir, quiet)),
  });
  assert.equal(res.exitCode, 0);
  const model = analyzeTrial(await loadTrial(res.dir, quiet));
  // Every probe is in the manifest: its rate, its judgement, its raw file.
  for (const role of ROLES) {
    const search = model.capacity[role].search!;
    for (const p of search.probes) {
      const run = res.manifest.runs.find((r) => r.id === p.runId)!;
      assert.equal(run.status, 'ok', run.failureReason);
      assert.equal(run.overrides?.rateRps, p.rateRps);
      assert.equal(run.probe?.pass, p.pass, `${run.id}: the manifest's judgement is the report's`);
      assert.ok(run.raw.outputs.length > 0 && existsSync(join(res.dir, run.raw.outputs[0]!)));
    }
    assert.equal(search.probes.length, res.manifest.runs.filter((r) => r.role === role).length);
  }
  return { model, dir: res.dir, plan };
};

const describeSearch = (s: CapacitySearch): string =>
  `${s.stoppedBy} [${s.passRps}, ${s.failRps}]: ${s.probes.map((p) => `${p.rateRps}${p.pass ? '✓' : '✗'}`).join(' ')}`;

describe('capacity search under real k6 (both builds)', { skip: !built && 'run npm run setup' }, () => {
  it('converges and brackets each build’s knee: a confirmed passing rate within resolution of a failing one', async () => {
    const { model } = await trial(
      searchPlan(
        { fromRps: 10, maxRps: 3000, resolution: 0.25, budgetSeconds: 120 },
        { quantile: 0.9, latencyMs: 250, maxErrorRate: 0.05 },
      ),
    );
    for (const role of ROLES) {
      const c = model.capacity[role];
      const s = c.search!;
      const said = `${role}: ${describeSearch(s)}`;
      // On a quiet machine the Rust build's knee lies beyond what one pinned k6 core can offer: its CPU
      // seed jumps to a rate the generator cannot send, and the search stops there as a labelled lower
      // bound (the generator, not the service, was the limit). That is the honest result; it is checked
      // as such. The pure-Go build's knee is always within reach and must converge.
      if (role === 'candidate' && s.stoppedBy === 'generator') {
        assert.equal(c.kneeIsLowerBound, true, said);
        assert.equal(c.kneeRps, s.passRps, said);
        assert.ok(
          s.probes.some((p) => !p.pass && (p.failedOn ?? []).some((f) => /generator/.test(f))),
          said,
        );
        continue;
      }
      assert.equal(s.stoppedBy, 'converged', said);
      assert.ok(s.passRps! < s.failRps!, said);
      assert.ok(s.failRps! / s.passRps! <= 1.25 + 1e-9 || s.failRps! - s.passRps! <= 1, said);
      // The bracket is measured: the failing rate failed, the passing one passed twice (the confirmation).
      assert.ok(
        s.probes.some((p) => p.rateRps === s.failRps && !p.pass),
        said,
      );
      const atPass = s.probes.filter((p) => p.rateRps === s.passRps);
      assert.ok(atPass.length >= 2 && atPass.every((p) => p.pass), said);
      assert.equal(s.probes.at(-1)!.purpose, 'confirm', said);
      assert.equal(s.arrivals, 'poisson');
      assert.equal(c.kneeRps, s.passRps);
      assert.equal(c.sizedBy, 'knee');
      assert.ok(c.cpuBasedRps! > 0, 'the CPU-based estimate stands beside the knee');
      assert.ok(c.instances! > 0);
      for (const p of s.probes) assert.ok(p.requests >= 36 * 0.8, `${p.runId}: ${p.requests} requests`);
    }
    // The Rust build cuts CPU per request by about 90 %: its knee is higher (when it was measured).
    if (model.capacity.candidate.search!.stoppedBy === 'converged') {
      assert.ok(model.capacity.candidate.kneeRps! > model.capacity.baseline.kneeRps!);
      assert.ok(model.capacity.savings !== undefined);
    }
  });

  it('says so when the SLO is never met: no knee, no fleet, no saving computed from it', async () => {
    const { model } = await trial(
      searchPlan(
        { fromRps: 20, maxRps: 400, budgetSeconds: 60 },
        { quantile: 0.9, latencyMs: 0.05, maxErrorRate: 0.05 },
      ),
    );
    for (const role of ROLES) {
      const c = model.capacity[role];
      assert.equal(c.search!.stoppedBy, 'never-passed', describeSearch(c.search!));
      assert.equal(c.search!.probes.length, 1);
      assert.equal(c.search!.passRps, undefined);
      assert.equal(c.kneeRps, undefined);
      assert.equal(c.noRateMeetsSlo, true);
      assert.equal(c.instances, undefined);
      assert.ok(c.warnings.some((w) => w.code === 'search-never-passed'));
    }
    assert.equal(model.capacity.savings, undefined);
    assert.equal(model.capacity.savingsRange, undefined);
  });

  it('a search capped by maxRps is a labelled lower bound, sized as one', async () => {
    const { model } = await trial(
      searchPlan(
        { fromRps: 15, maxRps: 30, budgetSeconds: 60 },
        { quantile: 0.9, latencyMs: 1000, maxErrorRate: 0.05 },
      ),
    );
    for (const role of ROLES) {
      const c = model.capacity[role];
      const s = c.search!;
      assert.equal(s.stoppedBy, 'max-rps', describeSearch(s));
      assert.equal(s.passRps, 30);
      assert.equal(s.failRps, undefined);
      assert.equal(c.kneeIsLowerBound, true);
      assert.equal(c.sizedBy, 'knee-lower-bound');
      assert.ok(c.warnings.some((w) => w.code === 'search-lower-bound' && /lower bound/.test(w.message)));
    }
  });
});
