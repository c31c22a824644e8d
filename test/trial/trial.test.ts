import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InfrastructureError, InputError } from '../../src/model/index.js';
import { readManifest } from '../../src/store/index.js';
import { checkTargets, runTrial } from '../../src/trial/index.js';
import { randomPort, standInPlan } from './helpers.js';

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
    const m = await readManifest(join(out, trial ?? ''));
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
    const m = await readManifest(res.dir);
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
