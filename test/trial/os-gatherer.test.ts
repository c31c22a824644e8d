import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseOsRaw } from '../../src/ingest/os.js';
import type { Warning } from '../../src/model/index.js';
import { runPaths } from '../../src/store/index.js';
import {
  gatherAround,
  startService,
  type GatherContext,
  type RunningService,
} from '../../src/trial/index.js';
import { osTrialGatherer } from '../../src/trial/os-gatherer.js';
import { randomPort, standInPlan } from './helpers.js';

const ctxFor = (trialDir: string, service: RunningService, kind?: 'url'): GatherContext => {
  const plan = standInPlan(randomPort());
  if (kind)
    plan.configurations.baseline = { kind: 'url', name: 'x', url: 'http://127.0.0.1:1', healthPath: '/' };
  return {
    plan,
    runId: 'r000-baseline-steady',
    role: 'baseline',
    phase: plan.phases[0]!,
    plannedSeconds: 1,
    trialDir,
    paths: runPaths('r000-baseline-steady'),
    service,
    trialSignal: new AbortController().signal,
  };
};

describe('the OS sampler as a trial gatherer', () => {
  it("measures a service hotswap started: os.json in raw.gathered, CPU of the busy service's tree", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-osg-'));
    const port = randomPort();
    // A command service that burns CPU while it serves: the OS must see it without any /metrics.
    const server = `require('http').createServer((q,s)=>s.end('ok')).listen(${port},'127.0.0.1');setInterval(()=>{const t=Date.now();while(Date.now()-t<20);},25)`;
    const service = await startService({
      role: 'baseline',
      spec: {
        kind: 'command',
        name: 'busy',
        command: ['node', '-e', server],
        url: `http://127.0.0.1:${port}`,
        healthPath: '/',
      },
      logFile: join(dir, 'service.log'),
      adminToken: 't',
      seed: 1,
      signal: new AbortController().signal,
    });
    try {
      const warnings: Warning[] = [];
      const g = await gatherAround(
        [osTrialGatherer],
        ctxFor(dir, service),
        () => new Promise((r) => setTimeout(r, 1000)),
        (w) => warnings.push(w),
      );
      assert.deepEqual(warnings, []);
      assert.equal(g.gathered.length, 1);
      assert.equal(g.gathered[0]?.gatherer, 'os');
      assert.equal(g.gathered[0]?.path, 'raw/r000-baseline-steady/os.json');
      const raw = parseOsRaw(readFileSync(join(dir, g.gathered[0]!.path), 'utf8'), 'os.json');
      assert.equal(raw.sources.cpu, service.cgroup && !('reason' in service.cgroup) ? 'cgroup' : 'proc');
      assert.ok(raw.cpuSeconds > 0.2 && raw.cpuSeconds < 2, `about 0.8 s of CPU in 1 s: ${raw.cpuSeconds}`);
      assert.ok((raw.rssBytesPeak ?? 0) > 10e6, 'node uses more than 10 MB');
    } finally {
      await service.stop(1000);
    }
  });

  it('says why a service it did not start (kind url) has no OS figures, and writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-osg-'));
    const service: RunningService = {
      baseUrl: 'http://127.0.0.1:1',
      stop: async () => {},
      died: () => undefined,
    };
    const warnings: Warning[] = [];
    const g = await gatherAround(
      [osTrialGatherer],
      ctxFor(dir, service, 'url'),
      async () => 0,
      (w) => warnings.push(w),
    );
    assert.deepEqual(g.gathered, []);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['no-os-figures'],
    );
    assert.match(warnings[0]?.message ?? '', /kind url/);
  });
});
