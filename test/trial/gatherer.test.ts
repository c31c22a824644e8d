import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Warning } from '../../src/model/index.js';
import { runPaths, writeFileAtomic } from '../../src/store/index.js';
import {
  gatherAround,
  gatherersFor,
  metricsGatherer,
  rawPathsOf,
  type GatherContext,
  type Gatherer,
} from '../../src/trial/index.js';
import { osTrialGatherer } from '../../src/trial/os-gatherer.js';
import { randomPort, standInPlan } from './helpers.js';

const ctxFor = (trialDir: string, metricsUrl?: string, plannedSeconds = 1): GatherContext => {
  const plan = standInPlan(randomPort());
  return {
    plan,
    runId: 'r000-baseline-steady',
    role: 'baseline',
    phase: plan.phases[0]!,
    plannedSeconds,
    trialDir,
    paths: runPaths('r000-baseline-steady'),
    service: { baseUrl: 'http://127.0.0.1:1', metricsUrl, stop: async () => {}, died: () => undefined },
    trialSignal: new AbortController().signal,
  };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('gatherAround (the gatherer lifecycle)', () => {
  it('calls before → during ∥ drive → after, in list order, and lists each file with its gatherer and hook', async () => {
    const log: string[] = [];
    const g = (name: string): Gatherer => ({
      name,
      before: async () => {
        log.push(`${name}.before`);
        return { files: [{ path: `${name}-before.txt` }] };
      },
      during: async (_ctx, signal) => {
        log.push(`${name}.during`);
        await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
        log.push(`${name}.during-end`);
        return { files: [{ path: `${name}-during.txt`, meta: { samples: 3 } }] };
      },
      after: async () => {
        log.push(`${name}.after`);
        return { files: [{ path: `${name}-after.txt` }] };
      },
    });
    const res = await gatherAround(
      [g('a'), g('b')],
      ctxFor('/nowhere'),
      async () => {
        log.push('drive');
        await sleep(20);
        log.push('drive-end');
        return 42;
      },
      () => assert.fail('no warnings expected'),
    );
    assert.equal(res.value, 42);
    assert.deepEqual(log, [
      'a.before',
      'b.before',
      'a.during',
      'b.during',
      'drive',
      'drive-end',
      'a.during-end',
      'b.during-end',
      'a.after',
      'b.after',
    ]);
    assert.deepEqual(
      res.gathered.map((f) => `${f.gatherer}/${f.hook}:${f.path}`),
      [
        'a/before:a-before.txt',
        'b/before:b-before.txt',
        'a/during:a-during.txt',
        'b/during:b-during.txt',
        'a/after:a-after.txt',
        'b/after:b-after.txt',
      ],
    );
    assert.deepEqual(res.gathered[2]!.meta, { samples: 3 });
  });

  it('a gatherer that throws in any hook (or never settles) is a warning; the others and the drive go on', async () => {
    const warnings: Warning[] = [];
    const bad = (hook: 'before' | 'during' | 'after'): Gatherer => ({
      name: `bad-${hook}`,
      [hook]: async () => {
        throw new Error(`${hook} broke`);
      },
    });
    const stuck: Gatherer = { name: 'stuck', settleMs: 50, during: () => new Promise(() => {}) };
    const syncThrow: Gatherer = {
      name: 'sync',
      during: () => {
        throw new Error('threw at once');
      },
    };
    const good: Gatherer = { name: 'good', after: async () => ({ files: [{ path: 'ok.txt' }] }) };
    const res = await gatherAround(
      [bad('before'), bad('during'), stuck, syncThrow, bad('after'), good],
      ctxFor('/nowhere'),
      async () => 'drove',
      (w) => warnings.push(w),
    );
    assert.equal(res.value, 'drove');
    assert.deepEqual(
      res.gathered.map((f) => f.path),
      ['ok.txt'],
    );
    assert.deepEqual(
      warnings.map((w) => `${w.code}: ${w.message}`),
      [
        'gatherer-failed: gatherer bad-before failed before the run: before broke',
        'gatherer-failed: gatherer bad-during failed during the run: during broke',
        "gatherer-failed: gatherer stuck failed during the run: did not finish within 0.05 s of the run's end",
        'gatherer-failed: gatherer sync failed during the run: threw at once',
        'gatherer-failed: gatherer bad-after failed after the run: after broke',
      ],
    );
  });

  it('when the drive throws, during is stopped and settled, after is skipped, and the error goes up', async () => {
    const log: string[] = [];
    const g: Gatherer = {
      name: 'g',
      during: async (_c, signal) => {
        await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
        log.push('during-settled');
      },
      after: async () => void log.push('after'),
    };
    await assert.rejects(
      gatherAround(
        [g],
        ctxFor('/nowhere'),
        () => Promise.reject(new Error('spawn k6 ENOENT')),
        () => {},
      ),
      /spawn k6 ENOENT/,
    );
    assert.deepEqual(log, ['during-settled']);
  });
});

describe('metricsGatherer', () => {
  it('writes before, during and after scrapes under their historical manifest fields, in that field order', async () => {
    let n = 0;
    const server = createServer((_req, res) => {
      n += 1;
      res.end(`# scrape ${n}\nhotswap_requests_total ${n}\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-gather-'));
    try {
      const ctx = ctxFor(dir, `http://127.0.0.1:${port}/metrics`, 1);
      const warnings: Warning[] = [];
      const res = await gatherAround(
        [metricsGatherer],
        ctx,
        () => sleep(2300),
        (w) => warnings.push(w),
      );
      assert.deepEqual(warnings, []);
      const raw = rawPathsOf(ctx.paths.serviceLog, res, { outputs: ['o'], logs: ['l'] });
      assert.deepEqual(Object.keys(raw), [
        'outputs',
        'logs',
        'metricsBefore',
        'metricsAfter',
        'metricsDuring',
      ]);
      assert.equal(raw.metricsBefore, 'raw/r000-baseline-steady/metrics-before.prom');
      assert.equal(raw.metricsAfter, 'raw/r000-baseline-steady/metrics-after.prom');
      assert.deepEqual(raw.metricsDuring, [
        'raw/r000-baseline-steady/metrics-during-000.prom',
        'raw/r000-baseline-steady/metrics-during-001.prom',
      ]);
      assert.deepEqual(raw.logs, ['raw/r000-baseline-steady/service.log', 'l']);
      assert.equal(raw.gathered, undefined, 'no raw.gathered when only the metrics gatherer ran');
      assert.match(readFileSync(join(dir, raw.metricsBefore), 'utf8'), /# scrape 1\n/);
      assert.match(readFileSync(join(dir, raw.metricsAfter), 'utf8'), /# scrape 4\n/);
    } finally {
      server.close();
    }
  });

  it('without a /metrics endpoint: a no-metrics warning, no files, an empty during list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-gather-'));
    const ctx = ctxFor(dir, undefined, 1);
    const warnings: Warning[] = [];
    const res = await gatherAround(
      [metricsGatherer],
      ctx,
      () => sleep(1200),
      (w) => warnings.push(w),
    );
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['no-metrics'],
    );
    assert.deepEqual(res.raw, { metricsDuring: [] });
    assert.equal(existsSync(join(dir, 'raw')), false);
  });

  it('a file-writing gatherer beside it shows up in raw.gathered only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-gather-'));
    const ctx = ctxFor(dir);
    const note: Gatherer = {
      name: 'note',
      after: async (c) => {
        const path = join(c.paths.dir, 'note.txt');
        await writeFileAtomic(join(c.trialDir, path), 'hello');
        return { files: [{ path }] };
      },
    };
    const res = await gatherAround(
      [metricsGatherer, note],
      ctx,
      async () => undefined,
      () => {},
    );
    const raw = rawPathsOf(ctx.paths.serviceLog, res, { outputs: [], logs: [], summary: 's.json' });
    assert.deepEqual(raw.gathered, [
      { gatherer: 'note', hook: 'after', path: 'raw/r000-baseline-steady/note.txt' },
    ]);
    assert.deepEqual(Object.keys(raw).slice(-2), ['gathered', 'summary']);
    assert.equal(readFileSync(join(dir, 'raw/r000-baseline-steady/note.txt'), 'utf8'), 'hello');
  });
});

describe('gatherersFor', () => {
  it('runs the /metrics scrapes, then the OS sampler, around every run of every plan', () => {
    assert.deepEqual(gatherersFor(standInPlan(randomPort())), [metricsGatherer, osTrialGatherer]);
  });
});
