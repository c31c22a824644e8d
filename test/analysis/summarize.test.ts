import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestsToBoundQuantile, summarizeRun } from '../../src/analysis/summarize.js';
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
