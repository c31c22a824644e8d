import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeTrial } from '../../src/analysis/analyze.js';
import { loadTrial } from '../../src/cli/analyze.js';
import { memoryIo } from '../../src/cli/io.js';
import { ROLES, searchProfilePhase } from '../../src/model/index.js';
import { renderText } from '../../src/report/exporters/text.js';
import { referenceBinary, runTrial } from '../../src/trial/index.js';
import { searchProfileRun } from '../../src/trial/capacity-search.js';
import { testPlan } from '../helpers/plan.js';

/**
 * Integration with real parts: both reference builds (the rust one through cgo), real k6, a short capacity
 * search per build (3 s probes, a loose p90 SLO, maxRps 80, a 20 s budget), then the search's one 8 s
 * profile run at the highest passing probe's rate with Go's pprof: under 60 s of load in all. maxRps keeps
 * the Rust build's passRps where a loaded machine's k6 still delivers it, and high enough for a few dozen
 * samples. Only the shape of the answer is asserted (figures depend on the shared machine's load): the
 * probes carry no profile, the profile run is no probe, the baseline's kernel dominates its profile and
 * the Rust build's time shows under cgo frames.
 */
const built = existsSync(referenceBinary('baseline')) && existsSync(referenceBinary('rust'));

const quiet = memoryIo();

describe('capacity search followed by its profile run (real k6, both builds)', { skip: !built }, () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('profiles each build once at its highest passing probe, never during a probe, and the search does not count it', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-search-profile-'));
    dirs.push(out);
    const plan = testPlan({
      name: 'search profile integration',
      seed: 7,
      configurations: {
        baseline: { kind: 'reference', name: 'pure Go', build: 'baseline' },
        candidate: { kind: 'reference', name: 'Rust hotspot', build: 'rust', impl: 'rust' },
      },
      phases: [
        {
          name: 'search',
          driver: 'k6',
          scenario: 'capacity-search',
          fromRps: 10,
          maxRps: 80,
          resolution: 0.5,
          probeSeconds: 3,
          minRequests: 36,
          budgetSeconds: 20,
        },
      ],
      repetitions: 1,
      warmupSeconds: 1,
      corpus: { count: 300 },
      slo: { quantile: 0.9, latencyMs: 1000, maxErrorRate: 0.05 },
      capacity: { peakRps: 1000, costPerInstanceHour: 0.1 },
      // Digests on: the profile run must still record none (its rate is an override, as a probe's).
      correctness: { digests: true },
      profile: {
        seconds: 8,
        phase: 'search',
        hotspot: ['internal/kernel\\.Scan$', 'internal/hotspot\\.Scan$'],
        minSamples: 10,
      },
    });
    const res = await runTrial({
      plan,
      planFile: 'inline',
      outDir: out,
      signal: new AbortController().signal,
      progress: () => {},
      analyse: async (dir) => analyzeTrial(await loadTrial(dir, quiet)),
    });
    assert.equal(res.exitCode, 0);
    const input = await loadTrial(res.dir, quiet);
    const model = analyzeTrial({ ...input, bootstrapIterations: 200 });
    const profileName = searchProfilePhase('search');
    for (const role of ROLES) {
      const search = model.capacity[role].search!;
      const probed = JSON.stringify(search.probes.map((p) => [p.rateRps, p.failedOn ?? 'pass']));
      assert.ok(search.passRps !== undefined, `${role}: ${search.stoppedBy}, no passing probe: ${probed}`);
      const runs = res.manifest.runs.filter((r) => r.role === role);
      const probes = runs.filter((r) => r.phase === 'search');
      const profiled = runs.filter((r) => r.phase === profileName);
      // One profile run, after the last probe, at the highest passing rate, profiled during the run.
      assert.equal(profiled.length, 1, runs.map((r) => r.id).join(', '));
      const run = profiled[0]!;
      assert.equal(run.status, 'ok', run.failureReason);
      assert.ok(run.order > Math.max(...probes.map((r) => r.order)));
      assert.equal(run.overrides?.rateRps, search.passRps);
      assert.equal(run.probe, undefined);
      const file = run.raw.gathered?.find((g) => g.gatherer === 'profile' && g.meta?.kind === 'cpu-profile');
      assert.ok(file && existsSync(join(res.dir, file.path)), JSON.stringify(run.warnings));
      assert.equal(file.meta?.mode, 'search');
      assert.equal(file.meta?.rateFrom, 'highest-passing-probe');
      assert.equal(typeof file.meta?.serviceCpuSeconds, 'number');
      assert.equal(input.samples.get(run.id)?.digests, undefined, 'no digests in the profile run');
      // The probes stay unprofiled, and the search counts only them.
      for (const p of probes)
        assert.ok(!(p.raw.gathered ?? []).some((g) => g.gatherer === 'profile'), `${p.id} was profiled`);
      assert.deepEqual(
        search.probes.map((p) => p.runId),
        probes.map((r) => r.id),
      );
    }
    const base = model.profiles!.find((p) => p.role === 'baseline')!;
    const rust = model.profiles!.find((p) => p.role === 'candidate')!;
    // Figures for the note (not asserted: they depend on the machine's load).
    for (const p of [base, rust]) {
      const r = res.manifest.runs.find((x) => x.id === p.runId)!;
      const wall = (Date.parse(r.endedAt!) - Date.parse(r.startedAt!)) / 1000;
      const s = model.capacity[p.role].search!;
      console.log(
        `${p.role}: search ${s.stoppedBy} at ${s.passRps} rps after ${s.probes.length} probes (${s.wallSeconds.toFixed(0)} s); profile run ${r.id} took ${wall.toFixed(1)} s of wall time`,
      );
      console.log(
        `${p.role}: ${p.rateRps} rps, ${p.samples} samples, coverage ${p.coverage?.share.toFixed(3)} (${p.cpuSeconds.toFixed(2)} of ${p.coverage?.serviceCpuSeconds.toFixed(2)} s), hotspot ${p.hotspotShare?.toFixed(3)}, rust ${p.rustShare?.share.toFixed(3)}`,
      );
    }
    assert.equal(base.phase, profileName);
    assert.equal(base.rateFrom, 'highest-passing-probe');
    assert.equal(base.rateRps, model.capacity.baseline.search!.passRps);
    assert.ok(base.samples >= 10 && rust.samples >= 10, `${base.samples}, ${rust.samples} samples`);
    assert.ok(base.hotspotShare! > 0.7, `baseline hotspot share ${base.hotspotShare}`);
    assert.equal(base.rustShare, undefined);
    assert.ok(rust.rustShare!.share > 0.05, `Rust share ${rust.rustShare?.share}`);
    for (const p of [base, rust]) {
      assert.ok(p.coverage && p.coverage.share > 0 && p.coverage.share <= 1, JSON.stringify(p.coverage));
      assert.equal(
        p.warnings.some((w) => w.code === 'profile-low-coverage'),
        p.coverage.share < 0.8,
      );
    }
    const text = renderText(model);
    assert.match(text, /profiled at \d+ requests\/s \(the highest passing probe of its capacity search\)/);
    assert.match(text, /The profile covers \d+% of the service's CPU in its window/);
  });
});

