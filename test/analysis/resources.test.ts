import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  computeResources,
  histogramDeltaQuantile,
  shadowOf,
  type ScrapeSample,
} from '../../src/analysis/resources.js';
import { readPrometheusText } from '../../src/ingest/index.js';
import { runRecord } from './helpers.js';

const scrape = (text: string): ScrapeSample[] => readPrometheusText(text);

const BEFORE = scrape(`
process_cpu_seconds_total 1.5
process_resident_memory_bytes 1000
go_memstats_alloc_bytes_total 5000
hotswap_rust_alloc_bytes_total 0
go_gc_pauses_seconds_bucket{le="0.001"} 10
go_gc_pauses_seconds_bucket{le="0.01"} 10
go_gc_pauses_seconds_bucket{le="0.1"} 10
go_gc_pauses_seconds_bucket{le="+Inf"} 10
hotswap_requests_total{endpoint="scan",impl="rust",outcome="ok"} 100
hotswap_hotspot_duration_seconds_sum{endpoint="scan",impl="rust"} 0.25
hotswap_fallbacks_total{endpoint="scan",reason="panic"} 1
hotswap_cgo_calls_total{endpoint="scan"} 100
`);
// +1000 requests (one series new since the before scrape), +2 CPU s, +1.5 MB Go and 0.5 MB Rust,
// +100 GC pauses: 80 ≤ 1 ms, 19 in (1, 10] ms, 1 in (10, 100] ms.
const AFTER = scrape(`
process_cpu_seconds_total 3.5
process_resident_memory_bytes 4000
go_memstats_alloc_bytes_total 1505000
hotswap_rust_alloc_bytes_total 500000
go_gc_pauses_seconds_bucket{le="0.001"} 90
go_gc_pauses_seconds_bucket{le="0.01"} 109
go_gc_pauses_seconds_bucket{le="0.1"} 110
go_gc_pauses_seconds_bucket{le="+Inf"} 110
hotswap_requests_total{endpoint="scan",impl="rust",outcome="ok"} 900
hotswap_requests_total{endpoint="scan",impl="rust",outcome="client_error"} 200
hotswap_hotspot_duration_seconds_sum{endpoint="scan",impl="rust"} 1.25
hotswap_fallbacks_total{endpoint="scan",reason="panic"} 4
hotswap_cgo_calls_total{endpoint="scan"} 2100
`);
const during = [3000, 2000, 2500].map((rss) => scrape(`process_resident_memory_bytes ${rss}\n`));

describe('computeResources', () => {
  const r = computeResources(runRecord('r1', 'candidate'), { before: BEFORE, after: AFTER, during });

  it('divides counter deltas by the requests the service counted (a new series starts at 0)', () => {
    assert.equal(r.requests, 1000);
    assert.equal(r.cpuSecondsPerRequest, 0.002);
    assert.equal(r.goAllocBytesPerRequest, 1500);
    assert.equal(r.rustAllocBytesPerRequest, 500);
    assert.equal(r.allocBytesPerRequest, 2000);
    assert.equal(r.cgoCallsPerRequest, 2);
    assert.equal(r.fallbacks, 3);
  });

  it('gives the hotspot share of CPU time (1 s of hotspot over 2 CPU s)', () => {
    assert.equal(r.hotspotShare, 0.5);
  });

  it('takes steady RSS as the median during the run and the peak over every scrape', () => {
    assert.equal(r.rssBytesSteady, 2500);
    assert.equal(r.rssBytesPeak, 4000);
  });

  it('interpolates the GC pause p99 inside its bucket like histogram_quantile', () => {
    // rank 99 of 100 falls in (1, 10] ms holding ranks 81..99: 1 + 9·(99 − 80)/19 = 10 ms.
    assert.ok(Math.abs(r.gcPauseP99Ms! - 10) < 1e-9);
    assert.ok(
      Math.abs(
        histogramDeltaQuantile({ before: BEFORE, after: AFTER }, 'go_gc_pauses_seconds', 0.5)! - 0.000625,
      ) < 1e-12,
    );
    assert.deepEqual(r.warnings, []);
  });

  it('leaves out what a foreign service does not expose and says what it must expose', () => {
    const bare = scrape('process_cpu_seconds_total 1\n');
    const after = scrape('process_cpu_seconds_total 3\n');
    const x = computeResources(runRecord('r2', 'baseline'), { before: bare, after }, { driverRequests: 400 });
    assert.equal(x.cpuSecondsPerRequest, 0.005);
    assert.equal(x.allocBytesPerRequest, undefined);
    assert.equal(x.gcPauseP99Ms, undefined);
    const missing = x.warnings.find((w) => w.code === 'missing-metrics')!;
    assert.match(missing.message, /hotswap_requests_total/);
    assert.match(missing.message, /go_memstats_alloc_bytes_total/);
    assert.ok(x.warnings.some((w) => w.code === 'requests-from-driver'));
  });

  it('leaves total allocations out when Rust served requests but its alloc counter is missing', () => {
    const noRust = (xs: ScrapeSample[]) => xs.filter((x) => x.name !== 'hotswap_rust_alloc_bytes_total');
    const x = computeResources(runRecord('r6', 'candidate'), {
      before: noRust(BEFORE),
      after: noRust(AFTER),
    });
    assert.equal(x.goAllocBytesPerRequest, 1500);
    assert.equal(x.allocBytesPerRequest, undefined);
    assert.match(x.warnings.find((w) => w.code === 'rust-alloc-missing')!.message, /Rust served requests/);
    // Rust tagged in the responses though the service exposes no cgo counter: still left out.
    const noCgo = (xs: ScrapeSample[]) => noRust(xs).filter((s) => s.name !== 'hotswap_cgo_calls_total');
    const y = computeResources(
      runRecord('r7', 'candidate'),
      { before: noCgo(BEFORE), after: noCgo(AFTER) },
      { rustShare: 0.4 },
    );
    assert.equal(y.allocBytesPerRequest, undefined);
    // A pure-Go run (no cgo calls, no Rust responses) has Go allocations only.
    const z = computeResources(runRecord('r8', 'baseline'), { before: noCgo(BEFORE), after: noCgo(AFTER) });
    assert.equal(z.allocBytesPerRequest, 1500);
  });

  it('gives no hotspot share when hotspot wall time exceeds CPU time (an overloaded core)', () => {
    const after = AFTER.map((x) =>
      x.name === 'hotswap_hotspot_duration_seconds_sum' ? { ...x, value: 8.25 } : x,
    );
    const x = computeResources(runRecord('r5', 'baseline'), { before: BEFORE, after });
    assert.equal(x.hotspotShare, undefined);
    assert.match(x.warnings.find((w) => w.code === 'hotspot-share-invalid')!.message, /4\.00×/);
  });

  it('treats a counter that went backwards (restart) as missing, and no scrapes as no figures', () => {
    const reset = computeResources(runRecord('r3', 'baseline'), { before: AFTER, after: BEFORE });
    assert.equal(reset.cpuSecondsPerRequest, undefined);
    const none = computeResources(runRecord('r4', 'baseline'), undefined);
    assert.equal(none.warnings[0]!.code, 'no-scrapes');
  });
});

