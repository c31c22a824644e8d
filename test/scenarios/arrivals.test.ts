import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  mulberry32,
  poissonOffsetsMs,
  replayOffsetsMs,
  scheduleOffsetsMs,
} from '../../scenarios/lib/arrivals.js';

const gapsOf = (xs: number[]): number[] => xs.slice(1).map((x, i) => x - xs[i]!);
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const sampleVar = (xs: number[]): number => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};
/** Requests per whole second of a `seconds`-long phase. */
const perSecond = (offsets: number[], seconds: number): number[] => {
  const counts = new Array<number>(seconds).fill(0);
  for (const t of offsets) counts[Math.floor(t / 1000)]! += 1;
  return counts;
};
/** Kolmogorov-Smirnov distance between the gaps and Exp(rate per ms). */
const ksExponential = (gaps: number[], ratePerMs: number): number => {
  const s = [...gaps].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = 1 - Math.exp(-ratePerMs * x);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs((i + 1) / s.length - f));
  });
  return d;
};

describe('Poisson arrival schedule', () => {
  it('the same seed gives the same schedule (both arms of a trial), another seed another one', () => {
    const stages = [{ rateRps: 50, seconds: 10 }];
    assert.deepEqual(poissonOffsetsMs(stages, 42), poissonOffsetsMs(stages, 42));
    assert.notDeepEqual(poissonOffsetsMs(stages, 42), poissonOffsetsMs(stages, 43));
  });

  it('offsets increase and stay inside the phase', () => {
    const xs = poissonOffsetsMs([{ rateRps: 200, seconds: 5 }], 7);
    assert.ok(xs.every((x, i) => x >= 0 && x < 5000 && (i === 0 || x > xs[i - 1]!)));
  });

  it('gaps are exponential: over 300 seeds the KS test at α = 0.01 rejects about 1 % of them', () => {
    let rejected = 0;
    const seeds = 300;
    for (let seed = 1; seed <= seeds; seed++) {
      const gaps = gapsOf(poissonOffsetsMs([{ rateRps: 50, seconds: 40 }], seed));
      if (ksExponential(gaps, 50 / 1000) > 1.628 / Math.sqrt(gaps.length)) rejected++;
    }
    assert.ok(rejected / seeds <= 0.03, `${rejected} of ${seeds} rejected`);
  });

  it('per-second counts have variance/mean ≈ 1, a 40 s phase within 0.5–1.8 in ≥ 98 % of seeds; gap CV ≈ 1', () => {
    const ratios: number[] = [];
    const cvs: number[] = [];
    for (let seed = 1; seed <= 500; seed++) {
      const xs = poissonOffsetsMs([{ rateRps: 50, seconds: 40 }], seed);
      const c = perSecond(xs, 40);
      ratios.push(sampleVar(c) / mean(c));
      const g = gapsOf(xs);
      cvs.push(Math.sqrt(sampleVar(g)) / mean(g));
    }
    assert.ok(Math.abs(mean(ratios) - 1) < 0.05, `mean variance/mean ${mean(ratios)}`);
    assert.ok(ratios.filter((r) => r >= 0.5 && r <= 1.8).length / ratios.length >= 0.98);
    assert.ok(Math.abs(mean(cvs) - 1) < 0.02, `mean gap CV ${mean(cvs)}`);
  });

  it('a stage keeps its own rate (ramp steps, spike bursts)', () => {
    const xs = poissonOffsetsMs(
      [
        { rateRps: 20, seconds: 100 },
        { rateRps: 200, seconds: 100 },
      ],
      3,
    );
    const first = xs.filter((x) => x < 100_000).length;
    const second = xs.length - first;
    assert.ok(Math.abs(first - 2000) < 4 * Math.sqrt(2000), `first stage ${first}`);
    assert.ok(Math.abs(second - 20_000) < 4 * Math.sqrt(20_000), `second stage ${second}`);
  });

  it('mulberry32 gives uniforms in [0, 1) with mean 1/2', () => {
    const u = mulberry32(9);
    const xs = Array.from({ length: 100_000 }, u);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.ok(Math.abs(mean(xs) - 0.5) < 0.005);
  });
});

describe('replayed arrival schedule', () => {
  // A capture with uneven gaps: two pairs of close requests, 10 ms apart, 490 ms between the pairs.
  const atMs = [0, 10, 500, 510, 1000];

  it('keeps the capture’s gaps in corpus order, scaled so the stage has its rate', () => {
    // Mean capture gap 250 ms; at 8 rps the mean gap is 125 ms, so every gap is halved; the gap from
    // the last line back to the first is the mean gap.
    const xs = replayOffsetsMs([{ rateRps: 8, seconds: 2 }], atMs);
    assert.deepEqual(gapsOf([0, ...xs]), [5, 245, 5, 245, 125, 5, 245, 5, 245, 125, 5, 245, 5, 245, 125, 5]);
    assert.equal(xs.length, 16);
  });

  it('scales each stage on its own and carries on through the corpus', () => {
    const xs = replayOffsetsMs(
      [
        { rateRps: 4, seconds: 1 },
        { rateRps: 40, seconds: 1 },
      ],
      atMs,
    );
    const inFirst = xs.filter((x) => x < 1000).length;
    assert.equal(inFirst, 3); // gaps 10, 490, 10 ms at the capture's own pace (4 rps = 250 ms mean)
    assert.ok(Math.abs(xs.length - inFirst - 40) <= 3, `${xs.length - inFirst} in the 40 rps second`);
  });

  it('refuses a capture that goes back in time, spans nothing or has one line', () => {
    assert.throws(() => replayOffsetsMs([{ rateRps: 1, seconds: 1 }], [0, 5, 3]), /must not decrease/);
    assert.throws(() => replayOffsetsMs([{ rateRps: 1, seconds: 1 }], [4, 4]), /span no time/);
    assert.throws(() => replayOffsetsMs([{ rateRps: 1, seconds: 1 }], [4]), /at least two/);
  });
});

describe('scheduleOffsetsMs', () => {
  it('is undefined for uniform arrivals (k6’s own executors time them) and never reads the corpus then', () => {
    const stages = [{ rateRps: 10, seconds: 1 }];
    assert.equal(
      scheduleOffsetsMs('uniform', stages, 1, () => assert.fail('read the corpus')),
      undefined,
    );
    assert.deepEqual(
      scheduleOffsetsMs('poisson', stages, 5, () => []),
      poissonOffsetsMs(stages, 5),
    );
  });
});
