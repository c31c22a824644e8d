import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessGenerator, combineSamples, peakWindowUtilisation } from '../../src/drivers/health.js';
import type { CpuSample } from '../../src/drivers/process.js';

/** 250 ms samples of a process using `rates[k]` cores during second k. */
const series = (rates: number[], t0 = 0): CpuSample[] => {
  const out: CpuSample[] = [];
  let cpu = 0;
  for (let q = 0; q < rates.length * 4; q += 1) {
    cpu += (rates[Math.floor(q / 4)] as number) * 0.25;
    out.push({ tMs: t0 + (q + 1) * 250, cpuSeconds: cpu });
  }
  return out;
};

const figures = (s: CpuSample[][], loadSeconds: number, wallSeconds: number) => ({
  cpuSeconds: s.reduce((sum, x) => sum + (x.at(-1)?.cpuSeconds ?? 0), 0),
  wallSeconds,
  cpuSamples: s,
  loadSeconds,
  processes: s.length,
  expectsSaturation: false,
});

describe('generator health', () => {
  it('marks limited when a 3 s stretch of the load saturates the core though the whole-run average is 65 %', () => {
    const s = [series([1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])];
    const { health } = assessGenerator(figures(s, 10, 10));
    assert.ok((health.cpuUtilisation ?? 0) < 0.7);
    assert.equal(health.limited, true);
    assert.match(health.limitedReason ?? '', /100 % of its core over its busiest 2 s/);
  });

  it('does not count k6 start-up (before the load) as load', () => {
    // 2 s of script compilation at a full core, then 6 s of load at 40 %.
    const s = [series([1, 1, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4])];
    const { health } = assessGenerator(figures(s, 6, 8));
    assert.equal(health.limited, false, health.limitedReason);
  });

  it('judges processes sharing one core together', () => {
    const a = series([0.5, 0.5, 0.5, 0.5]);
    const b = series([0.5, 0.5, 0.5, 0.5], 100);
    const peak = peakWindowUtilisation(combineSamples([a, b]), 4000) ?? 0;
    assert.ok(peak > 0.9 && peak < 1.1, `peak ${peak}`);
    assert.equal(assessGenerator(figures([a, b], 4, 4)).health.limited, true);
  });

  it('the hint for a busy generator does not suggest more processes on the same core', () => {
    const { warnings } = assessGenerator({
      ...figures([series([1, 1, 1])], 3, 3),
      offeredRps: 1000,
      achievedRps: 500,
    });
    assert.equal(warnings[0]?.code, 'offered-not-delivered');
    assert.doesNotMatch(warnings[0]?.hint ?? '', /processes\)/);
    assert.match(warnings[0]?.hint ?? '', /share one pinned core/);
  });

  it('falls back to the whole-run average without samples', () => {
    const { health } = assessGenerator({
      cpuSeconds: 0.95,
      wallSeconds: 1,
      processes: 1,
      expectsSaturation: true,
    });
    assert.equal(health.limited, true);
  });
});
