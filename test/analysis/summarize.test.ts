import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  requestsToBoundQuantile,
  START_LATENESS_P99_MAX_MS,
  summarizeRun,
} from '../../src/analysis/summarize.js';
import { readSampleFiles } from '../../src/ingest/index.js';
import { runRecord, sampleSet, type Row } from './helpers.js';

// 100 requests at 10 rps: latencies 1..100 ms, two HTTP 500s and one transport error appended.
const rows: Row[] = Array.from({ length: 100 }, (_, i) => ({
  tMs: 1_000_000 + i * 100,
  latencyMs: i + 1,
  endpoint: i % 2 ? 'scan' : 'fields',
  impl: i < 75 ? 'rust' : 'go',
  hotspotMs: 2,
}));

describe('summarizeRun', () => {
  const s = sampleSet([
    ...rows,
    { tMs: 1_010_000, latencyMs: 5, status: 500, endpoint: 'scan' },
    { tMs: 1_010_050, latencyMs: 5, status: 500, endpoint: 'scan' },
    { tMs: 1_010_090, latencyMs: 0, status: 0, endpoint: 'scan' },
  ]);
  const out = summarizeRun(runRecord('r1', 'baseline'), s);
  const all = out.find((x) => x.endpoint === '*')!;

  it('never reports an estimate outside its own CI, even where n is too small for the percentile', () => {
    // 20 requests: p99.9 needs 3 688; all 20 lie below the true p99.9 with probability 0.999²⁰ ≥ 97.5 %,
    // so the order-statistic interval starts at the maximum while the R-7 estimate sits just below it.
    const few = summarizeRun(runRecord('r2', 'baseline'), sampleSet(rows.slice(0, 20)));
    for (const summary of few)
      for (const [p, q] of Object.entries(summary.quantilesMs)) {
        const [lo, hi] = summary.quantileCI95Ms[p]!;
        assert.ok(lo === null || lo <= q, `${summary.endpoint} p${p}: ${q} below its CI from ${lo}`);
        assert.ok(hi === null || q <= hi, `${summary.endpoint} p${p}: ${q} above its CI to ${hi}`);
      }
  });

  it('gives R-7 quantiles over responses only (a transport error has no duration)', () => {
    const responses = out.find((x) => x.endpoint === 'fields')!;
    // fields = 1, 3, …, 99: p50 = 50, p99 = 97 + 0.51·2 = 98.02 (numpy default)
    assert.equal(responses.quantilesMs['0.5'], 50);
    assert.ok(Math.abs(responses.quantilesMs['0.99']! - 98.02) < 1e-9);
    assert.equal(all.n, 103);
    assert.equal(responses.n, 50);
  });

  it('counts errors by class: http-<status> and transport', () => {
    assert.equal(all.errors, 3);
    assert.deepEqual(all.errorClasses, { 'http-500': 2, transport: 1 });
    assert.ok(Math.abs(all.errorRate - 3 / 103) < 1e-12);
  });

  it('recovers the arrival rate as (n − 1)/span', () => {
    const plain = summarizeRun(runRecord('r', 'baseline'), sampleSet(rows)).find((x) => x.endpoint === '*')!;
    assert.ok(Math.abs(plain.achievedRps - 10) < 1e-9);
    assert.ok(Math.abs(plain.durationSeconds - 9.9) < 1e-9);
  });

  it('reports implementation shares and mean hotspot time from the rows', () => {
    assert.deepEqual(all.implShare, { rust: 0.75, go: 0.25 });
    assert.equal(all.hotspotMsMean, 2);
  });

  it('falls back to the custom-metric totals when rows carry no implementation', () => {
    const agg = sampleSet(
      rows.map((r) => ({ tMs: r.tMs, latencyMs: r.latencyMs, endpoint: r.endpoint })),
      {
        implServed: [
          { endpoint: 'scan', impl: 'rust', served: 30, hotspotSamples: 30, hotspotMsSum: 90 },
          { endpoint: 'scan', impl: 'go-fallback', served: 10, hotspotSamples: 10, hotspotMsSum: 10 },
        ],
      },
    );
    const scan = summarizeRun(runRecord('r', 'candidate'), agg).find((x) => x.endpoint === 'scan')!;
    assert.deepEqual(scan.implShare, { rust: 0.75, 'go-fallback': 0.25 });
    assert.equal(scan.hotspotMsMean, 2.5);
  });

  it('warns which quantiles the sample cannot bound and how many requests they need', () => {
    const w = all.warnings.find((x) => x.code === 'few-requests-for-quantile');
    assert.ok(w);
    assert.match(w.message, /p99\.9/);
    assert.match(w.hint!, /3688 requests/);
    assert.equal(requestsToBoundQuantile(0.99), 368);
  });

  it('flags dropped iterations and an achieved rate below 97 % of the offered one', () => {
    const limited = summarizeRun(runRecord('r', 'baseline'), sampleSet(rows, { droppedIterations: 12 }), {
      offeredRps: 20,
    }).find((x) => x.endpoint === '*')!;
    const codes = limited.warnings.map((w) => w.code);
    assert.ok(codes.includes('dropped-iterations'));
    assert.ok(codes.includes('rate-not-achieved'));
    assert.ok(!all.warnings.some((w) => w.code === 'rate-not-achieved'));
  });

  it('carries the ingest warnings of the run on its overall summary', () => {
    const truncated = sampleSet(rows, {
      warnings: [{ code: 'truncated-line', message: 'k6.csv:901: truncated last line' }],
    });
    const star = summarizeRun(runRecord('r', 'baseline'), truncated).find((x) => x.endpoint === '*')!;
    assert.ok(star.warnings.some((w) => w.code === 'truncated-line'));
  });
});

