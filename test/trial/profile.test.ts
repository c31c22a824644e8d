import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeTrial } from '../../src/analysis/analyze.js';
import { loadTrial } from '../../src/cli/analyze.js';
import { runTrial } from '../../src/trial/index.js';
import { testPlan } from '../helpers/plan.js';

/**
 * End to end with real parts: both reference builds (the rust one calls its Rust staticlib through cgo),
 * real k6 load, Go's pprof on the loopback listener, the profile gatherer, ingest and analysis. Figures
 * depend on the machine's load, so only the shape of the answer is asserted (the baseline's kernel
 * dominates; the Rust build's time shows under cgo frames), never a speed.
 */
describe('profile gatherer on the reference builds under k6 load', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('keeps a raw profile of each build, finds the Go kernel and the Rust share, fills CPU per endpoint and the orders wait', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-profile-'));
    dirs.push(out);
    const plan = testPlan({
      name: 'profile-it',
      repetitions: 1,
      warmupSeconds: 1,
      // A gentle measured rate: the orders wait is judged without a queue in front of the service.
      phases: [{ name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 10, durationSeconds: 5 }],
      configurations: {
        baseline: { kind: 'reference', name: 'pure Go', build: 'baseline' },
        candidate: { kind: 'reference', name: 'Rust', build: 'rust', impl: 'rust', rustSharePercent: 100 },
      },
      profile: {
        seconds: 5,
        hotspot: ['internal/kernel\\.Scan$', 'internal/hotspot\\.Scan$'],
        minSamples: 10,
        rateRps: { baseline: 40, candidate: 400 },
      },
      serverTiming: { wait: ['downstream'] },
    });
    const res = await runTrial({
      plan,
      planFile: 'test.yaml',
      outDir: out,
      signal: new AbortController().signal,
      progress: () => {},
    });
    assert.equal(res.exitCode, 0);
    for (const run of res.manifest.runs) {
      const files = (run.raw.gathered ?? []).filter((g) => g.gatherer === 'profile');
      assert.ok(
        files.some((f) => f.path.endsWith('profile.pb.gz') && f.meta?.mode === 'dedicated'),
        `${run.id}: ${JSON.stringify(run.warnings)}`,
      );
    }
    const io = {
      stdout: () => {},
      stderr: () => {},
      cwd: out,
      env: {},
      isTTY: false,
      signal: new AbortController().signal,
    };
    const model = analyzeTrial({ ...(await loadTrial(res.dir, io)), bootstrapIterations: 200 });
    const base = model.profiles!.find((p) => p.role === 'baseline')!;
    const rust = model.profiles!.find((p) => p.role === 'candidate')!;
    // Few samples on a shared machine (the services get part of their core); the fixtures test the figures.
    assert.ok(base.samples >= 10 && rust.samples >= 10, `${base.samples}, ${rust.samples} samples`);
    // The baseline's scan kernel dominates its profile; the Rust build's time shows under cgo frames.
    assert.ok(base.hotspotShare! > 0.7, `baseline hotspot share ${base.hotspotShare}`);
    assert.equal(base.rustShare, undefined);
    assert.ok(rust.rustShare!.share > 0.05, `Rust share ${rust.rustShare?.share}`);
    assert.ok(rust.hotspotShare! < base.hotspotShare!);
    for (const p of model.profiles!) {
      for (const f of p.topFunctions) assert.ok(f.flat >= 0 && f.flat <= f.cum && f.cum <= 1, f.name);
      assert.ok(p.hotspotShare! <= 1);
    }
    // CPU per request per endpoint, from the labelled samples.
    const scan = model.summaries.find((s) => s.role === 'baseline' && s.endpoint === 'scan')!;
    assert.ok(scan.cpuSecondsPerRequest! > 0, 'scan CPU per request filled');
    // The simulated downstream of /v1/orders: most of its time is waiting.
    const orders = model.summaries.find((s) => s.role === 'candidate' && s.endpoint === 'orders')!;
    assert.ok(orders.waitMsMean! > 0 && orders.downstreamMsMean === orders.waitMsMean);
    assert.ok(
      orders.waitMsMean! / orders.meanMs > 0.5,
      `orders wait ${orders.waitMsMean} of ${orders.meanMs} ms`,
    );
    assert.equal(model.summaries.find((s) => s.endpoint === 'scan')!.waitMsMean, undefined);
  });
});
