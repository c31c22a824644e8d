import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readNumberFile } from '../../src/ingest/index.js';
import { InputError } from '../../src/model/index.js';

const write = (name: string, content: string | Buffer): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'hotswap-ingest-')), name);
  writeFileSync(path, content);
  return path;
};

describe('number files', () => {
  it('reads one number per line, skipping blank and # lines, with or without a final newline', async () => {
    const path = write('a.txt', '# latency ms\n1.5\n\n  2 \n3e2\r\n0.25\n.5');
    assert.deepEqual([...(await readNumberFile(path))], [1.5, 2, 300, 0.25, 0.5]);
  });

  it('refuses a negative value by default, naming file:line and the value', async () => {
    const path = write('d.txt', '1\n2\n  -0.25 \n');
    await assert.rejects(readNumberFile(path), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, new RegExp(`^${path}:3: negative value "-0.25": .*--signed`));
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  });

  it('reads negative values when signed (differences), and -0 either way', async () => {
    const path = write('e.txt', '-1.5\n2\n-3e2\n');
    assert.deepEqual([...(await readNumberFile(path, { signed: true }))], [-1.5, 2, -300]);
    assert.deepEqual([...(await readNumberFile(write('f.txt', '-0\n1\n')))], [-0, 1]);
  });

  it('refuses a non-finite value even when signed', async () => {
    await assert.rejects(
      readNumberFile(write('g.txt', '1\n-1e309\n'), { signed: true }),
      /:2: number out of range/,
    );
  });

  it('reads a gzip file of numbers', async () => {
    assert.deepEqual([...(await readNumberFile(write('a.txt.gz', gzipSync('4\n5\n'))))], [4, 5]);
  });

  it('rejects a non-numeric line naming file and line', async () => {
    const path = write('b.txt', '1\n2\n12ms\n');
    await assert.rejects(readNumberFile(path), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.message, `${path}:3: not a number: "12ms"`);
      assert.equal(err.exitCode, 2);
      return true;
    });
  });

  it('rejects a file with no numbers and a missing file', async () => {
    await assert.rejects(readNumberFile(write('c.txt', '# nothing\n\n')), /no numbers in the file/);
    await assert.rejects(
      readNumberFile('/nonexistent/x.txt'),
      /\/nonexistent\/x.txt: cannot read \(no such file\)/,
    );
  });
});
