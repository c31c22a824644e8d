import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { k6Driver, scenarioEnv } from '../../src/drivers/index.js';
import { readSampleFiles } from '../../src/ingest/index.js';
import type { K6PhaseSpec, SampleSet, Slo } from '../../src/model/index.js';
import { writeLinesAtomic } from '../../src/store/index.js';
import { killAll, startService, type Started } from '../service/start.js';

const slo: Slo = { quantile: 0.99, latencyMs: 500, maxErrorRate: 0.5 };

/** Request starts (ms, sorted): k6 stamps a request's rows when its response ended. */
const startsOf = (s: SampleSet): number[] =>
  Array.from({ length: s.n }, (_, i) => s.timestampMs[i]! - s.latencyMs[i]!).sort((a, b) => a - b);
const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
const sampleVar = (xs: number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};
/** Variance/mean of requests per whole second, over the phase's first `seconds` seconds. */
const dispersion = (starts: number[], seconds: number): number => {
  const c = new Array<number>(seconds).fill(0);
  for (const t of starts) {
    const k = Math.floor((t - starts[0]!) / 1000);
    if (k < seconds) c[k]! += 1;
  }
  return sampleVar(c) / mean(c);
};
const gapCv = (starts: number[]): number => {
  const g = starts.slice(1).map((t, i) => t - starts[i]!);
  return Math.sqrt(sampleVar(g)) / mean(g);
};

describe('k6 arrivals (real k6 against the real baseline build on 127.0.0.1)', () => {
  let svc: Started;
  let dir: string;
  let corpusPath: string;
  let capturePath: string;

  before(async () => {
    svc = await startService('baseline');
    dir = await mkdtemp(join(tmpdir(), 'hotswap-arrivals-'));
    // /v1/fields only: cheap requests, so the timing seen is the generator's, not a queue's.
    corpusPath = join(dir, 'fields.ndjson');
    const fields = JSON.stringify({
      method: 'POST',
      path: '/v1/fields',
      body: '{"a":"1"}',
      endpoint: 'fields',
    });
    await writeLinesAtomic(corpusPath, [fields]);
    // A capture with uneven gaps: pairs of requests 20 ms apart, 380 ms between pairs (mean gap 200 ms).
    capturePath = join(dir, 'capture.ndjson');
    const at = [0, 20, 400, 420, 800];
    await writeLinesAtomic(
      capturePath,
      at.map((atMs) =>
        JSON.stringify({ method: 'POST', path: '/v1/fields', body: '{}', endpoint: 'fields', atMs }),
      ),
    );
  });
  after(killAll);

  const run = async (id: string, phase: K6PhaseSpec, corpus = corpusPath): Promise<SampleSet> => {
    const res = await k6Driver.run({
      runId: id,
      trialDir: dir,
      baseUrl: svc.url,
      phase,
      corpusPath: corpus,
      slo,
      seed: 11,
      signal: new AbortController().signal,
    });
    assert.equal(res.status, 'ok', res.failureReason);
    // A start more than 100 ms late is dropped; on a quiet machine none are, but a starved generator core
    // (other work on the machine) can drop a few. More than 1 % would mean the pacing itself is wrong.
    const offered = (phase.rateRps ?? 0) * (phase.durationSeconds ?? 0);
    assert.ok(
      (res.generator.droppedIterations ?? 0) <= Math.max(1, 0.01 * offered),
      `dropped ${res.generator.droppedIterations} of ${offered}`,
    );
    return readSampleFiles(
      res.outputs.map((o) => join(dir, o)),
      { runId: id },
    );
  };

  it('both arms get the same seeded schedule: the driver passes ARRIVALS and the plan’s seed', () => {
    const phase: K6PhaseSpec = {
      name: 's',
      driver: 'k6',
      scenario: 'steady',
      rateRps: 5,
      durationSeconds: 1,
      arrivals: 'poisson',
    };
    const env = (baseUrl: string) =>
      scenarioEnv(
        {
          runId: 'x',
          trialDir: dir,
          baseUrl,
          phase,
          corpusPath,
          slo,
          seed: 11,
          signal: new AbortController().signal,
        },
        phase,
      );
    assert.equal(env('http://127.0.0.1:1').ARRIVALS, 'poisson');
    assert.equal(env('http://127.0.0.1:1').ARRIVALS_SEED, '11');
    assert.deepEqual(
      { ...env('http://127.0.0.1:1'), BASE_URL: '' },
      { ...env('http://127.0.0.1:2'), BASE_URL: '' },
    );
    const uniform = scenarioEnv(
      {
        runId: 'x',
        trialDir: dir,
        baseUrl: 'u',
        phase,
        corpusPath,
        slo,
        signal: new AbortController().signal,
      },
      { ...phase, arrivals: 'uniform' },
    );
    assert.equal(uniform.ARRIVALS, undefined);
  });

  it('poisson: per-second counts have variance/mean near 1 and gaps a CV near 1, with the offered count', async () => {
    const s = await run('poisson', {
      name: 'poisson',
      driver: 'k6',
      scenario: 'steady',
      rateRps: 40,
      durationSeconds: 30,
      arrivals: 'poisson',
    });
    const starts = startsOf(s);
    assert.ok(Math.abs(s.n - 1200) < 4 * Math.sqrt(1200), `requests ${s.n}, offered 1200`);
    const d = dispersion(starts, 29);
    assert.ok(d > 0.4 && d < 2.0, `variance/mean ${d.toFixed(2)}`);
    const cv = gapCv(starts);
    assert.ok(cv > 0.8 && cv < 1.25, `gap CV ${cv.toFixed(2)}`);
    // One start_lateness_ms sample per arrival, sent or dropped (timings depend on the machine's load).
    assert.equal(s.startLatenessMs?.length, s.n + s.droppedIterations);
  });

  it('uniform (the default): per-second counts barely vary, gaps are even', async () => {
    const s = await run('uniform', {
      name: 'uniform',
      driver: 'k6',
      scenario: 'steady',
      rateRps: 40,
      durationSeconds: 10,
    });
    const starts = startsOf(s);
    assert.ok(dispersion(starts, 9) < 0.2, `variance/mean ${dispersion(starts, 9).toFixed(2)}`);
    assert.ok(gapCv(starts) < 0.5, `gap CV ${gapCv(starts).toFixed(2)}`);
    assert.equal(s.startLatenessMs, undefined, 'k6’s executor paces a uniform phase: no start lateness');
  });

  it('replay: the capture’s uneven gaps come back in corpus order, scaled to the rate', async () => {
    // Capture mean gap 200 ms; at 10 rps the mean gap is 100 ms: gaps become 10, 190, 10, 190, 100 ms.
    const s = await run(
      'replay',
      {
        name: 'replay',
        driver: 'k6',
        scenario: 'steady',
        rateRps: 10,
        durationSeconds: 4,
        arrivals: 'replay',
      },
      capturePath,
    );
    const starts = startsOf(s);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    const short = gaps.filter((g) => g < 50).length;
    const long = gaps.filter((g) => g > 150 && g < 230).length;
    assert.ok(s.n >= 38 && s.n <= 40, `requests ${s.n}`);
    // Of 39 gaps, the schedule has 16 of 10 ms and 16 of 190 ms (and 7 of 100 ms).
    assert.ok(short >= 14 && long >= 14, `gaps ${gaps.map((g) => g.toFixed(0)).join(' ')}`);
  });
});
