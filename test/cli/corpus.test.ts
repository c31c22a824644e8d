import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

describe('hotswap corpus', () => {
  it('writes COUNT NDJSON lines and a JSON summary, the same for the same seed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-corpus-'));
    const io = memoryIo({ cwd: dir });
    assert.equal(
      await main(['corpus', '--seed', '9', '--count', '150', '--out', 'a.ndjson', '--json'], io),
      0,
    );
    const summary = JSON.parse(io.out()) as { count: number; endpoints: Record<string, number> };
    assert.equal(summary.count, 150);
    const a = await readFile(join(dir, 'a.ndjson'), 'utf8');
    const lines = a.trimEnd().split('\n');
    assert.equal(lines.length, 150);
    for (const line of lines) assert.ok((JSON.parse(line) as { method: string }).method);
    assert.equal(
      await main(['corpus', '--seed', '9', '--count', '150', '--out', 'b.ndjson'], memoryIo({ cwd: dir })),
      0,
    );
    assert.equal(await readFile(join(dir, 'b.ndjson'), 'utf8'), a);
  });

  it('exits 2 naming the flag for a bad --count or --mix', async () => {
    const io = memoryIo();
    assert.equal(await main(['corpus', '--seed', '1', '--count', 'many', '--out', '/tmp/x'], io), 2);
    assert.match(io.err(), /--count: expected a whole number/);
    const io2 = memoryIo();
    assert.equal(
      await main(['corpus', '--seed', '1', '--count', '5', '--mix', 'scan:5', '--out', '/tmp/x'], io2),
      2,
    );
    assert.match(io2.err(), /--mix: expected name=weight/);
  });
});
