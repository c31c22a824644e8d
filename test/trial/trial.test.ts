import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InfrastructureError, InputError } from '../../src/model/index.js';
import { readManifest } from '../../src/store/index.js';
import {
  blockOf,
  checkTargets,
  metricsGatherer,
  runTrial,
  type Gatherer,
  type ScheduleStrategy,
} from '../../src/trial/index.js';
import { randomPort, standInPlan } from './helpers.js';
import type { Manifest } from '../../src/model/index.js';

/** manifest.json as the trial wrote it, without the reader's schema check. */
const writtenManifest = async (dir: string): Promise<Manifest> =>
  JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;

const quiet = { progress: () => {} };

describe('runTrial (real k6, node stand-in services on 127.0.0.1)', () => {
  it('gathers interleaved runs ABAB into a trial folder with scrapes, raw output and generator health', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-trial-'));
    const lines: string[] = [];
    const plan = standInPlan(randomPort());
    const res = await runTrial({
      plan,
      planFile: 'test.yaml',
      outDir: out,
      signal: new AbortController().signal,
      progress: (l) => lines.push(l),
    });
    assert.equal(res.exitCode, 0);
    const m = await readManifest(res.dir);
    assert.equal(m.status, 'complete');
    assert.deepEqual(
      m.runs.map((r) => r.role),
      ['baseline', 'candidate', 'baseline', 'candidate'],
    );
    assert.deepEqual(
      m.runs.map((r) => r.id),
      ['r000-baseline-steady', 'r001-candidate-steady', 'r002-baseline-steady', 'r003-candidate-steady'],
    );
    for (const r of m.runs) {
      assert.equal(r.status, 'ok', r.failureReason);
      assert.ok(r.raw.metricsBefore && existsSync(join(res.dir, r.raw.metricsBefore)));
      assert.ok(r.raw.metricsAfter && existsSync(join(res.dir, r.raw.metricsAfter)));
      assert.ok(existsSync(join(res.dir, r.raw.outputs[0] ?? 'missing')));
      for (const log of r.raw.logs) assert.ok(existsSync(join(res.dir, log)), `${r.id}: ${log} exists`);
      assert.equal(r.generator.offeredRps, 30);
      assert.ok(Math.abs((r.generator.achievedRps ?? 0) - 30) <= 0.6, `achieved ${r.generator.achievedRps}`);
      assert.equal(typeof r.generator.cpuUtilisation, 'number');
      assert.equal(r.serviceCpu, 0);
      assert.equal(r.generatorCpu, 1);
    }
    assert.deepEqual(
      JSON.parse(await readFile(join(res.dir, 'plan.json'), 'utf8')),
      JSON.parse(JSON.stringify(plan)),
    );
    assert.match(lines[0] ?? '', /run 1\/4: baseline \(go\) steady, repetition 1\/2 .* ETA \d+s/);
  });

  it('marks a run failed when its service dies, keeps going, and stops with exit 3 when the plan says stop', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-trial-'));
    const plan = {
      ...standInPlan(randomPort(), { candidateArgs: ['-die-after-ms', '1500'] }),
      repetitions: 1,
    };
    plan.phases = [{ name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 20, durationSeconds: 3 }];
    const res = await runTrial({
      plan,
      planFile: 'test.yaml',
      outDir: out,
      signal: new AbortController().signal,
      ...quiet,
    });
    assert.equal(res.exitCode, 0);
    const cand = res.manifest.runs.find((r) => r.role === 'candidate');
    assert.equal(cand?.status, 'failed');
    assert.match(cand?.failureReason ?? '', /service died during the run \(exit code 7/);
    assert.equal(res.manifest.runs.find((r) => r.role === 'baseline')?.status, 'ok');

    const stopPlan = { ...plan, onRunFailure: 'stop' as const, repetitions: 2 };
    const res2 = await runTrial({
      plan: stopPlan,
      planFile: 'test.yaml',
      outDir: out,
      signal: new AbortController().signal,
      ...quiet,
    });
    assert.equal(res2.exitCode, 3);
    assert.equal(res2.manifest.status, 'failed');
    assert.deepEqual(
      res2.manifest.runs.map((r) => r.status),
      ['ok', 'failed', 'pending', 'pending'],
    );
  });

  it('runs an autocannon saturation phase after a k6 phase in the same service start, each with its raw files', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-trial-'));
    const plan = { ...standInPlan(randomPort()), repetitions: 1, warmupSeconds: 0 };
    plan.phases = [
      { name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 20, durationSeconds: 2 },
      {
        name: 'saturation',
        driver: 'autocannon',
        scenario: 'saturation',
        connections: 4,
        durationSeconds: 2,
        path: '/v1/orders/1',
      },
    ];
    const res = await runTrial({
      plan,
      planFile: 'test.yaml',
      outDir: out,
      signal: new AbortController().signal,
      ...quiet,
    });
    assert.equal(res.exitCode, 0);
    assert.deepEqual(
      res.manifest.runs.map((r) => r.id),
      [
        'r000-baseline-steady',
        'r001-baseline-saturation',
        'r002-candidate-steady',
        'r003-candidate-saturation',
      ],
    );
    for (const r of res.manifest.runs) {
      assert.equal(r.status, 'ok', r.failureReason);
      // The block's service log sits in its first run's folder; every listed log exists.
      for (const log of r.raw.logs) assert.ok(existsSync(join(res.dir, log)), `${r.id}: ${log} exists`);
      if (r.driver === 'k6') continue;
      assert.match(r.driverVersion, /^autocannon /);
      assert.match(r.raw.outputs[0] ?? '', /autocannon\.ndjson$/);
      assert.ok((r.generator.achievedRps ?? 0) > 50, `achieved ${r.generator.achievedRps}`);
    }
  });

  it('rejects an unreadable corpus.path before creating anything (exit 2)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-trial-'));
    const plan = { ...standInPlan(randomPort()), corpus: { path: 'missing.ndjson' } };
    await assert.rejects(
      runTrial({
        plan,
        planFile: join(out, 'p.yaml'),
        outDir: out,
        signal: new AbortController().signal,
        ...quiet,
      }),
      (e: Error) =>
        e instanceof InputError &&
        e.message.includes('p.yaml: corpus.path: cannot read') &&
        e.message.includes('missing.ndjson'),
    );
    assert.deepEqual(readdirSync(out), []);
  });

  it('rejects a corpus line whose path would leave 127.0.0.1 ("@host/x"), naming file and line, before creating anything', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-trial-'));
    const corpus = join(out, 'c.ndjson');
    await writeFile(
      corpus,
      '{"method":"GET","path":"/v1/orders/1"}\n{"method":"GET","path":"@10.0.0.5/x"}\n',
    );
    const plan = { ...standInPlan(randomPort()), corpus: { path: 'c.ndjson' } };
    await assert.rejects(
      runTrial({
        plan,
        planFile: join(out, 'p.yaml'),
        outDir: out,
        signal: new AbortController().signal,
        ...quiet,
      }),
      (e: Error) =>
        e instanceof InputError &&
        e.message.startsWith(`${corpus}:2: path "@10.0.0.5/x" must start with "/"`),
    );
    assert.deepEqual(readdirSync(out), ['c.ndjson']);
  });

  it('marks the run and the manifest failed when a driver throws, and rethrows with onRunFailure stop', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-trial-'));
    const plan = {
      ...standInPlan(randomPort()),
      warmupSeconds: 0,
      repetitions: 1,
      onRunFailure: 'stop' as const,
    };
    // No such driver: DRIVER_REGISTRY lookup throws inside the run, as a driver bug would.
    plan.phases = [
      { name: 'steady', driver: 'bogus', scenario: 'steady', rateRps: 5, durationSeconds: 1 } as never,
    ];
    await assert.rejects(
      runTrial({ plan, planFile: 'p.yaml', outDir: out, signal: new AbortController().signal, ...quiet }),
      (e: Error) => e instanceof InfrastructureError && /the trial stopped/.test(e.message),
    );
    const [trial] = readdirSync(out);
    // The manifest as written: it names the bogus driver, which readManifest's schema rightly refuses.
    const m = await writtenManifest(join(out, trial ?? ''));
    assert.equal(m.status, 'failed');
    assert.equal(m.runs[0]?.status, 'failed');
    assert.ok(m.runs[0]?.failureReason, 'reason recorded');
  });

  it('with onRunFailure continue, a throwing run is failed and the trial goes on to the next', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-trial-'));
    const plan = { ...standInPlan(randomPort()), warmupSeconds: 0, repetitions: 1 };
    plan.phases = [
      { name: 'steady', driver: 'bogus', scenario: 'steady', rateRps: 5, durationSeconds: 1 } as never,
    ];
    const res = await runTrial({
      plan,
      planFile: 'p.yaml',
      outDir: out,
      signal: new AbortController().signal,
      ...quiet,
    });
    const m = await writtenManifest(res.dir);
    assert.deepEqual(
      m.runs.map((r) => r.status),
      ['failed', 'failed'],
    );
    assert.notEqual(m.status, 'running');
  });

  it('fails a block at once when the service command does not exist (ENOENT), not after the health timeout', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-trial-'));
    const plan = { ...standInPlan(randomPort()), warmupSeconds: 0, repetitions: 1, pinCpus: false };
    for (const c of [plan.configurations.baseline, plan.configurations.candidate])
      if (c.kind === 'command') c.command = ['/nonexistent/hotswap-no-such-service'];
    const t0 = Date.now();
    const res = await runTrial({
      plan,
      planFile: 'p.yaml',
      outDir: out,
      signal: new AbortController().signal,
      ...quiet,
    });
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    const m = await readManifest(res.dir);
    assert.equal(m.runs[0]?.status, 'failed');
    assert.match(m.runs[0]?.failureReason ?? '', /ENOENT/);
  });

  it('runs the block an adaptive strategy adds after seeing a result (a probe at a new rate), with a failing gatherer only a warning', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-trial-'));
    const plan = { ...standInPlan(randomPort()), repetitions: 1, warmupSeconds: 0 };
    const steady = plan.phases[0]!;
    // Baseline, candidate, then one candidate probe at twice the rate once the first candidate run is ok.
    // It announces only the candidate block up front (the manifest still lists runs in run order).
    const probeOnce: ScheduleStrategy = {
      name: 'toy-probe',
      upcoming: (view) => (view.blocks.length === 0 ? [blockOf('candidate', 1, [{ phase: steady }], 1)] : []),
      next: (view) => {
        if (view.blocks.length === 0) return blockOf('baseline', 1, [{ phase: steady }], 0);
        if (view.blocks.length === 1) return blockOf('candidate', 1, [{ phase: steady }], 1);
        const cand = view.manifest.runs.filter((r) => r.role === 'candidate');
        if (cand.length > 1 || cand[0]?.status !== 'ok') return 'done';
        const rate = 2 * (cand[0].generator.offeredRps ?? 0);
        return blockOf('candidate', 2, [{ phase: steady, overrides: { rateRps: rate } }], view.nextOrder);
      },
    };
    const broken: Gatherer = {
      name: 'broken',
      during: async () => {
        throw new Error('no such endpoint');
      },
    };
    const pidNote: Gatherer = {
      name: 'pid',
      before: async (ctx) => {
        const path = join(ctx.paths.dir, 'pid.txt');
        await writeFile(join(ctx.trialDir, path), String(ctx.service.child?.pid ?? ''));
        return { files: [{ path, meta: { pid: ctx.service.child?.pid ?? 0 } }] };
      },
    };
    const lines: string[] = [];
    const res = await runTrial({
      plan,
      planFile: 'p.yaml',
      outDir: out,
      signal: new AbortController().signal,
      progress: (l) => lines.push(l),
      strategy: probeOnce,
      gatherers: [metricsGatherer, broken, pidNote],
    });
    assert.equal(res.exitCode, 0);
    const m = await readManifest(res.dir);
    assert.deepEqual(
      m.runs.map((r) => `${r.id} ${r.status} ${r.generator.offeredRps}`),
      ['r000-baseline-steady ok 30', 'r001-candidate-steady ok 30', 'r002-candidate-steady ok 60'],
    );
    assert.deepEqual(m.runs[2]?.overrides, { rateRps: 60 });
    assert.equal(m.runs[0]?.overrides, undefined);
    for (const r of m.runs) {
      assert.deepEqual(
        r.warnings.filter((w) => w.code === 'gatherer-failed').map((w) => w.message),
        ['gatherer broken failed during the run: no such endpoint'],
      );
      assert.ok(r.raw.metricsBefore && r.raw.metricsAfter, 'the metrics gatherer still ran');
      const [note] = r.raw.gathered ?? [];
      assert.equal(note?.gatherer, 'pid');
      const pid = Number(await readFile(join(res.dir, note?.path ?? 'missing'), 'utf8'));
      assert.ok(pid > 0 && note?.meta?.pid === pid, `pid ${pid}`);
    }
    assert.match(lines[0] ?? '', /run 1\/2: baseline/, 'the total counts what the strategy had announced');
    assert.match(lines[2] ?? '', /run 3\/3: candidate \(rust\) steady/);
  });

  it('refuses a non-loopback target naming the plan field, unless allowed', () => {
    const plan = standInPlan(1234);
    if (plan.configurations.candidate.kind === 'command')
      plan.configurations.candidate.url = 'http://10.1.2.3:80';
    assert.throws(
      () => checkTargets(plan, 'p.yaml'),
      (e: Error) =>
        e instanceof InputError &&
        /p\.yaml: configurations\.candidate\.url: http:\/\/10\.1\.2\.3:80 is not a loopback address/.test(
          e.message,
        ),
    );
    assert.doesNotThrow(() => checkTargets(plan, 'p.yaml', true));
  });
});
