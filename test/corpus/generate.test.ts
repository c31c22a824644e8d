import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quantile } from 'simple-statistics';
import { generateCorpus, MESSY_KINDS, type CorpusRequest } from '../../src/corpus/index.js';

const take = (seed: number, count: number, extra: object = {}): CorpusRequest[] => [
  ...generateCorpus({ seed, count, ...extra }),
];

describe('corpus generator', () => {
  it('gives the same requests for the same seed and different ones for another seed', () => {
    assert.deepEqual(take(42, 200), take(42, 200));
    assert.notDeepEqual(take(42, 200), take(43, 200));
  });

  it('follows the endpoint mix by weight (60/30/10 within sampling error)', () => {
    const reqs = take(1, 5000, { messyShare: 0 });
    const share = (e: string) => reqs.filter((r) => r.endpoint === e).length / reqs.length;
    // 4 standard errors of a binomial share at n = 5000 is ≤ 0.028.
    assert.ok(Math.abs(share('scan') - 0.6) < 0.028, `scan ${share('scan')}`);
    assert.ok(Math.abs(share('fields') - 0.3) < 0.026, `fields ${share('fields')}`);
    assert.ok(Math.abs(share('orders') - 0.1) < 0.017, `orders ${share('orders')}`);
  });

  it('draws heavy-tailed scan bodies: p99 about 10× the median', () => {
    const sizes = take(2, 8000, { messyShare: 0, mix: { scan: 1 } }).map((r) =>
      Buffer.byteLength(r.body ?? ''),
    );
    const ratio = quantile(sizes, 0.99) / quantile(sizes, 0.5);
    assert.ok(ratio > 7.5 && ratio < 13, `p99/median = ${ratio}`);
    const median = quantile(sizes, 0.5);
    assert.ok(median > 6000 && median < 10000, `median ${median}`);
  });

  it('mixes in the configured share of messy input, of every kind', () => {
    const reqs = take(3, 4000, { messyShare: 0.05, maxBodyBytes: 20_000 });
    const messy = reqs.filter((r) => r.messy);
    assert.ok(
      Math.abs(messy.length / reqs.length - 0.05) < 0.015,
      `messy share ${messy.length / reqs.length}`,
    );
    for (const kind of MESSY_KINDS)
      assert.ok(
        messy.some((r) => r.messy === kind),
        `has ${kind}`,
      );
    assert.equal(take(3, 2000, { messyShare: 0 }).filter((r) => r.messy).length, 0);
  });

  it('makes each messy kind actually bad in its own way', () => {
    const reqs = take(4, 3000, { messyShare: 0.2, maxBodyBytes: 20_000 });
    const of = (k: string) => reqs.find((r) => r.messy === k) as CorpusRequest;
    assert.throws(() => JSON.parse(of('truncated-json').body ?? ''));
    const raw = Buffer.from(of('invalid-utf8').bodyBase64 ?? '', 'base64');
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(raw));
    assert.ok(Buffer.byteLength(of('oversized').body ?? '') > 20_000);
    assert.ok(
      Object.values(JSON.parse(of('long-string').body ?? '{}') as Record<string, string>).some(
        (v) => v.length >= 16_384,
      ),
    );
    assert.match(of('unicode').body ?? '', /[\u0080-\uffff]/);
  });

  it('writes valid JSON-safe requests: scan bodies are NDJSON, fields bodies are flat objects', () => {
    for (const r of take(5, 300, { messyShare: 0 })) {
      if (r.endpoint === 'scan') for (const line of (r.body ?? '').trim().split('\n')) JSON.parse(line);
      if (r.endpoint === 'fields') {
        const obj = JSON.parse(r.body ?? '') as Record<string, unknown>;
        assert.ok(Object.keys(obj).length >= 16 && Object.values(obj).every((v) => typeof v === 'string'));
      }
      if (r.endpoint === 'orders') assert.match(r.path, /^\/v1\/orders\/\d+$/);
    }
  });
});
