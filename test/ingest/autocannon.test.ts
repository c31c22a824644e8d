import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readSampleFiles } from '../../src/ingest/index.js';
import { fixture } from './reference.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'hotswap-ingest-'));

describe('autocannon raw NDJSON reader', () => {
  it('reads every response of a real autocannon run with its latency, time and status', async () => {
    const lines = readFileSync(fixture('autocannon/scan.ndjson'), 'utf8').split('\n').filter(Boolean);
    const records = lines.map((l) => JSON.parse(l)).sort((a, b) => a.t - b.t);
    const set = await readSampleFiles([fixture('autocannon/scan.ndjson')]);
    assert.equal(set.n, records.length);
    assert.equal(set.n, 200);
    for (let i = 0; i < set.n; i++) {
      assert.equal(set.timestampMs[i], records[i].t);
      assert.equal(set.latencyMs[i], records[i].latencyMs);
      assert.equal(set.status[i], records[i].status);
    }
    assert.deepEqual(set.endpoints, ['scan']);
    assert.equal(set.droppedIterations, 0);
  });

  it('keeps optional impl and hotspotMs per request and marks status 0 as failed', async () => {
    const dir = tmp();
    const path = join(dir, 'a.ndjson.gz');
    const rows = [
      { t: 1000, latencyMs: 1.5, status: 200, endpoint: 'scan', impl: 'rust', hotspotMs: 0.4 },
      { t: 1001, latencyMs: 2.5, status: 0, endpoint: 'scan', error: 'ECONNRESET' },
    ];
    writeFileSync(path, gzipSync(rows.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    const set = await readSampleFiles([path]);
    assert.equal(set.impls[set.impl[0]!], 'rust');
    assert.equal(set.hotspotMs[0], 0.4);
    assert.deepEqual([...set.failed], [0, 1]);
    assert.deepEqual(set.implServed, [
      { endpoint: 'scan', impl: 'rust', served: 1, hotspotSamples: 1, hotspotMsSum: 0.4 },
    ]);
  });

  it('names file and line of a record with a missing or non-numeric field', async () => {
    const dir = tmp();
    const path = join(dir, 'bad.ndjson');
    writeFileSync(
      path,
      '{"t":1,"latencyMs":1,"status":200,"endpoint":"a"}\n{"t":2,"latencyMs":"slow","status":200}\n',
    );
    await assert.rejects(
      readSampleFiles([path]),
      new RegExp(`^InputError: ${path}:2: autocannon record: "latencyMs" must be a number, got "slow"$`),
    );
  });
});
