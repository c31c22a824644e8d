import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyseFaultDrill, analyseRollbackDrill, buildDrills } from '../../src/analysis/drills.js';
import { runRecord, sampleSet, type Row } from './helpers.js';

/** Rows every 100 ms from t=0 (end times), 10 ms long, served by `implAt(tMs)`. */
const rows = (untilMs: number, implAt: (t: number) => string, status = (_t: number) => 200): Row[] =>
  Array.from({ length: untilMs / 100 }, (_, i) => ({
    tMs: 1_000_000 + i * 100,
    latencyMs: 10,
    impl: implAt(i * 100),
    status: status(i * 100),
  }));
const at = (ms: number) => 1_000_000 + ms;
const call = (startMs: number) => ({
  endpoint: 'admin',
  startMs: at(startMs),
  endMs: at(startMs + 5),
  status: 200,
});

describe('drill figures from the responses and the control calls', () => {
  it('fault drill: trip = injection → first go-breaker end; recovery = clearing → first rust after the last open spell', () => {
    // Injection at 1 000 ms; fallbacks until the breaker opens (first go-breaker ends at 1 500 ms); a
    // half-open probe served by Rust at 3 000 ms, open again until 4 400 ms; cleared at 4 000 ms; Rust
    // from 4 500 ms (ends at 4 500: start 4 490 ≥ last go-breaker end 4 400).
    const impl = (t: number) =>
      t < 1000 ? 'rust' : t < 1500 ? 'go-fallback' : t === 3000 ? 'rust' : t < 4500 ? 'go-breaker' : 'rust';
    const s = sampleSet(rows(6000, impl), { controlCalls: [call(1000), call(4000)] });
    const { drill, events } = analyseFaultDrill('f', s);
    assert.equal(drill.failedRequests, 0);
    assert.equal(drill.tripSeconds, 0.5);
    assert.equal(drill.recoverySeconds, 0.5);
    // Between injection (1 000) and recovery (4 500) inclusive: 36 responses, 2 of them Rust (the probe
    // and the recovering one).
    assert.equal(drill.goShare, Number((34 / 36).toFixed(4)));
    assert.deepEqual(
      events.map((e) => [e.label, e.tSeconds]),
      [
        ['faults injected', 1],
        ['breaker open', 1.5],
        ['faults cleared', 4],
        ['Rust again', 4.5],
      ],
    );
  });

  it('fault drill: a breaker that never opens has no trip and no recovery; failures are counted', () => {
    const s = sampleSet(
      rows(
        3000,
        () => 'rust',
        (t) => (t === 2000 ? 500 : 200),
      ),
      {
        controlCalls: [call(1000), call(2000)],
      },
    );
    const { drill } = analyseFaultDrill('f', s);
    assert.equal(drill.tripSeconds, null);
    assert.equal(drill.recoverySeconds, null);
    assert.equal(drill.failedRequests, 1);
  });

  it('fault drill: a refused injection (403) is no injection', () => {
    const s = sampleSet(
      rows(3000, () => 'rust'),
      {
        controlCalls: [{ ...call(1000), status: 403 }],
      },
    );
    assert.deepEqual(analyseFaultDrill('f', s).events, []);
  });

  it('rollback drill: flip → end of the last Rust response, and → the first request of the all-Go stretch', () => {
    // Flip at 1 000 ms; Rust responses end until 1 300 ms (the one ending at 1 300 started at 1 290);
    // Go from 1 400 (start 1 390); flip back at 3 000 → Rust again, not counted.
    const impl = (t: number) => (t <= 1300 ? 'rust' : t < 3100 ? 'go' : 'rust');
    const s = sampleSet(rows(4000, impl), { controlCalls: [call(1000), call(3000)] });
    const { drill } = analyseRollbackDrill('r', s);
    assert.equal(drill.rollbackMs, 300);
    assert.equal(drill.allGoMs, 390);
    assert.equal(drill.tripSeconds, null);
  });

  it('rollback drill: no Rust before the flip (the baseline) gives no rollback time', () => {
    const s = sampleSet(
      rows(2000, () => 'go'),
      { controlCalls: [call(500), call(1500)] },
    );
    assert.equal(analyseRollbackDrill('r', s).drill.rollbackMs, null);
  });

  it('lists drills of candidate runs only, by their scenario', () => {
    const s = sampleSet(
      rows(2000, () => 'rust'),
      { controlCalls: [call(500), call(1500)] },
    );
    const { drills } = buildDrills([
      { run: runRecord('b', 'baseline', 'rollback', { scenario: 'rollback' }), samples: s },
      { run: runRecord('c', 'candidate', 'rollback', { scenario: 'rollback' }), samples: s },
      { run: runRecord('d', 'candidate', 'fault', { scenario: 'fault-drill' }), samples: s },
      { run: runRecord('e', 'candidate', 'steady', { scenario: 'steady' }), samples: s },
    ]);
    assert.deepEqual(
      drills.map((d) => [d.runId, d.kind]),
      [
        ['c', 'rollback'],
        ['d', 'fault'],
      ],
    );
  });
});
