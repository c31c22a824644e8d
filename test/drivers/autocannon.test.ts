import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { countResponses } from '../../src/drivers/autocannon.js';
import { autocannonDriver, liveChildren } from '../../src/drivers/index.js';
import { readSampleFiles } from '../../src/ingest/index.js';
import { InputError } from '../../src/model/index.js';
import { startStandIn } from './stand-in.js';

describe('autocannon driver (real autocannon, node stand-in service on 127.0.0.1)', () => {
  let target: Awaited<ReturnType<typeof startStandIn>>;
  let dir: string;
  before(async () => {
    target = await startStandIn();
    dir = await mkdtemp(join(tmpdir(), 'hotswap-ac-'));
  });
  after(() => target.stop());

  it('records every response’s latency as raw NDJSON the ingest reads, tagged by endpointOf (uuid → orders)', async () => {
    const res = await autocannonDriver.run({
      runId: 'a1',
      trialDir: dir,
      baseUrl: target.url,
      phase: {
        name: 'sat',
        driver: 'autocannon',
        scenario: 'saturation',
        connections: 4,
        durationSeconds: 2,
        path: '/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6',
      },
      corpusPath: '/nonexistent',
      slo: { quantile: 0.99, latencyMs: 50, maxErrorRate: 0.01 },
      signal: new AbortController().signal,
    });
    assert.equal(res.status, 'ok', res.failureReason);
    assert.match(res.driverVersion, /^autocannon \d/);
    const lines = (await readFile(join(dir, res.outputs[0] ?? ''), 'utf8')).trim().split('\n');
    assert.ok(lines.length > 100, `only ${lines.length} responses in 2 s`);
    const first = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(first).sort(), ['endpoint', 'latencyMs', 'status', 't']);
    assert.equal(first.endpoint, 'orders');
    assert.equal(first.status, 200);
    const samples = await readSampleFiles([join(dir, res.outputs[0] ?? '')], { runId: 'a1' });
    assert.equal(samples.n, lines.length);
    // Sub-millisecond resolution: the response event's latency, not autocannon's 1 ms histogram.
    assert.ok(Array.from(samples.latencyMs.subarray(0, samples.n)).some((x) => x !== Math.round(x)));
    assert.ok((res.generator.achievedRps ?? 0) > 50);
  });

  it('with a signal aborted before it starts, returns interrupted at once and spawns no autocannon', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const before = liveChildren().length;
    const t0 = Date.now();
    const res = await autocannonDriver.run({
      runId: 'a2',
      trialDir: dir,
      baseUrl: target.url,
      phase: {
        name: 'sat',
        driver: 'autocannon',
        scenario: 'saturation',
        connections: 2,
        durationSeconds: 20,
        path: '/v1/orders/7',
      },
      corpusPath: '/nonexistent',
      slo: { quantile: 0.99, latencyMs: 50, maxErrorRate: 0.01 },
      signal: ctl.signal,
    });
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    assert.equal(res.status, 'interrupted');
    assert.equal(liveChildren().length, before, 'no child spawned or left');
  });

  it('refuses a corpus line whose path would leave 127.0.0.1, naming the file and line, without spawning', async () => {
    const corpus = join(dir, 'bad.ndjson');
    await writeFile(corpus, '{"method":"GET","path":"@10.0.0.5/x"}\n');
    const before = liveChildren().length;
    await assert.rejects(
      autocannonDriver.run({
        runId: 'a3',
        trialDir: dir,
        baseUrl: target.url,
        phase: {
          name: 'sat',
          driver: 'autocannon',
          scenario: 'saturation',
          connections: 2,
          durationSeconds: 2,
        },
        corpusPath: corpus,
        slo: { quantile: 0.99, latencyMs: 50, maxErrorRate: 0.01 },
        signal: new AbortController().signal,
      }),
      (e: Error) => e instanceof InputError && e.message.startsWith(`${corpus}:1: path "@10.0.0.5/x"`),
    );
    assert.equal(liveChildren().length, before);
  });

  it('counts only 2xx/3xx responses in achieved throughput and records the failures (403s here)', async () => {
    const corpus = join(dir, 'forbidden.ndjson');
    // The stand-in answers 403 to POST /admin/hotspot when it has no admin token.
    await writeFile(corpus, '{"method":"POST","path":"/admin/hotspot","body":"{}"}\n');
    const res = await autocannonDriver.run({
      runId: 'a4',
      trialDir: dir,
      baseUrl: target.url,
      phase: {
        name: 'sat',
        driver: 'autocannon',
        scenario: 'saturation',
        connections: 2,
        durationSeconds: 1,
      },
      corpusPath: corpus,
      slo: { quantile: 0.99, latencyMs: 50, maxErrorRate: 0.01 },
      signal: new AbortController().signal,
    });
    assert.equal(res.status, 'ok', res.failureReason);
    assert.equal(res.generator.achievedRps, 0);
    assert.ok((res.failedResponses ?? 0) > 10, `failed ${res.failedResponses}`);
    assert.ok(res.warnings.some((w) => w.code === 'failed-responses'));
  });

  it('countResponses: 2xx/3xx are ok; status 0, errors, 4xx and 5xx are failed', () => {
    const text = [200, 204, 302, 0, 404, 503]
      .map((status) => JSON.stringify({ t: 1, latencyMs: 1, status }))
      .join('\n');
    const withError = `${text}\n${JSON.stringify({ t: 1, latencyMs: 0, status: 200, error: 'ECONNRESET' })}\n`;
    assert.deepEqual(countResponses(withError), { ok: 3, failed: 4 });
  });
});
