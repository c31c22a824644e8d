import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const K6 = join(import.meta.dirname, '..', 'fixtures', 'k6');

describe('hotswap compare', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotswap-compare-'));
    await writeFile(
      join(dir, 'old.txt'),
      '# p99 per run, ms\n10.1\n10.5\n9.8\n10.2\n10.9\n10.4\n10.0\n10.6\n',
    );
    await writeFile(join(dir, 'new.txt'), '9.1\n9.5\n9.0\n9.4\n\n9.9\n9.2\n9.3\n9.6\n');
    await writeFile(join(dir, 'same.txt'), '10.0\n10.4\n9.9\n10.3\n10.8\n10.5\n10.1\n10.7\n');
    await writeFile(join(dir, 'bad.txt'), '1.0\n2.0\nfast\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('prints old, new, the change and p with n for a significant change (numbers files)', async () => {
    const io = memoryIo({ cwd: dir });
    assert.equal(await main(['compare', join(dir, 'old.txt'), join(dir, 'new.txt')], io), 0);
    assert.match(io.out(), /median\s+10\.3\s+9\.35\s+-9\.22% \(p=3\.108e-4 n=8\+8\)/);
    assert.match(io.out(), /Mann-Whitney U=63 \(exact\)/);
  });

  it('prints ~ when the change is not significant', async () => {
    const io = memoryIo();
    await main(['compare', join(dir, 'old.txt'), join(dir, 'same.txt')], io);
    assert.match(io.out(), /median\s+\S+\s+\S+\s+~ \(p=/);
  });

  it('--json prints exactly the contract document (baseline, candidate, mannWhitney, welch, hodgesLehmann, cliffsDelta)', async () => {
    const io = memoryIo();
    assert.equal(await main(['compare', join(dir, 'old.txt'), join(dir, 'new.txt'), '--json'], io), 0);
    const doc = JSON.parse(io.out());
    assert.deepEqual(Object.keys(doc), [
      'baseline',
      'candidate',
      'mannWhitney',
      'welch',
      'hodgesLehmann',
      'cliffsDelta',
    ]);
    assert.deepEqual(Object.keys(doc.baseline.quantiles), ['0.5', '0.9', '0.95', '0.99', '0.999']);
    assert.equal(doc.baseline.n, 8);
    assert.equal(doc.mannWhitney.u, 63);
    assert.equal(doc.mannWhitney.method, 'exact');
    assert.ok(doc.welch.t > 0, 't is of mean(A) − mean(B)');
    assert.ok(doc.hodgesLehmann < 0 && doc.cliffsDelta < 0, 'B is lower than A');
    assert.equal(io.err(), '');
  });

  it('compares k6 runs per endpoint as well as over all requests', async () => {
    const io = memoryIo();
    assert.equal(await main(['compare', join(K6, 'small.csv'), join(K6, 'run.csv.gz'), '--json'], io), 0);
    const doc = JSON.parse(io.out());
    assert.ok(doc.endpoints.scan.baseline.n > 0 && doc.endpoints.scan.candidate.n > 0);
    const total = Object.values(doc.endpoints as Record<string, { baseline: { n: number } }>).reduce(
      (s, e) => s + e.baseline.n,
      0,
    );
    assert.equal(total, doc.baseline.n);
    const text = memoryIo();
    await main(['compare', join(K6, 'small.csv'), join(K6, 'run.csv.gz')], text);
    assert.match(text.out(), /endpoint scan: old/);
  });

  it('warns that one k6 run per side cannot separate run-to-run noise', async () => {
    const io = memoryIo();
    assert.equal(await main(['compare', join(K6, 'small.csv'), join(K6, 'small.json.gz'), '--json'], io), 0);
    const doc = JSON.parse(io.out());
    assert.equal(doc.warnings[0].code, 'single-run-per-side');
    assert.equal(doc.unit, 'ms');
    assert.equal(doc.baseline.n, doc.candidate.n, 'the CSV and JSON fixtures hold the same run');
    const text = memoryIo();
    await main(['compare', join(K6, 'small.csv'), join(K6, 'small.json.gz')], text);
    assert.match(text.err(), /one run per side cannot separate run-to-run noise/);
  });

  it('names the file and line of a bad value and exits 2', async () => {
    const io = memoryIo();
    assert.equal(await main(['compare', join(dir, 'old.txt'), join(dir, 'bad.txt')], io), 2);
    assert.match(io.err(), /bad\.txt:3: not a number: "fast"/);
    assert.equal(io.err().split('\n').length, 2, 'one line, no stack');
  });

  it('names a missing file and a bad --alpha, exit 2', async () => {
    const io = memoryIo();
    assert.equal(await main(['compare', join(dir, 'old.txt'), join(dir, 'missing.txt')], io), 2);
    assert.match(io.err(), /missing\.txt: cannot read: no such file/);
    const alpha = memoryIo();
    assert.equal(
      await main(['compare', join(dir, 'old.txt'), join(dir, 'new.txt'), '--alpha', '5'], alpha),
      2,
    );
    assert.match(alpha.err(), /--alpha: expected a probability/);
  });

  it('--help teaches with examples', async () => {
    const io = memoryIo();
    assert.equal(await main(['compare', '--help'], io), 0);
    assert.match(io.out(), /Examples:\n\s+hotswap compare old-p99s\.txt new-p99s\.txt/);
  });
});