describe('shadowOf: the service’s shadow comparisons over a run', () => {
  const before = scrape(`
hotswap_shadow_total{endpoint="scan",outcome="match"} 10
hotswap_shadow_seconds_sum{endpoint="scan",impl="go"} 0.1
hotswap_shadow_seconds_count{endpoint="scan",impl="go"} 10
hotswap_shadow_seconds_sum{endpoint="scan",impl="rust"} 0.02
hotswap_shadow_seconds_count{endpoint="scan",impl="rust"} 10
`);
  // +50 scan matches, +2 fields mismatches (series new since before), +1 rust error; Go 8 ms and Rust
  // 2 ms on average over the new comparisons (Rust timed only where it succeeded).
  const after = scrape(`
hotswap_shadow_total{endpoint="scan",outcome="match"} 60
hotswap_shadow_total{endpoint="fields",outcome="mismatch"} 2
hotswap_shadow_total{endpoint="fields",outcome="rust_error"} 1
hotswap_shadow_seconds_sum{endpoint="scan",impl="go"} 0.5
hotswap_shadow_seconds_count{endpoint="scan",impl="go"} 60
hotswap_shadow_seconds_sum{endpoint="fields",impl="go"} 0.02
hotswap_shadow_seconds_count{endpoint="fields",impl="go"} 3
hotswap_shadow_seconds_sum{endpoint="scan",impl="rust"} 0.124
hotswap_shadow_seconds_count{endpoint="scan",impl="rust"} 62
`);
  it('differences the counters by outcome and the timings by implementation', () => {
    const s = shadowOf({ before, after });
    assert.ok(s);
    assert.equal(s.compared, 53);
    assert.equal(s.mismatches, 2);
    assert.equal(s.rustErrors, 1);
    assert.ok(Math.abs(s.goMsMean! - (0.42 / 53) * 1000) < 1e-9, String(s.goMsMean));
    assert.ok(Math.abs(s.rustMsMean! - (0.104 / 52) * 1000) < 1e-9, String(s.rustMsMean));
  });
  it('is undefined when the service shadowed nothing (no series, or no new comparisons)', () => {
    assert.equal(shadowOf({ before: BEFORE, after: AFTER }), undefined);
    assert.equal(shadowOf({ before, after: before }), undefined);
  });
  it('lands in computeResources as resources[].shadow', () => {
    const use = computeResources(runRecord('c1', 'candidate'), {
      before: [...BEFORE, ...before],
      after: [...AFTER, ...after],
    });
    assert.equal(use.shadow?.compared, 53);
  });
});