describe('searchProfileRun (pure)', () => {
  const phase = {
    name: 'search',
    driver: 'k6',
    scenario: 'capacity-search',
    fromRps: 10,
    maxRps: 100,
    arrivals: 'poisson',
  } as const;
  const spec = { seconds: 8, hotspot: ['x'], minSamples: 10, phase: 'search' };
  it('runs at passRps for the profile seconds + 3, as its own phase, with a rate override (no digests)', () => {
    const r = searchProfileRun({ profile: spec }, phase, 'baseline', 42)!;
    assert.equal(r.phase.name, 'search.profile');
    assert.deepEqual(r.overrides, { rateRps: 42, durationSeconds: 11 });
    assert.equal(r.phase.driver === 'k6' && r.phase.arrivals, 'poisson');
  });
  it("takes the plan's rateRps (per role) over passRps, and gives no run without either", () => {
    const rated = { profile: { ...spec, rateRps: { baseline: 20, candidate: 300 } } };
    assert.equal(searchProfileRun(rated, phase, 'candidate', 42)!.overrides!.rateRps, 300);
    assert.equal(searchProfileRun({ profile: spec }, phase, 'baseline', undefined), undefined);
  });
  it('gives none when the plan profiles another phase or does not profile', () => {
    assert.equal(
      searchProfileRun({ profile: { ...spec, phase: 'steady' } }, phase, 'baseline', 42),
      undefined,
    );
    assert.equal(searchProfileRun({}, phase, 'baseline', 42), undefined);
  });
});
