import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateCorpus, toNdjsonLine } from '../../src/corpus/index.js';
import { k6Driver } from '../../src/drivers/index.js';
import { readSampleFiles } from '../../src/ingest/index.js';
import type { Plan, SampleSet } from '../../src/model/index.js';
import { testPlan } from '../helpers/plan.js';
import { writeLinesAtomic } from '../../src/store/index.js';
import { referenceBinary, runTrial, startService } from '../../src/trial/index.js';

/**
 * Integration: the real k6 against the real reference service in both builds (npm run setup builds them;
 * CI runs setup first). Short runs at 20 requests/s, under the pure-Go build’s knee on one core even on a
 * busy machine.
 */
const built = existsSync(referenceBinary('baseline')) && existsSync(referenceBinary('rust'));

/** Share of requests each X-Hotspot-Impl value served, from the joined rows. */
const implShares = (s: SampleSet): Record<string, number> => {
  const counts: Record<string, number> = {};
  let total = 0;
  for (let i = 0; i < s.n; i += 1) {
    const impl = s.impls[s.impl[i] ?? 255];
    if (impl === undefined) continue;
    counts[impl] = (counts[impl] ?? 0) + 1;
    total += 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / total]));
};

const plan = (): Plan =>
  testPlan({
    name: 'reference integration',
    seed: 11,
    configurations: {
      baseline: { kind: 'reference', name: 'pure Go', build: 'baseline' },
      candidate: {
        kind: 'reference',
        name: 'Rust at 50 %',
        build: 'rust',
        impl: 'rust',
        rustSharePercent: 50,
      },
    },
    phases: [{ name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 20, durationSeconds: 6 }],
    repetitions: 1,
    warmupSeconds: 1,
    corpus: { count: 300 },
    slo: { quantile: 0.99, latencyMs: 5000, maxErrorRate: 0.05 },
    capacity: { peakRps: 100 },
  });