describe('summarizeRun: start lateness of paced arrivals', () => {
  const fixture = fileURLToPath(new URL('../fixtures/k6/paced.csv.gz', import.meta.url));
  // Python's own quantiles (statistics, method 'inclusive' = numpy's linear default) over the rows
  // it parses itself from the real k6 output.
  const oracle = (): { count: number; p50: number; p99: number; max: number } => {
    const py = `
import csv, gzip, json, statistics, sys
with gzip.open(sys.argv[1], 'rt') as f:
    xs = [float(r['metric_value']) for r in csv.DictReader(f) if r['metric_name'] == 'start_lateness_ms']
q = statistics.quantiles(xs, n=100, method='inclusive')
print(json.dumps({'count': len(xs), 'p50': statistics.median(xs), 'p99': q[98], 'max': max(xs)}))
`;
    const out = spawnSync('python3', ['-c', py, fixture], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    return JSON.parse(out.stdout) as { count: number; p50: number; p99: number; max: number };
  };

  it('gives count, p50, p99 and max of a real Poisson run as Python’s statistics module does', async () => {
    const samples = await readSampleFiles([fixture]);
    const all = summarizeRun(runRecord('p', 'baseline'), samples).find((x) => x.endpoint === '*')!;
    const want = oracle();
    const got = all.startLatenessMs!;
    assert.equal(got.count, want.count);
    for (const k of ['p50', 'p99', 'max'] as const)
      assert.ok(Math.abs(got[k] - want[k]) < 1e-9, `${k}: ${got[k]} vs ${want[k]}`);
    for (const s of summarizeRun(runRecord('p', 'baseline'), samples).filter((x) => x.endpoint !== '*'))
      assert.equal(s.startLatenessMs, undefined, 'on the "*" summary only');
  });

  const late = (values: number[]) =>
    summarizeRun(
      runRecord('r', 'baseline'),
      sampleSet(rows, { startLatenessMs: Float64Array.from(values).sort() }),
    ).find((x) => x.endpoint === '*')!;

  it(`warns arrivals-started-late when p99 exceeds ${START_LATENESS_P99_MAX_MS} ms, with the figures`, () => {
    // 100 arrivals: 97 on time, 3 at 40 ms → p99 = 40 ms.
    const all = late([...new Array<number>(97).fill(0), 40, 40, 40]);
    assert.equal(all.startLatenessMs!.p99, 40);
    const w = all.warnings.find((x) => x.code === 'arrivals-started-late');
    assert.ok(w, JSON.stringify(all.warnings));
    assert.match(w.message, /^arrivals started late: p99 40\.0 ms, max 40\.0 ms .* over 100 arrivals/);
    assert.match(w.message, /the generator, not the service, shaped the timing/);
    assert.ok(w.hint);
  });

  it(`does not warn at a p99 of ${START_LATENESS_P99_MAX_MS} ms or less, nor without paced arrivals`, () => {
    // p99 exactly at the bound; and p99 = 9 + 0.01·(90 − 9) = 9.81 ms with one arrival 90 ms late.
    const atBound = late([...new Array<number>(96).fill(1), 10, 10, 10, 10]);
    assert.equal(atBound.startLatenessMs!.p99, START_LATENESS_P99_MAX_MS);
    assert.ok(!atBound.warnings.some((x) => x.code === 'arrivals-started-late'));
    const all = late([...new Array<number>(97).fill(1), 9, 9, 90]);
    assert.ok(Math.abs(all.startLatenessMs!.p99 - 9.81) < 1e-9);
    assert.equal(all.startLatenessMs!.max, 90);
    assert.ok(!all.warnings.some((x) => x.code === 'arrivals-started-late'));
    const uniform = summarizeRun(runRecord('u', 'baseline'), sampleSet(rows)).find(
      (x) => x.endpoint === '*',
    )!;
    assert.equal(uniform.startLatenessMs, undefined);
  });
});
