import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectFormat } from '../../src/ingest/index.js';
import { fixture } from './reference.js';

describe('format detection by content', () => {
  it('recognises every real fixture, plain or gzip', async () => {
    const expected: [string, string][] = [
      ['k6/small.csv', 'k6-csv'],
      ['k6/small.csv.gz', 'k6-csv'],
      ['k6/small.json', 'k6-json'],
      ['k6/run.json.gz', 'k6-json'],
      ['autocannon/scan.ndjson', 'autocannon'],
      ['prometheus/go-client.prom', 'unknown'],
    ];
    for (const [rel, format] of expected) assert.equal(await detectFormat(fixture(rel)), format, rel);
  });

  it('recognises numbers after comments, and calls empty or foreign files unknown', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hotswap-ingest-'));
    const cases: [string, string][] = [
      ['# ms\n\n12.5\n', 'numbers'],
      ['', 'unknown'],
      ['<html>\n', 'unknown'],
      ['{"foo":1}\n', 'unknown'],
      ['{broken\n', 'unknown'],
    ];
    for (const [i, [content, format]] of cases.entries()) {
      const path = join(d, `f${i}`);
      writeFileSync(path, content);
      assert.equal(await detectFormat(path), format, JSON.stringify(content));
    }
  });
});
