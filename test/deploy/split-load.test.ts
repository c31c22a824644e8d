/**
 * Split load: one k6 run shared by N local processes through execution segments (the k6 driver's
 * `processes`), merged back into one run by the ingest. Runs the same short steady phase against the real
 * reference service (baseline build, 127.0.0.1 only) with 1, 2 and again 1 process(es), and shows that
 * the split run sends the same requests — same count (± 1 %), same corpus lines, so the same endpoint mix —
 * and that its percentiles lie within the run-to-run noise of the two single-process runs.
 *
 * "Run-to-run noise" is measured, not assumed: the band is the two single-process runs' range widened by
 * the larger of their difference, 20 % of their mean and 1 ms (2 cores shared with other work make
 * sub-millisecond differences meaningless). A broken split (each process at the full rate, or one
 * segment missing) doubles or halves the count and fails the ±1 % check long before the percentiles.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateCorpus, toNdjsonLine } from '../../src/corpus/index.js';
import { k6Driver } from '../../src/drivers/index.js';
import { readSampleFiles } from '../../src/ingest/index.js';
import type { K6PhaseSpec, SampleSet } from '../../src/model/index.js';
import { serviceBinary, startService } from './helpers.js';

const RATE = 40;
const SECONDS = 8;
const EXPECTED = RATE * SECONDS;

interface Measured {
  processes: number;
  n: number;
  perFile: number[];
  endpoints: Record<string, number>;
  p50: number;
  p90: number;
  p99: number;
}

/** R type 7 on a copy; enough for a test (the statistics module has its own tested implementation). */
const pct = (xs: Float64Array, n: number, p: number): number => {
  const s = Array.from(xs.subarray(0, n)).sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
};

const endpointCounts = (set: SampleSet): Record<string, number> => {
  const out: Record<string, number> = {};
  for (let i = 0; i < set.n; i += 1) {
    const name = set.endpoints[set.endpoint[i]!] ?? '?';
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
};

const bin = serviceBinary('baseline');

describe(
  'split load over k6 processes (execution segments) against the real baseline service',
  { skip: bin.skip },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotswap-split-'));
    const corpusPath = join(dir, 'corpus.ndjson');
    const measured: Measured[] = [];
    let stop: (() => Promise<number | null>) | undefined;
    let baseUrl = '';

    before(async () => {
      // A light mix (small scan batches, no messy input) so the service keeps up even on a busy machine:
      // this test is about the generator splitting the load, not about the service's capacity.
      const lines = [
        ...generateCorpus({
          seed: 11,
          count: 600,
          mix: { scan: 20, fields: 40, orders: 40 },
          messyShare: 0,
          scanMedianBytes: 2048,
        }),
      ].map(toNdjsonLine);
      writeFileSync(corpusPath, `${lines.join('\n')}\n`);
      const svc = await startService(bin.path, ['-downstream-ms', '20', '-seed', '3'], {
        HOTSWAP_ADDR: '127.0.0.1:0',
      });
      stop = svc.stop;
      baseUrl = svc.url;
    });
    after(async () => {
      await stop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    const runWith = async (processes: number, runId: string): Promise<Measured> => {
      const phase: K6PhaseSpec = {
        name: 'steady',
        driver: 'k6',
        scenario: 'steady',
        rateRps: RATE,
        durationSeconds: SECONDS,
        processes,
      };
      const result = await k6Driver.run({
        runId,
        trialDir: dir,
        baseUrl,
        phase,
        corpusPath,
        slo: { quantile: 0.99, latencyMs: 1000, maxErrorRate: 1 },
        signal: new AbortController().signal,
      });
      assert.equal(result.status, 'ok', result.failureReason);
      assert.equal(result.outputs.length, processes, 'one raw file per process');
      const files = result.outputs.map((o) => join(dir, o));
      const perFile = await Promise.all(files.map(async (f) => (await readSampleFiles([f])).n));
      const merged = await readSampleFiles(files, { runId });
      const m: Measured = {
        processes,
        n: merged.n,
        perFile,
        endpoints: endpointCounts(merged),
        p50: pct(merged.latencyMs, merged.n, 0.5),
        p90: pct(merged.latencyMs, merged.n, 0.9),
        p99: pct(merged.latencyMs, merged.n, 0.99),
      };
      console.log(`# split-load ${runId}: ${JSON.stringify(m)}`);
      measured.push(m);
      return m;
    };

    it('one process sends rate × duration requests', async () => {
      const one = await runWith(1, 'split-1a');
      assert.ok(
        Math.abs(one.n - EXPECTED) <= EXPECTED * 0.01,
        `${one.n} requests, expected ${EXPECTED} ± 1 %`,
      );
    });

    it('two processes each send half and together the same requests (± 1 %), with the same endpoint mix', async () => {
      const two = await runWith(2, 'split-2');
      const one = measured[0]!;
      assert.ok(Math.abs(two.n - one.n) <= one.n * 0.01, `split ${two.n} vs single ${one.n} requests`);
      assert.ok(
        Math.abs(two.n - EXPECTED) <= EXPECTED * 0.01,
        `${two.n} requests, expected ${EXPECTED} ± 1 %`,
      );
      for (const part of two.perFile)
        assert.ok(Math.abs(part - two.n / 2) <= two.n * 0.02, `segment sent ${part} of ${two.n}`);
      for (const [endpoint, count] of Object.entries(one.endpoints)) {
        const other = two.endpoints[endpoint] ?? 0;
        assert.ok(
          Math.abs(other - count) <= Math.max(1, count * 0.01),
          `${endpoint}: ${other} vs ${count} (same corpus lines)`,
        );
      }
    });

    it('the split run’s p50 and p90 lie within the run-to-run noise of two single-process runs', async () => {
      const again = await runWith(1, 'split-1b');
      const [a, two] = [measured[0]!, measured[1]!];
      for (const key of ['p50', 'p90'] as const) {
        const lo = Math.min(a[key], again[key]);
        const hi = Math.max(a[key], again[key]);
        const tol = Math.max(hi - lo, 0.2 * ((lo + hi) / 2), 1);
        assert.ok(
          two[key] >= lo - tol && two[key] <= hi + tol,
          `${key}: split ${two[key].toFixed(2)} ms outside [${(lo - tol).toFixed(2)}, ${(hi + tol).toFixed(2)}] (singles ${a[key].toFixed(2)}, ${again[key].toFixed(2)})`,
        );
      }
    });
  },
);
