import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { fixture } from './reference.js';

/**
 * Bad driver output through the real CLI (`hotswap analyze` reads every run with readSampleFiles): exit 2,
 * one line naming file and line, no stack trace. Uses a copy of the tiny trial fixture with one k6 file
 * damaged in each way the issue lists.
 */
const damagedTrial = (damage: (gz: Buffer) => Buffer): { dir: string; file: string } => {
  const dir = join(mkdtempSync(join(tmpdir(), 'hotswap-ingest-cli-')), 'trial');
  cpSync(fixture('trials/tiny'), dir, { recursive: true });
  const file = join(dir, 'raw/r000-baseline-steady/k6.csv.gz');
  writeFileSync(file, damage(readFileSync(file)));
  return { dir, file };
};

describe('ingest errors through the CLI', () => {
  const cases: [string, (gz: Buffer) => Buffer, RegExp][] = [
    ['a truncated gzip', (gz) => gz.subarray(0, gz.length >> 1), /:\d+: truncated gzip stream/],
    [
      'a malformed line',
      () => Buffer.from('metric_name,timestamp,metric_value\nhttp_req_duration,1\n'),
      /:2: malformed k6 CSV line/,
    ],
    ['an unknown format', () => Buffer.from('<html></html>\n'), /:1: unknown format/],
    [
      'an empty run',
      () => Buffer.from('metric_name,timestamp,metric_value\n'),
      /no requests in the run \(empty run\)/,
    ],
    [
      'a non-numeric value',
      () => Buffer.from('metric_name,timestamp,metric_value\nhttp_req_duration,1795302174531591,fast\n'),
      /:2: non-numeric metric_value "fast"/,
    ],
    [
      'a negative start lateness',
      () =>
        Buffer.from(
          'metric_name,timestamp,metric_value\nhttp_req_duration,1795302174531591,2.5\nstart_lateness_ms,1795302174531000,-3.000000\n',
        ),
      /:3: impossible start lateness -3 ms/,
    ],
  ];
  for (const [what, damage, message] of cases) {
    it(`exits 2 with one line naming the file for ${what}`, async () => {
      const { dir, file } = damagedTrial(damage);
      const io = memoryIo();
      const code = await main(['analyze', dir], io);
      const errLines = io
        .err()
        .split('\n')
        .filter((l) => l && !l.startsWith('analyze: reading'));
      assert.equal(code, 2, io.err());
      assert.equal(errLines.length, 1, io.err());
      assert.ok(errLines[0]!.startsWith(`hotswap: ${file}`), errLines[0]);
      assert.match(errLines[0]!, message);
      assert.doesNotMatch(io.err(), /\n\s+at /, 'no stack trace');
      assert.equal(io.out(), '');
    });
  }
});

describe('ingest errors through `hotswap stats summarize`', () => {
  const cases: [string, Buffer, RegExp][] = [
    [
      'a truncated gzip',
      readFileSync(fixture('k6/run.csv.gz')).subarray(0, 9000),
      /:\d+: truncated gzip stream/,
    ],
    [
      'a malformed line',
      Buffer.from('metric_name,timestamp,metric_value\nhttp_req_duration,1\n'),
      /:2: malformed k6 CSV line/,
    ],
    ['an unknown format', Buffer.from('{"hello":"world"}\n'), /:1: unknown format/],
    ['an empty run', Buffer.from('metric_name,timestamp,metric_value\n'), /empty run/],
    ['a non-numeric number', Buffer.from('1.5\n2\nfast\n'), /:3: not a number: "fast"/],
  ];
  for (const [what, content, message] of cases) {
    it(`exits 2 with one line naming the file for ${what}`, async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'hotswap-ingest-cli-')), 'sample.out');
      writeFileSync(file, content);
      const io = memoryIo();
      const code = await main(['stats', 'summarize', file], io);
      assert.equal(code, 2, io.err());
      const lines = io.err().split('\n').filter(Boolean);
      assert.equal(lines.length, 1, io.err());
      assert.ok(lines[0]!.startsWith(`hotswap: ${file}`), lines[0]);
      assert.match(lines[0]!, message);
      assert.doesNotMatch(io.err(), /\n\s+at /, 'no stack trace');
      assert.equal(io.out(), '');
    });
  }
});
