import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { forEachLine } from '../../src/ingest/lines.js';
import { readSampleFiles } from '../../src/ingest/index.js';
import { InputError } from '../../src/model/index.js';
import { fixture } from './reference.js';

const dir = () => mkdtempSync(join(tmpdir(), 'hotswap-ingest-'));
const collect = async (path: string) => {
  const lines: string[] = [];
  const stats = await forEachLine(path, (buf, s, e) => void lines.push(buf.toString('utf8', s, e)));
  return { lines, stats };
};

describe('line reader', () => {
  it('splits lines across chunk boundaries, strips CR and reports an unterminated last line', async () => {
    const path = join(dir(), 'a.txt');
    const long = 'x'.repeat(3 << 20);
    writeFileSync(path, `a\r\n${long}\nb\nlast`);
    const { lines, stats } = await collect(path);
    assert.deepEqual(lines, ['a', long, 'b', 'last']);
    assert.deepEqual(stats, { lines: 4, lastLineUnterminated: true });
  });

  it('reads gzip by its magic bytes, whatever the file is called', async () => {
    const path = join(dir(), 'no-suffix');
    writeFileSync(path, gzipSync('one\ntwo\n'));
    assert.deepEqual((await collect(path)).lines, ['one', 'two']);
  });

  it('turns a truncated gzip stream into an InputError naming the file and the line reached', async () => {
    const path = join(dir(), 'cut.csv.gz');
    const gz = readFileSync(fixture('k6/run.csv.gz'));
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
    await assert.rejects(readSampleFiles([path]), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.match(
        err.message,
        new RegExp(`^${path}:\\d+: truncated gzip stream \\(unexpected end of file\\)$`),
      );
      return true;
    });
  });

  it('turns a corrupt gzip stream and a missing file into InputErrors', async () => {
    const path = join(dir(), 'bad.gz');
    const gz = Buffer.from(readFileSync(fixture('k6/small.csv.gz')));
    gz.fill(0x55, 20, 200);
    writeFileSync(path, gz);
    await assert.rejects(
      collect(path),
      (err: unknown) => err instanceof InputError && /corrupt gzip stream/.test(err.message),
    );
    await assert.rejects(collect(join(dir(), 'missing.csv')), /missing\.csv: cannot read \(no such file\)/);
  });
});
