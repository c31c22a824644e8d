import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readSampleFiles } from '../../src/ingest/index.js';
import { InputError } from '../../src/model/index.js';
import { fixture, refJson } from './reference.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'hotswap-ingest-'));

describe('k6 JSON reader (real k6 v2.2.0 output)', () => {
  it('reads the same requests, joins and dropped iterations as a naive JSON.parse of every line', async () => {
    const ref = refJson(fixture('k6/run.json.gz'));
    const set = await readSampleFiles([fixture('k6/run.json.gz')]);
    assert.equal(set.n, ref.requests.length);
    const sorted = [...ref.requests].sort((a, b) => a.tsMs - b.tsMs);
    for (let i = 0; i < set.n; i++) {
      const r = sorted[i]!;
      assert.equal(set.latencyMs[i], r.latencyMs);
      assert.ok(Math.abs(set.timestampMs[i]! - r.tsMs) < 1e-3, `${set.timestampMs[i]} vs ${r.tsMs}`);
      assert.equal(set.status[i], r.status);
      assert.equal(set.failed[i], r.failed ? 1 : 0);
      assert.equal(set.endpoints[set.endpoint[i]!], r.endpoint);
      const impl = ref.impl.get(r.rid);
      assert.equal(impl === undefined ? undefined : set.impls[set.impl[i]!], impl);
    }
    assert.equal(set.droppedIterations, ref.dropped.length);
  });

  it('agrees with the CSV output of the same run (k6 wrote both at once)', async () => {
    for (const [json, csv] of [
      ['k6/small.json', 'k6/small.csv'],
      ['k6/run.json.gz', 'k6/run.csv.gz'],
    ] as const) {
      const a = await readSampleFiles([fixture(json)]);
      const b = await readSampleFiles([fixture(csv)]);
      assert.equal(a.n, b.n);
      assert.deepEqual(a.latencyMs, b.latencyMs);
      assert.deepEqual(a.status, b.status);
      assert.deepEqual(a.failed, b.failed);
      assert.deepEqual(a.errorCode, b.errorCode);
      assert.deepEqual(a.hotspotMs, b.hotspotMs);
      assert.equal(a.droppedIterations, b.droppedIterations);
      assert.deepEqual(a.implServed, b.implServed);
      // CSV keeps µs, JSON ns: the same instant to within a microsecond.
      for (let i = 0; i < a.n; i++) assert.ok(Math.abs(a.timestampMs[i]! - b.timestampMs[i]!) < 1e-3);
    }
  });

  it('rejects a malformed line and a non-numeric value with file:line, and forgives a cut last line', async () => {
    const dir = tmp();
    const lines = readFileSync(fixture('k6/small.json'), 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('{"metric":"http_req_duration","type":"Point"'));
    const bad = [...lines];
    bad[at] = bad[at]!.slice(0, 50);
    writeFileSync(join(dir, 'bad.json'), bad.join('\n'));
    await assert.rejects(readSampleFiles([join(dir, 'bad.json')]), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(
        err.message,
        `${join(dir, 'bad.json')}:${at + 1}: malformed k6 JSON line (not a JSON object)`,
      );
      return true;
    });
    const nonNumeric = [...lines];
    nonNumeric[at] = nonNumeric[at]!.replace(/"value":[0-9.e-]+/, '"value":"fast"');
    writeFileSync(join(dir, 'value.json'), nonNumeric.join('\n'));
    await assert.rejects(
      readSampleFiles([join(dir, 'value.json')]),
      new RegExp(`value.json:${at + 1}: non-numeric value "fast"`),
    );

    const body = lines.filter(Boolean);
    const lastReq = body.findLastIndex((l) => l.startsWith('{"metric":"http_req_duration"'));
    writeFileSync(
      join(dir, 'cut.json'),
      `${body.slice(0, lastReq).join('\n')}\n${body[lastReq]!.slice(0, 80)}`,
    );
    const whole = await readSampleFiles([fixture('k6/small.json')]);
    const cut = await readSampleFiles([join(dir, 'cut.json')]);
    assert.equal(cut.n, whole.n - 1);
    assert.deepEqual(
      cut.warnings.map((w) => w.code),
      ['truncated-line'],
    );
  });
});

describe('k6 JSON reader: start lateness of paced arrivals (real k6 Poisson run, test/fixtures/k6/paced.json.gz)', () => {
  const jsonLines = (): string[] =>
    gunzipSync(readFileSync(fixture('k6/paced.json.gz')))
      .toString('utf8')
      .split('\n');

  it('keeps every start_lateness_ms Point, the same samples the CSV written by the same run has', async () => {
    const plain = jsonLines()
      .filter((l) => l.includes('"metric":"start_lateness_ms","type":"Point"'))
      .map((l) => (JSON.parse(l) as { data: { value: number } }).data.value)
      .sort((a, b) => a - b);
    const set = await readSampleFiles([fixture('k6/paced.json.gz')]);
    assert.ok(plain.length > 100);
    assert.deepEqual([...set.startLatenessMs!], plain);
    // k6 printed the CSV with 6 decimals: the same samples to 1e-6 ms.
    const csv = await readSampleFiles([fixture('k6/paced.csv.gz')]);
    assert.equal(csv.startLatenessMs!.length, plain.length);
    plain.forEach((v, i) => assert.ok(Math.abs(csv.startLatenessMs![i]! - v) < 1e-6, `${i}: ${v}`));
  });

  for (const [value, why] of [
    ['-0.5', /impossible start lateness -0.5 ms/],
    ['1e999', /non-numeric value/],
    ['"3"', /non-numeric value "3"/],
  ] as const) {
    it(`refuses a start_lateness_ms Point of ${value} with file:line`, async () => {
      const lines = jsonLines();
      const at = lines.findIndex((l) => l.includes('"metric":"start_lateness_ms","type":"Point"'));
      lines[at] = lines[at]!.replace(/"value":[^,]*,/, `"value":${value},`);
      const path = join(tmp(), 'k6.json');
      writeFileSync(path, lines.join('\n'));
      await assert.rejects(readSampleFiles([path]), (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.ok(e.message.startsWith(`${path}:${at + 1}: `), e.message);
        assert.match(e.message, why);
        return true;
      });
    });
  }
});
