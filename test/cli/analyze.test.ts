import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const TINY = join(import.meta.dirname, '..', 'fixtures', 'trials', 'tiny');

describe('hotswap analyze', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotswap-analyze-'));
    await cp(TINY, join(dir, 'tiny'), { recursive: true });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes report.json, prints the verdict and exits 4 for an inconclusive trial', async () => {
    const io = memoryIo({ cwd: dir });
    assert.equal(await main(['analyze', 'tiny'], io), 4);
    assert.match(io.out(), /INCONCLUSIVE/);
    assert.match(io.out(), /runs per arm would likely settle it/);
    assert.match(io.out(), /median change \(steady\): CPU\/request [−+]\d/);
    const report = JSON.parse(await readFile(join(dir, 'tiny', 'report.json'), 'utf8'));
    assert.equal(report.verdict.decision, 'inconclusive');
    assert.equal(typeof report.trial.analyzedAt, 'string');
    assert.match(io.err(), /reading r007-candidate-ramp \(8\/8\)/);
  });

  it('prints exactly one JSON document with --json', async () => {
    const io = memoryIo({ cwd: dir });
    assert.equal(await main(['analyze', join(dir, 'tiny'), '--json'], io), 4);
    const doc = JSON.parse(io.out());
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.verdict.decision, 'inconclusive');
  });

  it('exits 2 naming the file when the folder is not a trial', async () => {
    const io = memoryIo({ cwd: dir });
    assert.equal(await main(['analyze', 'nowhere'], io), 2);
    assert.match(io.err(), /nowhere.*plan\.json/);
    assert.equal(io.err().trim().split('\n').length, 1);
  });

  it('exits 2 naming the file and line of a corrupt scrape', async () => {
    const bad = join(dir, 'bad');
    await cp(TINY, bad, { recursive: true });
    await writeFile(
      join(bad, 'raw', 'r000-baseline-steady', 'metrics-after.prom'),
      'process_cpu_seconds_total abc\n',
    );
    const io = memoryIo({ cwd: dir });
    assert.equal(await main(['analyze', 'bad'], io), 2);
    assert.match(io.err(), /metrics-after\.prom:1/);
    assert.doesNotMatch(io.err(), /at .*\.ts:\d+/);
  });
});
