import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { spawnChild } from '../../../src/drivers/index.js';
import { parseOsRaw } from '../../../src/ingest/os.js';
import { osGatherer } from '../../../src/trial/os/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hotswap-os-gatherer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('OS gatherer', () => {
  it('writes a raw os.json that the ingest reader accepts, from /proc of a live busy process', async () => {
    const child = spawnChild({
      command: ['sh', '-c', 'i=0; while [ $i -lt 50000000 ]; do i=$((i+1)); done'],
    });
    try {
      const g = osGatherer({ intervalMs: 50 });
      assert.equal(await g.before({ pid: child.pid }), undefined);
      await delay(400);
      const { raw, warning } = await g.after(join(dir, 'os.json'));
      assert.equal(warning, undefined);
      const back = parseOsRaw(readFileSync(join(dir, 'os.json'), 'utf8'), 'os.json');
      assert.deepEqual(back, raw);
      assert.equal(back.sources.cpu, 'proc');
      assert.ok(back.cpuSeconds > 0.05, `${back.cpuSeconds} s of CPU in 0.4 s of a busy loop`);
      assert.ok(back.samples.length >= 3);
    } finally {
      await child.stop(500);
    }
  });

  it('fails locally: after without before, or a bad target, is a warning, not a throw', async () => {
    const g = osGatherer();
    assert.match((await g.after(join(dir, 'x.json'))).warning ?? '', /no before reading/);
    assert.match((await g.before({ pid: 1 })) ?? '', /could not start: not a service pid: 1/);
    const gone = {
      memory: false,
      resetPeak: async () => false,
      read: () => Promise.reject(new Error('gone')),
    };
    assert.match(
      (await g.before({ pid: 999_999_999, cgroup: gone as never })) ?? '',
      /could not start: gone/,
    );
  });

  it('rejects a raw file with a bad field, naming file and field', () => {
    assert.throws(
      () => parseOsRaw('{"schema":"hotswap.os/1"}', 'raw/r1/os.json'),
      /^InputError: raw\/r1\/os\.json: pid: /,
    );
    assert.throws(() => parseOsRaw('nope', 'os.json'), /os\.json: not JSON/);
  });
});
