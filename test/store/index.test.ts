import assert from 'node:assert/strict';
import { mkdtemp, open, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../src/model/index.js';
import {
  newTrialId,
  readManifest,
  runPaths,
  trialPaths,
  writeFileAtomic,
  writeJsonAtomic,
  writeLinesAtomic,
} from '../../src/store/index.js';

const tmp = () => mkdtemp(join(tmpdir(), 'hotswap-store-'));

describe('store', () => {
  it('lays out the trial folder as the contract says', () => {
    const p = trialPaths('/r/t1');
    assert.equal(p.plan, '/r/t1/plan.json');
    assert.equal(p.manifest, '/r/t1/manifest.json');
    assert.equal(p.runDir('r001-baseline-steady'), '/r/t1/raw/r001-baseline-steady');
    assert.equal(p.reportJson, '/r/t1/report.json');
    assert.equal(runPaths('r1').serviceLog, 'raw/r1/service.log');
  });

  it('makes trial ids that sort by time and carry the plan name', () => {
    const id = newTrialId(new Date('2026-11-21T23:05:12.345Z'), 'Quick: reference!');
    assert.equal(id, '20261121-230512-quick-reference');
  });

  it('writes atomically, creates the folder and leaves no temporary file', async () => {
    const dir = await tmp();
    const path = join(dir, 'a', 'b.json');
    await writeJsonAtomic(path, { x: 1 });
    await writeJsonAtomic(path, { x: 2 });
    assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { x: 2 });
    assert.deepEqual(await readdir(join(dir, 'a')), ['b.json']);
    await writeFileAtomic(join(dir, 'c.txt'), 'hello');
    assert.equal(await readFile(join(dir, 'c.txt'), 'utf8'), 'hello');
  });

  it('fsyncs the temporary file before the rename, and the directory after (JSON and streamed lines)', async (t) => {
    const dir = await tmp();
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const sync = t.mock.method(proto, 'sync');
    await writeJsonAtomic(join(dir, 'm.json'), { x: 1 });
    assert.ok(sync.mock.callCount() >= 2, `sync called ${sync.mock.callCount()} times (file + directory)`);
    sync.mock.resetCalls();
    await writeLinesAtomic(join(dir, 'c.ndjson'), ['a', 'b']);
    assert.ok(sync.mock.callCount() >= 2, `sync called ${sync.mock.callCount()} times (file + directory)`);
    assert.equal(await readFile(join(dir, 'c.ndjson'), 'utf8'), 'a\nb\n');
  });

  it('reads a manifest back and names the field that is wrong', async () => {
    const dir = await tmp();
    const manifest = {
      schemaVersion: 1,
      trialId: 't',
      createdAt: '2026-01-01T00:00:00Z',
      planFrozenAt: '2026-01-01T00:00:00Z',
      status: 'complete',
      environment: { cpus: 1, node: 'v20', pinned: false, targetHost: '127.0.0.1' },
      runs: [
        {
          id: 'r1',
          role: 'baseline',
          configurationName: 'a',
          phase: 'p',
          scenario: 'steady',
          repetition: 1,
          order: 0,
          driver: 'k6',
          driverVersion: 'k6',
          status: 'ok',
          warmupSeconds: 0,
          generator: { limited: false },
          raw: { outputs: [], logs: [] },
          warnings: [],
        },
      ],
    };
    await writeJsonAtomic(trialPaths(dir).manifest, manifest);
    assert.equal((await readManifest(dir)).runs[0]?.id, 'r1');
    await writeFile(trialPaths(dir).manifest, JSON.stringify({ ...manifest, runs: [{ id: 'r1' }] }));
    await assert.rejects(
      readManifest(dir),
      (e: Error) =>
        e instanceof InputError &&
        /manifest\.json: runs\[0\]\.role: missing; expected one of "baseline", "candidate"/.test(e.message),
    );
  });

  it('says when a folder has no manifest', async () => {
    const dir = await tmp();
    await assert.rejects(readManifest(dir), /no manifest\.json here/);
  });

  it('says when the manifest is not JSON', async () => {
    const dir = await tmp();
    await writeFile(trialPaths(dir).manifest, '{oops');
    await assert.rejects(readManifest(dir), /manifest\.json: not valid JSON/);
  });
});
