import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { readSampleFiles } from '../../src/ingest/index.js';
import { parseDigest } from '../../src/ingest/k6-csv.js';

const fixture = (name: string): string => new URL(`../fixtures/k6/${name}`, import.meta.url).pathname;

/** Answers per line from a naive parse of every `response_digest` JSON point. */
const naive = (): Map<number, Map<string, number>> => {
  const out = new Map<number, Map<string, number>>();
  for (const line of gunzipSync(readFileSync(fixture('digests.json.gz')))
    .toString()
    .split('\n')) {
    if (!line.trim()) continue;
    const p = JSON.parse(line) as {
      type: string;
      metric: string;
      data: { value: number; metadata?: { digest?: string } };
    };
    if (p.type !== 'Point' || p.metric !== 'response_digest') continue;
    const m = out.get(p.data.value) ?? new Map<string, number>();
    const [status, digest] = p.data.metadata!.digest!.split(':');
    m.set(`${status} ${digest}`, (m.get(`${status} ${digest}`) ?? 0) + 1);
    out.set(p.data.value, m);
  }
  return out;
};

describe('response digests in k6 output (real k6 run, DIGESTS=1)', () => {
  it('the CSV and the JSON output of one run give the same answers per line as a naive parse', async () => {
    const csv = await readSampleFiles([fixture('digests.csv.gz')]);
    const json = await readSampleFiles([fixture('digests.json.gz')]);
    assert.ok(csv.digests && csv.digests.length === 12, 'every one of the 12 corpus lines answered');
    assert.deepEqual(csv.digests, json.digests);
    const want = naive();
    const total = [...want.values()].reduce((s, m) => s + [...m.values()].reduce((a, b) => a + b, 0), 0);
    assert.equal(total, csv.n, 'one digest per request');
    for (const l of csv.digests) {
      const got = new Map(l.answers.map((a) => [`${a.status} ${a.digest}`, a.count]));
      assert.deepEqual(got, want.get(l.line), `line ${l.line}`);
      assert.match(l.endpoint, /^(scan|fields|orders)$/);
      for (const a of l.answers) assert.match(a.digest, /^[0-9a-f]{16}$/);
    }
  });

  it('parses "status:digest" and refuses anything else', () => {
    assert.deepEqual(parseDigest('200:00ff'), { status: 200, digest: '00ff' });
    assert.deepEqual(parseDigest('0:-'), { status: 0, digest: '-' });
    for (const bad of [undefined, '', '200', ':abc', '200:', 'x:abc'])
      assert.equal(parseDigest(bad), undefined, String(bad));
  });
});
