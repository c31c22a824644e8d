import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  erlangMeanWait,
  fitOf,
  meanAndScv,
  pkMeanWait,
  queueModelCheck,
  type QueueRunInput,
} from '../../../src/analysis/capacity/queue-check.js';
import { createRng } from '../../../src/analysis/stats/rng.js';

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('Pollaczek–Khinchine mean wait (hand-computed cases)', () => {
  it('M/M/1 (Cs² = 1) at ρ = 0.5, E[S] = 10: Wq = ρ/(1−ρ)·E[S] = 10', () =>
    close(pkMeanWait(0.5, 10, 1), 10));
  it('M/D/1 (Cs² = 0) at ρ = 0.8, E[S] = 2: Wq = 0.8·2/(2·0.2) = 4, half the M/M/1 wait', () => {
    close(pkMeanWait(0.8, 2, 0), 4);
    close(pkMeanWait(0.8, 2, 1), 8);
  });
  it('a heavy-tailed mix (Cs² = 3) at ρ = 0.6, E[S] = 5: Wq = 0.6·5·4/(2·0.4) = 15', () =>
    close(pkMeanWait(0.6, 5, 3), 15));
  it('no load, no wait; ρ ≥ 1 is an unbounded queue', () => {
    assert.equal(pkMeanWait(0, 5, 2), 0);
    assert.equal(pkMeanWait(1, 5, 2), Infinity);
    assert.throws(() => pkMeanWait(-0.1, 5, 1), RangeError);
  });
  it('agrees with a seeded simulation of an M/G/1 queue (Lindley recursion, hyperexponential service, Cs² ≈ 10.9)', () => {
    // Independent check: W(n+1) = max(0, W(n) + S(n) − A(n+1)) over 400 000 customers.
    const rng = createRng(16);
    const lambda = 0.07; // per ms
    const p = 0.1; // 10 % slow requests (mean 46 ms), 90 % fast (mean 1.56 ms): E[S] = 6 ms
    const slow = 46;
    const fast = (6 - p * slow) / (1 - p);
    const n = 400_000;
    let w = 0;
    let sumW = 0;
    const service: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = -Math.log(1 - rng()) * (rng() < p ? slow : fast);
      service.push(s);
      sumW += w;
      w = Math.max(0, w + s - -Math.log(1 - rng()) / lambda);
    }
    const { mean, scv } = meanAndScv(service);
    const predicted = pkMeanWait(lambda * mean, mean, scv);
    const simulated = sumW / n;
    // Cs² = 2(p·46² + (1 − p)·fast²)/6² − 1 = 10.9.
    assert.ok(scv > 10 && scv < 12, `Cs² ${scv}`);
    console.log(`# simulated Wq ${simulated.toFixed(3)} ms vs P-K ${predicted.toFixed(3)} ms`);
    assert.ok(Math.abs(simulated / predicted - 1) < 0.08, `simulated ${simulated} vs P-K ${predicted}`);
  });
});

describe('Erlang C mean wait', () => {
  it('one server equals P-K at Cs² = 1', () => {
    for (const rho of [0.1, 0.5, 0.85]) close(erlangMeanWait(1, rho, 7), pkMeanWait(rho, 7, 1));
  });
  it('M/M/2 at ρ = 0.5, E[S] = 1: C(2, 1) = 1/3, Wq = C/(c − a)·E[S] = 1/3 (hand-computed)', () =>
    close(erlangMeanWait(2, 0.5, 1), 1 / 3));
  it('ρ ≥ 1: unbounded', () => assert.equal(erlangMeanWait(1, 1.2, 3), Infinity));
});

describe('meanAndScv', () => {
  it('1, 2, 3, 4: mean 2.5, variance 1.25, Cs² = 1.25/6.25 = 0.2; non-finite values skipped', () => {
    const r = meanAndScv([1, 2, NaN, 3, 4]);
    close(r.mean, 2.5);
    close(r.scv, 0.2);
  });
  it('reads only the first n values (SampleSet arrays may be longer)', () =>
    close(meanAndScv(new Float64Array([2, 2, 100]), 2).scv, 0));
});

describe('queueModelCheck', () => {
  const run = (id: string, rps: number, meanMs: number, scv = 1): QueueRunInput => ({
    runId: id,
    role: 'baseline',
    phase: 'steady',
    achievedRps: rps,
    cpuSecondsPerRequest: 0.01,
    meanLatencyMs: meanMs,
    latencyScv: scv,
  });

  it('takes E[S] and Cs² from the lowest-load run, ρ = rate × CPU s/req, and judges the others (hand-computed)', () => {
    // Reference: 10 rps → ρ 0.1, E[S] = 5 ms, Cs² = 1.
    // 50 rps → ρ 0.5: P-K = 0.5·5·2/(2·0.5) = 5 ms; measured 12 − 5 = 7 ms → factor 1.4.
    // 80 rps → ρ 0.8: P-K = 0.8·5·2/(2·0.2) = 20 ms; measured 55 − 5 = 50 ms → factor 2.5.
    // 95 rps → ρ 0.95: not judged (too close to saturation).
    const c = queueModelCheck('baseline', [
      run('r3', 80, 55, 9),
      run('r1', 10, 5),
      run('r2', 50, 12, 4),
      run('r4', 95, 400),
    ])!;
    assert.equal(c.serviceTime.runId, 'r1');
    close(c.serviceTime.meanMs, 5);
    close(c.serviceTime.scv, 1);
    assert.deepEqual(
      c.rows.map((r) => r.runId),
      ['r1', 'r2', 'r3', 'r4'],
    );
    const [r1, r2, r3, r4] = c.rows;
    assert.equal(r1!.reference, true);
    assert.equal(r1!.judged, false);
    close(r1!.measuredWaitMs, 0);
    close(r2!.rho, 0.5);
    close(r2!.pkWaitMs, 5);
    close(r2!.erlangWaitMs, 5);
    close(r2!.measuredWaitMs, 7);
    close(r2!.pkFactor!, 1.4);
    close(r3!.pkWaitMs, 20);
    close(r3!.pkFactor!, 2.5);
    assert.equal(r4!.judged, false);
    close(c.pkWorstFactor!, 2.5);
    assert.equal(c.fit, 'rough');
  });

  it('warns when the lowest-load latency is more than twice the CPU per request (ρ from CPU would understate the load)', () => {
    // CPU 10 ms per request (run() above), E[S] 5 ms: no warning; E[S] 25 ms: ×2.5, warned.
    assert.deepEqual(queueModelCheck('baseline', [run('r1', 10, 5)])!.warnings, []);
    const w = queueModelCheck('baseline', [run('r1', 10, 25)])!.warnings;
    assert.deepEqual(
      w.map((x) => x.code),
      ['queue-service-exceeds-cpu'],
    );
    assert.match(w[0]!.message, /25\.00 ms but only 10\.00 ms of CPU \(×2\.5\)/);
  });

  it('is absent without usable runs, and "unjudged" when only the reference run is there', () => {
    assert.equal(queueModelCheck('candidate', [run('r1', 10, 5)]), undefined);
    assert.equal(queueModelCheck('baseline', [run('r1', 10, 5)])!.fit, 'unjudged');
  });

  it('fit bands: ≤ 1.5 close, ≤ 3 rough, else off', () => {
    assert.deepEqual([1, 1.5, 1.51, 3, 3.01, undefined].map(fitOf), [
      'close',
      'close',
      'rough',
      'rough',
      'off',
      'unjudged',
    ]);
  });
});
