import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  histogramQuantile,
  parsePrometheusFile,
  readPrometheusText,
  sumMetric,
} from '../../src/ingest/index.js';
import { InputError } from '../../src/model/index.js';
import { fixture } from './reference.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

describe('Prometheus text scrapes', () => {
  it('parses a real client_golang scrape: labelled counters and histogram buckets with their labels', async () => {
    const samples = await parsePrometheusFile(fixture('prometheus/go-client.prom'));
    assert.ok(samples.length > 30);
    // The fixture program added 120 + 80 + 50 requests (test/fixtures/prometheus/src/main.go).
    assert.equal(sumMetric(samples, 'hotswap_requests_total'), 250);
    assert.equal(sumMetric(samples, 'hotswap_requests_total', { impl: 'go' }), 170);
    assert.equal(sumMetric(samples, 'hotswap_requests_total', { endpoint: 'scan', impl: 'rust' }), 80);
    assert.ok(Number.isNaN(sumMetric(samples, 'hotswap_requests_total', { impl: 'zig' })));
    assert.ok(sumMetric(samples, 'process_resident_memory_bytes') > 1e6);
    assert.equal(sumMetric(samples, 'hotswap_hotspot_seconds_count', { impl: 'go' }), 100);
  });

  it('computes histogram_quantile as PromQL does (interpolation inside the bucket, sum by le)', async () => {
    const samples = await parsePrometheusFile(fixture('prometheus/go-client.prom'));
    // go buckets (cumulative): ≤0.0001:0 ≤0.0005:11 ≤0.001:27 ≤0.005:100 +Inf:100. Median: rank 50 lies
    // in (0.001, 0.005] holding 73 observations, 23 of them below rank: 0.001 + 0.004·23/73.
    close(
      histogramQuantile(samples, 'hotswap_hotspot_seconds', 0.5, { impl: 'go' }),
      0.001 + (0.004 * 23) / 73,
    );
    // Both series summed per le: 1, 52, 118, 200, 200. p50: 0.0005 + 0.0005·48/66; p99: 0.001 + 0.004·80/82.
    close(histogramQuantile(samples, 'hotswap_hotspot_seconds', 0.5), 0.0005 + (0.0005 * 48) / 66);
    close(histogramQuantile(samples, 'hotswap_hotspot_seconds', 0.99), 0.001 + (0.004 * 80) / 82);
    close(histogramQuantile(samples, 'hotswap_hotspot_seconds', 1), 0.005);
    // Lowest bucket starts at 0: rust rank 0.5 of 1 in (0, 0.0001].
    close(histogramQuantile(samples, 'hotswap_hotspot_seconds', 0.005, { impl: 'rust' }), 0.00005);
    assert.ok(Number.isNaN(histogramQuantile(samples, 'no_such', 0.5)));
    assert.equal(histogramQuantile(samples, 'hotswap_hotspot_seconds', 1.5), Infinity);
  });

  it('returns the highest finite bound when the rank falls in the +Inf bucket', () => {
    const s = readPrometheusText('h_bucket{le="1"} 1\nh_bucket{le="2"} 2\nh_bucket{le="+Inf"} 10\n');
    assert.equal(histogramQuantile(s, 'h', 0.9), 2);
  });

  it('reads escapes, special values and timestamps', () => {
    const s = readPrometheusText(
      'm{a="x\\"y",b="line\\nnext",c="back\\\\slash",} NaN 1700000000000\nn +Inf\no -Inf\np 1.5e3\n# EOF\n',
    );
    assert.deepEqual(s[0]!.labels, { a: 'x"y', b: 'line\nnext', c: 'back\\slash' });
    assert.ok(Number.isNaN(s[0]!.value));
    assert.equal(s[0]!.timestampMs, 1700000000000);
    assert.deepEqual(
      s.slice(1).map((x) => x.value),
      [Infinity, -Infinity, 1500],
    );
  });

  it('rejects bad lines with file:line and the reason', () => {
    const cases: [string, RegExp][] = [
      ['ok 1\nbar garbage\n', /^scrape\.prom:2: non-numeric value "garbage"$/],
      ['baz{ 2\n', /^scrape\.prom:1: bad label name/],
      ['q{a="open} 1\n', /^scrape\.prom:1: unterminated value of label a/],
      ['{a="b"} 1\n', /^scrape\.prom:1: not a Prometheus sample line/],
      ['r 1 2 3\n', /^scrape\.prom:1: expected a value/],
      ['s\n', /^scrape\.prom:1: expected a value/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => readPrometheusText(text, 'scrape.prom'),
        (err: unknown) => err instanceof InputError && message.test(err.message),
        text,
      );
    }
  });
});

describe('parsePrometheusFile on a missing file', () => {
  it('throws an InputError that keeps the ENOENT code (callers skip missing optional scrapes)', async () => {
    await assert.rejects(parsePrometheusFile('/nonexistent/metrics-after.prom'), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal((err as NodeJS.ErrnoException).code, 'ENOENT');
      assert.equal(err.message, '/nonexistent/metrics-after.prom: cannot read (no such file)');
      return true;
    });
  });
});
