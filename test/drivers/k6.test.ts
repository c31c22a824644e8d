import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateCorpus, toNdjsonLine } from '../../src/corpus/index.js';
import { k6Driver, liveChildren, offeredRps, scenarioEnv, segments } from '../../src/drivers/index.js';
import { readSampleFiles } from '../../src/ingest/index.js';
import type { K6PhaseSpec, Slo } from '../../src/model/index.js';
import { writeLinesAtomic } from '../../src/store/index.js';
import { alive, startStandIn } from './stand-in.js';

const slo: Slo = { quantile: 0.99, latencyMs: 500, maxErrorRate: 0.5 };

describe('k6 driver (real k6, node stand-in service on 127.0.0.1)', () => {
  let target: Awaited<ReturnType<typeof startStandIn>>;
  let dir: string;
  let corpusPath: string;

  before(async () => {
    target = await startStandIn(['-impl', 'rust', '-rust-share', '100']);
    dir = await mkdtemp(join(tmpdir(), 'hotswap-k6-'));
    corpusPath = join(dir, 'corpus.ndjson');
    await writeLinesAtomic(
      corpusPath,
      [...generateCorpus({ seed: 1, count: 200, messyShare: 0 })].map(toNdjsonLine),
    );
  });
  after(() => target.stop());

  const input = (runId: string, phase: K6PhaseSpec, signal = new AbortController().signal, s = slo) => ({
    runId,
    trialDir: dir,
    baseUrl: target.url,
    phase,
    corpusPath,
    slo: s,
    signal,
  });

  it('gives the drill target (admin token, flip-back) to rollback phases only, through their traits', () => {
    const drill = { adminToken: 'secret', flipBackImpl: 'rust', flipBackSharePercent: 40 };
    const steady: K6PhaseSpec = {
      name: 's',
      driver: 'k6',
      scenario: 'steady',
      rateRps: 5,
      durationSeconds: 3,
    };
    const rollback: K6PhaseSpec = { ...steady, name: 'r', scenario: 'rollback', flipAtSeconds: 1 };
    const env = (phase: K6PhaseSpec) => scenarioEnv({ ...input('e', phase), drill }, phase);
    assert.equal(env(steady).ADMIN_TOKEN, undefined);
    assert.equal(env(steady).FLIP_BACK_TO, undefined);
    assert.deepEqual(
      [
        env(rollback).ADMIN_TOKEN,
        env(rollback).FLIP_TO,
        env(rollback).FLIP_BACK_TO,
        env(rollback).FLIP_BACK_SHARE,
      ],
      ['secret', 'go', 'rust', '40'],
    );
    assert.equal(env(rollback).FLIP_AT, '1');
    assert.equal(env(rollback).RATE, '5');
  });

  it('computes the offered rate of a ramp and a spike as the scenario schedules them', () => {
    assert.equal(
      offeredRps({
        name: 'r',
        driver: 'k6',
        scenario: 'ramp',
        steps: [
          { rateRps: 10, durationSeconds: 1 },
          { rateRps: 30, durationSeconds: 3 },
        ],
      }),
      25,
    );
    assert.equal(
      offeredRps({
        name: 's',
        driver: 'k6',
        scenario: 'spike',
        rateRps: 10,
        durationSeconds: 10,
        spikeMultiplier: 3,
      }),
      14,
    );
    assert.deepEqual(segments(3).sequence, '0,1/3,2/3,1');
    assert.equal(segments(3).segment(1), '1/3:2/3');
  });

  it('writes raw CSV that parses, with the offered count of requests (±2 %) and the impl recorded', async () => {
    const phase: K6PhaseSpec = {
      name: 'steady',
      driver: 'k6',
      scenario: 'steady',
      rateRps: 40,
      durationSeconds: 5,
    };
    const res = await k6Driver.run(input('r1', phase));
    assert.equal(res.status, 'ok', res.failureReason);
    assert.equal(res.exitCode, 0);
    assert.match(res.driverVersion, /^v2\./);
    const samples = await readSampleFiles(
      res.outputs.map((o) => join(dir, o)),
      { runId: 'r1' },
    );
    assert.ok(Math.abs(samples.n - 200) <= 4, `requests ${samples.n}, offered 200`);
    assert.ok(
      Math.abs((res.generator.achievedRps ?? 0) - 40) <= 0.8,
      `achieved ${res.generator.achievedRps}`,
    );
    assert.equal(res.generator.offeredRps, 40);
    assert.ok((res.generator.cpuSeconds ?? 0) > 0, 'generator CPU measured');
    assert.deepEqual(new Set(samples.endpoints), new Set(['scan', 'fields', 'orders']));
    const implIdx = samples.impls.indexOf('rust');
    assert.ok(implIdx >= 0, `impls ${samples.impls}`);
    assert.ok(existsSync(join(dir, res.logs[0] ?? '')));
  });

  it('splits one run over two k6 processes with execution segments, same total', async () => {
    const phase: K6PhaseSpec = {
      name: 'steady2',
      driver: 'k6',
      scenario: 'steady',
      rateRps: 40,
      durationSeconds: 5,
      processes: 2,
    };
    const res = await k6Driver.run(input('r2', phase));
    assert.equal(res.status, 'ok', res.failureReason);
    assert.equal(res.outputs.length, 2);
    const samples = await readSampleFiles(
      res.outputs.map((o) => join(dir, o)),
      { runId: 'r2' },
    );
    assert.ok(Math.abs(samples.n - 200) <= 4, `requests ${samples.n}, offered 200`);
  });

  it('records exit 99 (SLO thresholds crossed) as a result, not a failure', async () => {
    const phase: K6PhaseSpec = {
      name: 'slo',
      driver: 'k6',
      scenario: 'steady',
      rateRps: 20,
      durationSeconds: 2,
    };
    const res = await k6Driver.run(
      input('r3', phase, undefined, { quantile: 0.99, latencyMs: 0.001, maxErrorRate: 0 }),
    );
    assert.equal(res.exitCode, 99);
    assert.equal(res.status, 'ok');
    assert.equal(res.thresholdsCrossed, true);
  });

  it('marks a run failed with k6’s reason when the corpus is missing', async () => {
    const phase: K6PhaseSpec = {
      name: 'bad',
      driver: 'k6',
      scenario: 'steady',
      rateRps: 5,
      durationSeconds: 1,
    };
    const res = await k6Driver.run({ ...input('r4', phase), corpusPath: join(dir, 'nope.ndjson') });
    assert.equal(res.status, 'failed');
    assert.match(res.failureReason ?? '', /k6 exited with code \d+.*nope\.ndjson/);
  });

  it('stops every k6 process within 5 s when aborted and says the run was interrupted', async () => {
    const ctl = new AbortController();
    const phase: K6PhaseSpec = {
      name: 'long',
      driver: 'k6',
      scenario: 'steady',
      rateRps: 20,
      durationSeconds: 60,
      processes: 2,
    };
    const pending = k6Driver.run(input('r5', phase, ctl.signal));
    await new Promise((r) => setTimeout(r, 1500));
    const pids = liveChildren().map((c) => c.pid);
    assert.equal(pids.length, 2);
    const t0 = Date.now();
    ctl.abort();
    const res = await pending;
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    assert.equal(res.status, 'interrupted');
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still alive`);
  });

  it('with a signal aborted before it starts, returns interrupted at once and spawns no k6', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const before = liveChildren().length;
    const phase: K6PhaseSpec = {
      name: 'late',
      driver: 'k6',
      scenario: 'steady',
      rateRps: 20,
      durationSeconds: 20,
    };
    const pending = k6Driver.run(input('r6', phase, ctl.signal));
    assert.equal(liveChildren().length, before, 'no child spawned');
    const t0 = Date.now();
    const res = await pending;
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    assert.equal(res.status, 'interrupted');
    assert.equal(liveChildren().length, before, 'no child left');
  });
});
