import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSampleFiles } from '../../src/ingest/index.js';
import { InputError } from '../../src/model/index.js';
import { fixture, refCsv } from './reference.js';

const SEGMENTS = [fixture('k6/segment-1.csv.gz'), fixture('k6/segment-2.csv.gz')];

describe('readSampleFiles: one run from several files', () => {
  it('merges two execution segments of one k6 run into one set ordered by time', async () => {
    const refs = SEGMENTS.map((p) => refCsv(p));
    const set = await readSampleFiles(SEGMENTS, { runId: 'r001' });
    assert.equal(set.runId, 'r001');
    assert.equal(set.n, refs[0]!.requests.length + refs[1]!.requests.length);
    for (let i = 1; i < set.n; i++)
      assert.ok(set.timestampMs[i]! >= set.timestampMs[i - 1]!, `row ${i} out of order`);
    const all = refs.flatMap((r) => r.requests).sort((a, b) => a.tsMs - b.tsMs);
    assert.deepEqual(
      [...set.latencyMs],
      all.map((r) => r.latencyMs),
    );
    // Both files interleave in time (they ran at once), so the merge really had to reorder.
    const firstOf2 = refs[1]!.requests[0]!.tsMs;
    assert.ok(refs[0]!.requests.some((r) => r.tsMs > firstOf2));
  });

  it('joins custom metrics within each file only (VU 1 exists in both segments)', async () => {
    const set = await readSampleFiles(SEGMENTS);
    const refs = SEGMENTS.map((p) => refCsv(p));
    const byTime = new Map<number, string | undefined>();
    for (const r of refs) for (const q of r.requests) byTime.set(q.tsMs, r.impl.get(q.rid));
    for (let i = 0; i < set.n; i++) {
      const impl = set.impl[i] === 0xff ? undefined : set.impls[set.impl[i]!];
      assert.equal(impl, byTime.get(set.timestampMs[i]!));
    }
  });

  it('trims warm-up from the earliest request over all files', async () => {
    const refs = SEGMENTS.map((p) => refCsv(p));
    const all = refs.flatMap((r) => r.requests);
    const t0 = Math.min(...all.map((r) => r.tsMs));
    const expected = all.filter((r) => r.tsMs >= t0 + 1000).length;
    const set = await readSampleFiles(SEGMENTS, { warmupSeconds: 1 });
    assert.equal(set.n, expected);
    assert.ok(expected < all.length && expected > 0);
    assert.ok(set.timestampMs[0]! >= t0 + 1000);
    const dropped = refs.flatMap((r) => r.dropped).filter((d) => d.tsMs >= t0 + 1000).length;
    assert.equal(set.droppedIterations, dropped);
    const served = refs.flatMap((r) => r.served).filter((s) => s.tsMs >= t0 + 1000).length;
    assert.equal(
      (set.implServed ?? []).reduce((a, r) => a + r.served, 0),
      served,
    );
  });

  it('accepts the CSV of one pod next to the JSON of another', async () => {
    const set = await readSampleFiles([fixture('k6/small.csv'), fixture('k6/run.json.gz')]);
    const a = await readSampleFiles([fixture('k6/small.csv')]);
    const b = await readSampleFiles([fixture('k6/run.json.gz')]);
    assert.equal(set.n, a.n + b.n);
  });

  it('rejects unknown formats, number files, empty files, no files and a warm-up longer than the run', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hotswap-ingest-'));
    const file = (name: string, content: string) => {
      writeFileSync(join(d, name), content);
      return join(d, name);
    };
    const cases: [string[], RegExp, object?][] = [
      [[file('page.html', '<html>\n')], /page\.html:1: unknown format/],
      [[file('nums.txt', '1\n2\n')], /nums\.txt:1: a file of numbers, not driver output/],
      [[file('empty.csv', '')], /empty\.csv: empty file/],
      [[], /no driver output files given/],
      [[fixture('k6/small.csv')], /no requests after the 60 s warm-up/, { warmupSeconds: 60 }],
      [[fixture('k6/small.csv')], /warm-up must be a number of seconds/, { warmupSeconds: -1 }],
    ];
    for (const [paths, message, opts] of cases) {
      await assert.rejects(readSampleFiles(paths, opts), (err: unknown) => {
        assert.ok(err instanceof InputError, String(err));
        assert.match(err.message, message);
        assert.ok(!err.message.includes('\n'));
        return true;
      });
    }
  });
});
