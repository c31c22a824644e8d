import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSampleFiles } from '../../src/ingest/index.js';
import { fixture } from './reference.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'hotswap-ingest-'));

/** Re-tags the first request of a real k6 output as a control call (`traffic=no`, as the rollback drill does). */
const firstRequestAsControl = (
  lines: string[],
  isDuration: (l: string) => boolean,
  retag: (l: string) => string,
) => {
  const at = lines.findIndex(isDuration);
  assert.ok(at > 0, 'fixture has a request');
  const out = [...lines];
  out[at] = retag(out[at]!);
  return out.join('\n');
};

describe('control calls tagged traffic=no (the rollback drill flipping the flag)', () => {
  it('are kept apart from a k6 CSV run: one request fewer, no "admin" endpoint, one control call', async () => {
    const dir = tmp();
    const lines = readFileSync(fixture('k6/small.csv'), 'utf8').split('\n');
    const text = firstRequestAsControl(
      lines,
      (l) => l.startsWith('http_req_duration,'),
      (l) => l.replace(/,endpoint=scan,/, ',endpoint=admin&traffic=no,'),
    );
    writeFileSync(join(dir, 'run.csv'), text);
    const whole = await readSampleFiles([fixture('k6/small.csv')]);
    const cut = await readSampleFiles([join(dir, 'run.csv')]);
    assert.equal(cut.n, whole.n - 1);
    assert.ok(!cut.endpoints.includes('admin'), `endpoints ${cut.endpoints}`);
    assert.deepEqual(
      cut.controlCalls?.map((c) => [c.endpoint, c.status, c.endMs > c.startMs]),
      [['admin', 200, true]],
    );
    assert.equal(whole.controlCalls, undefined);
  });

  it('are kept apart from a k6 JSON run the same way', async () => {
    const dir = tmp();
    const lines = readFileSync(fixture('k6/small.json'), 'utf8').split('\n');
    const text = firstRequestAsControl(
      lines,
      (l) => l.startsWith('{"metric":"http_req_duration","type":"Point"'),
      (l) => l.replace('"endpoint":"scan"', '"endpoint":"admin","traffic":"no"'),
    );
    writeFileSync(join(dir, 'run.json'), text);
    const whole = await readSampleFiles([fixture('k6/small.json')]);
    const cut = await readSampleFiles([join(dir, 'run.json')]);
    assert.equal(cut.n, whole.n - 1);
    assert.ok(!cut.endpoints.includes('admin'), `endpoints ${cut.endpoints}`);
    assert.deepEqual(
      cut.controlCalls?.map((c) => [c.endpoint, c.status, c.endMs > c.startMs]),
      [['admin', 200, true]],
    );
    assert.equal(whole.controlCalls, undefined);
  });
});
