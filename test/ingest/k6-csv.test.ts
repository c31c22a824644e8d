import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readSampleFiles, NO_IMPL } from '../../src/ingest/index.js';
import { splitCsvLine, parseKv, isFailed, requestEndpointOf } from '../../src/ingest/k6-csv.js';
import { InputError } from '../../src/model/index.js';
import { fixture, refCsv } from './reference.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'hotswap-ingest-'));
const csvText = (rel: string): string => {
  const raw = readFileSync(fixture(rel));
  return (rel.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
};

describe('k6 CSV reader (real k6 v2.2.0 output)', () => {
  it('reads every http_req_duration line with latency, time, status, failed flag and endpoint as a naive full parse does', async () => {
    const ref = refCsv(fixture('k6/run.csv.gz'));
    const set = await readSampleFiles([fixture('k6/run.csv.gz')]);
    assert.equal(set.n, ref.requests.length);
    assert.ok(set.n > 200, `a few hundred requests expected, got ${set.n}`);
    const sorted = [...ref.requests].sort((a, b) => a.tsMs - b.tsMs);
    for (let i = 0; i < set.n; i++) {
      const r = sorted[i]!;
      assert.equal(set.latencyMs[i], r.latencyMs);
      assert.ok(Math.abs(set.timestampMs[i]! - r.tsMs) < 1e-6);
      assert.equal(set.status[i], r.status);
      assert.equal(set.failed[i], r.failed ? 1 : 0);
      assert.equal(set.endpoints[set.endpoint[i]!], r.endpoint);
    }
    assert.deepEqual([...set.endpoints].sort(), ['fields', 'orders', 'scan']);
  });

  it('counts dropped_iterations and finds the failed requests (500s and the transport error)', async () => {
    const ref = refCsv(fixture('k6/run.csv.gz'));
    const set = await readSampleFiles([fixture('k6/run.csv.gz')]);
    assert.equal(set.droppedIterations, ref.dropped.length);
    assert.ok(set.droppedIterations > 0, 'the fixture run was built to drop iterations');
    const failed = set.failed.reduce((a, b) => a + b, 0);
    assert.equal(failed, ref.requests.filter((r) => r.failed).length);
    const transport = [...set.status.keys()].filter((i) => set.status[i] === 0);
    assert.ok(transport.length >= 1, 'the fixture server destroys one socket in 50 fields requests');
    for (const i of transport) {
      assert.equal(set.failed[i], 1);
      assert.equal(set.errorCode?.[i], 1000);
    }
  });

  it('joins hotspot_ms and impl_served to their request through the rid metadata', async () => {
    const ref = refCsv(fixture('k6/run.csv.gz'));
    const set = await readSampleFiles([fixture('k6/run.csv.gz')]);
    const sorted = [...ref.requests].sort((a, b) => a.tsMs - b.tsMs);
    let joined = 0;
    for (let i = 0; i < set.n; i++) {
      const rid = sorted[i]!.rid;
      const impl = ref.impl.get(rid);
      if (impl === undefined) assert.equal(set.impl[i], NO_IMPL);
      else {
        assert.equal(set.impls[set.impl[i]!], impl);
        joined++;
      }
      const hot = ref.hotspot.get(rid);
      if (hot === undefined) assert.ok(Number.isNaN(set.hotspotMs[i]));
      else assert.equal(set.hotspotMs[i], hot);
    }
    assert.ok(joined > 0);
    assert.deepEqual([...set.impls].sort(), ['go', 'rust']);
    assert.equal(set.warnings.length, 0);
    const served = (set.implServed ?? []).reduce((a, r) => a + r.served, 0);
    assert.equal(served, ref.served.length);
  });

  it('gives identical samples for the plain and the gzip CSV of the same run', async () => {
    const plain = await readSampleFiles([fixture('k6/small.csv')]);
    const gz = await readSampleFiles([fixture('k6/small.csv.gz')]);
    assert.equal(plain.n, gz.n);
    assert.deepEqual(plain.latencyMs, gz.latencyMs);
    assert.deepEqual(plain.timestampMs, gz.timestampMs);
    assert.deepEqual(plain.impl, gz.impl);
    assert.deepEqual(plain.implServed, gz.implServed);
  });

  it('keeps microseconds of unix_micro timestamps', async () => {
    const set = await readSampleFiles([fixture('k6/small.csv')]);
    const firstLine = csvText('k6/small.csv')
      .split('\n')
      .find((l) => l.startsWith('http_req_duration,'))!;
    const micros = firstLine.split(',')[1]!;
    assert.equal(micros.length, 16);
    assert.equal(set.timestampMs[0], Number(micros) / 1000);
  });

  it('leaves out a truncated last line with a truncated-line warning and keeps the rest', async () => {
    const dir = tmp();
    const full = csvText('k6/small.csv');
    const lines = full.split('\n');
    const lastDuration = lines.findLastIndex((l) => l.startsWith('http_req_duration,'));
    const cut = `${lines.slice(0, lastDuration).join('\n')}\n${lines[lastDuration]!.slice(0, 40)}`;
    const path = join(dir, 'cut.csv');
    writeFileSync(path, cut);
    const whole = await readSampleFiles([fixture('k6/small.csv')]);
    const set = await readSampleFiles([path]);
    assert.equal(set.n, whole.n - 1);
    assert.equal(set.warnings.length, 1);
    assert.equal(set.warnings[0]!.code, 'truncated-line');
    assert.match(set.warnings[0]!.message, new RegExp(`cut\\.csv:${lastDuration + 1}:`));
  });

  it('rejects a malformed line, a non-numeric value and a bad timestamp with file:line', async () => {
    const dir = tmp();
    const lines = csvText('k6/small.csv').split('\n');
    const at = lines.findIndex((l) => l.startsWith('http_req_duration,'));
    const cases: [string, (l: string) => string, RegExp][] = [
      ['fields.csv', (l) => l.split(',').slice(0, 5).join(','), /expected 19 fields, got 5/],
      [
        'value.csv',
        (l) => l.replace(/^(http_req_duration,\d+,)[^,]+/, '$1abc'),
        /non-numeric metric_value "abc"/,
      ],
      [
        'time.csv',
        (l) => l.replace(/^(http_req_duration,)\d+/, '$1yesterday'),
        /unreadable timestamp "yesterday"/,
      ],
      ['garbage.csv', () => 'hello world', /malformed k6 CSV line/],
    ];
    for (const [name, mutate, message] of cases) {
      const copy = [...lines];
      copy[at] = mutate(copy[at]!);
      const path = join(dir, name);
      writeFileSync(path, copy.join('\n'));
      await assert.rejects(readSampleFiles([path]), (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.ok(err.message.startsWith(`${path}:${at + 1}: `), err.message);
        assert.match(err.message, message);
        return true;
      });
    }
  });

  it('rejects a k6 CSV with a header and no requests as an empty run', async () => {
    const dir = tmp();
    const path = join(dir, 'empty.csv');
    writeFileSync(path, `${csvText('k6/small.csv').split('\n')[0]}\n`);
    await assert.rejects(readSampleFiles([path]), /empty run/);
  });
});

describe('k6 CSV helpers', () => {
  it('splits Go encoding/csv quoting, including doubled quotes and commas inside quotes', () => {
    assert.deepEqual(splitCsvLine('a,b,,c'), ['a', 'b', '', 'c']);
    assert.deepEqual(splitCsvLine('a,"x,y",b'), ['a', 'x,y', 'b']);
    assert.deepEqual(splitCsvLine('"say ""hi""",2'), ['say "hi"', '2']);
    assert.deepEqual(splitCsvLine('a,"x,y"'), ['a', 'x,y']);
    assert.equal(splitCsvLine('a,"open'), null);
  });

  it('parses k=v&k=v tag strings in either order', () => {
    assert.deepEqual(parseKv('impl=go&endpoint=scan'), { impl: 'go', endpoint: 'scan' });
    assert.deepEqual(parseKv(''), {});
  });

  it('counts a request failed as k6 does: expected_response, else status outside 200–399', () => {
    assert.equal(isFailed('false', 200), true);
    assert.equal(isFailed('true', 500), false);
    assert.equal(isFailed('', 500), true);
    assert.equal(isFailed(undefined, 302), false);
    assert.equal(isFailed(undefined, 0), true);
  });
});

describe('endpoint of a k6 request', () => {
  it("takes hotswap's endpoint tag, else a script's name tag, else the URL path with ids collapsed", () => {
    assert.equal(requestEndpointOf('scan', 'x', 'http://h/v1/scan'), 'scan');
    assert.equal(requestEndpointOf(undefined, 'checkout', 'http://h/cart/12/checkout'), 'checkout');
    // k6 sets name to the URL itself when the script names nothing.
    assert.equal(
      requestEndpointOf(undefined, 'http://h/v1/orders/4711', 'http://h/v1/orders/4711'),
      'orders',
    );
    assert.equal(requestEndpointOf(undefined, '', 'http://h/bytes/1024?seed=1'), 'bytes');
    assert.equal(requestEndpointOf(undefined, undefined, undefined), '(none)');
  });
});

describe('k6 CSV reader: start lateness of paced arrivals (real k6 Poisson run, test/fixtures/k6/paced.csv.gz)', () => {
  /** The fixture's start_lateness_ms rows, parsed naively: [timestamp ms, value ms]. */
  const latenessRows = (): [number, number][] =>
    csvText('k6/paced.csv.gz')
      .split('\n')
      .filter((l) => l.startsWith('start_lateness_ms,'))
      .map((l) => l.split(','))
      .map((f) => [Number(f[1]) / 1000, Number(f[2])]);

  it('keeps every start_lateness_ms sample, sorted, as a plain parse and sort of the rows gives', async () => {
    const rows = latenessRows();
    assert.ok(rows.length > 100, `one sample per arrival expected, got ${rows.length}`);
    const set = await readSampleFiles([fixture('k6/paced.csv.gz')]);
    const plain = rows.map((r) => r[1]).sort((a, b) => a - b);
    assert.deepEqual([...set.startLatenessMs!], plain);
    // One arrival, one request (none was dropped in this run).
    assert.equal(set.startLatenessMs!.length, set.n + set.droppedIterations);
  });

  it('leaves out the samples before the warm-up cut, as the requests', async () => {
    const set = await readSampleFiles([fixture('k6/paced.csv.gz')], { warmupSeconds: 1 });
    const t0 = Math.min(
      ...csvText('k6/paced.csv.gz')
        .split('\n')
        .filter((l) => l.startsWith('http_req_duration,'))
        .map((l) => Number(l.split(',')[1]) / 1000),
    );
    const kept = latenessRows()
      .filter(([t]) => t >= t0 + 1000)
      .map((r) => r[1])
      .sort((a, b) => a - b);
    assert.ok(kept.length < latenessRows().length);
    assert.deepEqual([...set.startLatenessMs!], kept);
  });

  it('reads a start_lateness_ms line with a quoted field (the slow path) as the others', async () => {
    const dir = tmp();
    const lines = csvText('k6/paced.csv.gz').split('\n');
    const at = lines.findIndex((l) => l.startsWith('start_lateness_ms,'));
    lines[at] = `${lines[at]!.replace(/,$/, '')},"k=a,b"`;
    const path = join(dir, 'k6.csv');
    writeFileSync(path, lines.join('\n'));
    const set = await readSampleFiles([path]);
    const plain = await readSampleFiles([fixture('k6/paced.csv.gz')]);
    assert.deepEqual([...set.startLatenessMs!], [...plain.startLatenessMs!]);
  });

  it('has no start lateness for a uniform run (k6’s executor paces it and records none)', async () => {
    const set = await readSampleFiles([fixture('k6/run.csv.gz')]);
    assert.equal(set.startLatenessMs, undefined);
  });

  const withLateness = (value: string): string => {
    const dir = tmp();
    const lines = csvText('k6/paced.csv.gz').split('\n');
    const at = lines.findIndex((l) => l.startsWith('start_lateness_ms,'));
    const f = lines[at]!.split(',');
    f[2] = value;
    lines[at] = f.join(',');
    const path = join(dir, 'k6.csv');
    writeFileSync(path, lines.join('\n'));
    return `${path}:${at + 1}:`;
  };

  for (const [value, why] of [
    ['-1.000000', /impossible start lateness -1 ms \(expected 0 to 86400000\)/],
    ['NaN', /non-numeric metric_value "?NaN/],
    ['1e999', /metric_value "?1e999"? is out of range \(not finite\)/],
  ] as const) {
    it(`refuses a start_lateness_ms of ${value} with file:line`, async () => {
      const where = withLateness(value);
      const path = where.slice(0, where.indexOf(':'));
      await assert.rejects(readSampleFiles([path]), (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.ok(e.message.startsWith(where), e.message);
        assert.match(e.message, why);
        return true;
      });
    });
  }
});