describe('reference service under real k6 (both builds)', () => {
  // No silent skip: npm test builds both binaries first, so a missing one is a failure to see.
  it('has both service builds to test (npm run setup builds them)', () => {
    assert.ok(
      built,
      `${referenceBinary('baseline')} or ${referenceBinary('rust')} is missing: run npm run setup`,
    );
  });

  it('gathers both configurations: raw output parses, requests = rate × duration ± 2 %, impl shares as configured', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hotswap-ref-'));
    const res = await runTrial({
      plan: plan(),
      planFile: 'inline',
      outDir: out,
      signal: new AbortController().signal,
      progress: () => {},
    });
    assert.equal(res.exitCode, 0);
    for (const run of res.manifest.runs) {
      assert.equal(run.status, 'ok', run.failureReason);
      const s = await readSampleFiles(
        run.raw.outputs.map((o) => join(res.dir, o)),
        { runId: run.id },
      );
      assert.ok(
        Math.abs(s.n - 120) <= 2.4,
        `${run.id}: ${s.n} requests for 20/s × 6 s (${JSON.stringify(run.generator)}, ${res.dir})`,
      );
      assert.deepEqual(new Set(s.endpoints), new Set(['scan', 'fields', 'orders']));
      const shares = implShares(s);
      if (run.role === 'baseline') assert.deepEqual(Object.keys(shares), ['go'], JSON.stringify(shares));
      else
        assert.ok(
          Math.abs((shares.rust ?? 0) - 0.5) <= 0.05,
          `rust share ${JSON.stringify(shares)} for 50 %`,
        );
      assert.ok(run.raw.metricsBefore && run.raw.metricsAfter, 'scraped before and after');
      assert.equal(run.generator.limited, false, run.generator.limitedReason);
    }
  });

  it('rollback drill: X-Hotspot-Impl switches to go at the flip and back to rust after it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotswap-rollback-'));
    const corpusPath = join(dir, 'corpus.ndjson');
    await writeLinesAtomic(
      corpusPath,
      [...generateCorpus({ seed: 5, count: 300, messyShare: 0 })].map(toNdjsonLine),
    );
    await mkdir(join(dir, 'raw', 'rb'), { recursive: true });
    const signal = new AbortController().signal;
    const token = 'integration-token';
    const service = await startService({
      role: 'candidate',
      spec: { kind: 'reference', name: 'Rust', build: 'rust' },
      logFile: join(dir, 'raw', 'rb', 'service.log'),
      cpu: 0,
      adminToken: token,
      seed: 1,
      signal,
    });
    try {
      const res = await k6Driver.run({
        runId: 'rb',
        trialDir: dir,
        baseUrl: service.baseUrl,
        phase: {
          name: 'rollback',
          driver: 'k6',
          scenario: 'rollback',
          rateRps: 20,
          durationSeconds: 9,
          flipAtSeconds: 3,
          flipBackAtSeconds: 6,
        },
        corpusPath,
        slo: { quantile: 0.99, latencyMs: 5000, maxErrorRate: 0.05 },
        cpu: 1,
        env: { ADMIN_TOKEN: token },
        signal,
      });
      assert.equal(res.status, 'ok', res.failureReason);
      const s = await readSampleFiles(
        res.outputs.map((o) => join(dir, o)),
        { runId: 'rb' },
      );
      // Causality, not wall-clock windows: a request that completed before the flip's admin call started
      // must have been served by Rust; one that started after that call answered and completed before the
      // flip back, by Go; one that started after the flip back answered, by Rust again. (On a busy machine
      // a request can wait in the service's queue past the flip, so its start time alone proves nothing.)
      const rows = [...Array(s.n).keys()].map((i) => ({
        // k6 stamps a request's samples when its response ended (see src/ingest/k6-csv.ts).
        start: (s.timestampMs[i] ?? 0) - (s.latencyMs[i] ?? 0),
        end: s.timestampMs[i] ?? 0,
        endpoint: s.endpoints[s.endpoint[i] ?? 0],
        impl: s.impls[s.impl[i] ?? 255],
      }));
      // The stamp is taken just after the response is read: requests within SLACK ms of a flip are not judged.
      const SLACK = 50;
      // The flips are control calls (traffic=no): ingest keeps them apart from the run's requests.
      assert.ok(!s.endpoints.includes('admin'), 'admin calls are not traffic');
      const admin = (s.controlCalls ?? []).map((c) => ({ start: c.startMs, end: c.endMs }));
      assert.equal(admin.length, 2, 'one flip and one flip back');
      const [flip, back] = admin as [{ start: number; end: number }, { start: number; end: number }];
      const traffic = rows.filter((r) => r.impl !== undefined);
      const implsOf = (pred: (r: (typeof rows)[number]) => boolean) => [
        ...new Set(traffic.filter(pred).map((r) => r.impl)),
      ];
      const before = traffic.filter((r) => r.end < flip.start - SLACK);
      const during = traffic.filter((r) => r.start > flip.end + SLACK && r.end < back.start - SLACK);
      const after = traffic.filter((r) => r.start > back.end + SLACK);
      const odd = [
        ...before.filter((r) => r.impl !== 'rust'),
        ...during.filter((r) => r.impl !== 'go'),
        ...after.filter((r) => r.impl !== 'rust'),
      ];
      const counts = JSON.stringify({
        before: before.length,
        during: during.length,
        after: after.length,
        flip,
        back,
        odd,
        dir,
      });
      assert.ok(before.length >= 20 && during.length >= 20 && after.length >= 20, counts);
      assert.deepEqual(
        implsOf((r) => r.end < flip.start - SLACK),
        ['rust'],
        counts,
      );
      assert.deepEqual(
        implsOf((r) => r.start > flip.end + SLACK && r.end < back.start - SLACK),
        ['go'],
        counts,
      );
      assert.deepEqual(
        implsOf((r) => r.start > back.end + SLACK),
        ['rust'],
        counts,
      );
      const failed = [...s.failed.subarray(0, s.n)].filter((f) => f === 1).length;
      assert.equal(failed, 0, 'no request failed across the flips');
    } finally {
      await service.stop();
    }
  });
});
