import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startService } from '../../src/trial/service.js';

describe('startService (reference kind)', () => {
  const dirs: string[] = [];
  after(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('passes serviceArgs through and finds the pprof listener the service prints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-svc-'));
    dirs.push(dir);
    const svc = await startService({
      role: 'baseline',
      spec: { kind: 'reference', name: 'pure Go', build: 'baseline' },
      logFile: join(dir, 'service.log'),
      adminToken: 't0ken',
      seed: 1,
      signal: new AbortController().signal,
      serviceArgs: ['-pprof-addr', '127.0.0.1:0', '-breaker-open-for', '5s'],
    });
    try {
      assert.match(svc.pprofUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/$/);
      assert.notEqual(new URL(svc.pprofUrl ?? '').port, new URL(svc.baseUrl).port);
      assert.equal((await fetch(svc.pprofUrl ?? '')).status, 200);
      assert.equal((await fetch(`${svc.baseUrl}/debug/pprof/`)).status, 404);
      const state = (await (
        await fetch(`${svc.baseUrl}/admin/hotspot`, { headers: { Authorization: 'Bearer t0ken' } })
      ).json()) as { breakerOpenForSeconds: number };
      assert.equal(state.breakerOpenForSeconds, 5);
    } finally {
      await svc.stop();
    }
  });

  it('leaves pprofUrl undefined without -pprof-addr', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-svc-'));
    dirs.push(dir);
    const svc = await startService({
      role: 'baseline',
      spec: { kind: 'reference', name: 'pure Go', build: 'baseline' },
      logFile: join(dir, 'service.log'),
      adminToken: 't0ken',
      seed: 1,
      signal: new AbortController().signal,
    });
    await svc.stop();
    assert.equal(svc.pprofUrl, undefined);
  });
});
