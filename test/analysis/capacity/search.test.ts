import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bracketOf,
  generatorCeilingOf,
  judgeProbe,
  nextProbe,
  searchCapacity,
  searchSpecOf,
  seedOf,
  type JudgedProbe,
  type SearchSpec,
} from '../../../src/analysis/capacity/search.js';
import { minRequestsForQuantile } from '../../../src/analysis/stats/index.js';
import { probeMinRequests, type K6PhaseSpec, type RunRecord, type Slo } from '../../../src/model/index.js';
import { sampleSet } from '../helpers.js';

const slo: Slo = { quantile: 0.95, latencyMs: 50, maxErrorRate: 0.01 };
const phase: K6PhaseSpec = {
  name: 'search',
  driver: 'k6',
  scenario: 'capacity-search',
  fromRps: 10,
  maxRps: 1000,
  probeSeconds: 3,
  minRequests: 72,
  budgetSeconds: 600,
  arrivals: 'poisson',
};
const spec = (over: Partial<K6PhaseSpec> = {}): SearchSpec => searchSpecOf({ ...phase, ...over }, slo);

/**
 * A service that is an M/M/1 queue with service rate μ: the q-quantile of the response time at arrival
 * rate λ is ln(1/(1−q)) / (μ − λ); CPU per request is 1/μ. Its knee under the SLO is
 * μ − ln(1/(1−q)) / SLO. Probes are judged on that quantile alone (the other criteria hold).
 */
const mm1 = (mu: number) => (rateRps: number) =>
  rateRps >= mu ? Infinity : (Math.log(1 / (1 - slo.quantile)) / (mu - rateRps)) * 1000;
const mm1Knee = (mu: number): number => mu - Math.log(1 / (1 - slo.quantile)) / (slo.latencyMs / 1000);

/** Runs the search against `quantileAt` (ms at a rate) to its stop; returns the probes and the stop. */
const simulate = (
  s: SearchSpec,
  quantileAt: (rateRps: number) => number,
  opts: { cpuSecondsPerRequest?: number; limitedAbove?: number; secondsPerProbeWall?: number } = {},
) => {
  const history: JudgedProbe[] = [];
  let t = 0;
  for (let guard = 0; guard < 100; guard++) {
    const step = nextProbe(s, history);
    if ('stop' in step) return { history, stop: step.stop, purposes: [] as string[] };
    const q = quantileAt(step.rateRps);
    const limited = opts.limitedAbove !== undefined && step.rateRps > opts.limitedAbove;
    const wall = step.durationSeconds + (opts.secondsPerProbeWall ?? 0);
    history.push({
      runId: `r${guard}`,
      rateRps: step.rateRps,
      quantileMs: q,
      errorRate: 0,
      achievedRps: step.rateRps,
      requests: step.rateRps * step.durationSeconds,
      seconds: step.durationSeconds,
      pass: q <= s.slo.latencyMs && !limited,
      generatorLimited: limited,
      startedAtMs: t * 1000,
      endedAtMs: (t + wall) * 1000,
      ...(opts.cpuSecondsPerRequest !== undefined ? { cpuSecondsPerRequest: opts.cpuSecondsPerRequest } : {}),
    });
    t += wall;
  }
  throw new Error('the search did not stop within 100 probes');
};

const knee = (k: number) => (rateRps: number) => (rateRps <= k ? 10 : 100);

describe('capacity search: the next probe (Nighthawk exponential search, then bisection)', () => {
  it('grows ×2 from fromRps to the first failure, bisects geometrically to ±10 %, confirms, and brackets the knee', () => {
    const { history, stop } = simulate(spec({ seedFrom: 'none' }), knee(137));
    assert.equal(stop, 'converged');
    assert.deepEqual(
      history.map((p) => [p.rateRps, p.pass]),
      [
        [10, true],
        [20, true],
        [40, true],
        [80, true],
        [160, false],
        [113, true],
        [134, true],
        [146, false],
        [134, true],
      ],
    );
    const { passRps, failRps } = bracketOf(history);
    assert.equal(passRps, 134);
    assert.equal(failRps, 146);
    assert.ok(passRps! <= 137 && 137 < failRps!);
    assert.ok(failRps! / passRps! <= 1.1);
  });

  it('a failed confirmation makes the rate failing and steps down to the next passing rate', () => {
    let confirmations = 0;
    // Passes up to 137 except on the second probe at 134 (a noisy confirmation).
    const flaky = (rateRps: number) => {
      if (rateRps === 134 && ++confirmations === 2) return 100;
      return rateRps <= 137 ? 10 : 100;
    };
    const { history, stop } = simulate(spec({ seedFrom: 'none' }), flaky);
    assert.equal(stop, 'converged');
    const rates = history.map((p) => p.rateRps);
    assert.deepEqual(rates.slice(0, 9), [10, 20, 40, 80, 160, 113, 134, 146, 134]);
    assert.equal(history[8]!.pass, false);
    const { passRps, failRps } = bracketOf(history);
    assert.equal(failRps, 134);
    assert.ok(passRps! < 134 && 134 / passRps! <= 1.1, `bracket ${passRps}–${failRps}`);
    assert.equal(history.filter((p) => p.rateRps === passRps).length, 2, 'the new passRps is confirmed');
  });

  it('stops as never-passed when the first probe (fromRps) misses the SLO, and never goes below it', () => {
    const { history, stop } = simulate(spec(), knee(5));
    assert.equal(stop, 'never-passed');
    assert.deepEqual(
      history.map((p) => p.rateRps),
      [10],
    );
  });

  it('stops at maxRps as a lower bound when every probe up to the cap passed', () => {
    const { history, stop } = simulate(spec({ seedFrom: 'none', maxRps: 50 }), knee(1000));
    assert.equal(stop, 'max-rps');
    assert.deepEqual(
      history.map((p) => p.rateRps),
      [10, 20, 40, 50],
    );
  });

  it('stops on the time budget before a probe that would overrun it', () => {
    const { history, stop } = simulate(spec({ seedFrom: 'none', budgetSeconds: 20 }), knee(137), {
      secondsPerProbeWall: 2,
    });
    assert.equal(stop, 'budget');
    const wall = (history.at(-1)!.endedAtMs - history[0]!.startedAtMs) / 1000;
    assert.ok(wall <= 20, `wall ${wall}`);
    assert.ok(
      history.every((p) => p.pass),
      'stopped before the first failure: passRps is a lower bound',
    );
  });

  it('below a limited generator it bisects down to the ceiling and stops there as a lower bound, never counting the limited probes as service failures', () => {
    const { history, stop } = simulate(spec({ seedFrom: 'none' }), knee(1000), { limitedAbove: 60 });
    assert.equal(stop, 'generator');
    assert.deepEqual(
      history.map((p) => [p.rateRps, p.pass]),
      [
        [10, true],
        [20, true],
        [40, true],
        [80, false],
        [57, true],
        [68, false],
        [62, false],
      ],
    );
    const { passRps, failRps } = bracketOf(history);
    assert.equal(passRps, 57);
    assert.equal(failRps, undefined, 'no probe failed for the service');
    assert.equal(generatorCeilingOf(history), 62);
    assert.ok(62 / 57 <= 1.1);
  });

  it('a CPU seed beyond the generator gallops down from the limited probe to the generator’s ceiling', () => {
    // The service could take 2000 rps; the generator delivers up to 700.
    const { history, stop } = simulate(spec(), mm1(2000), {
      cpuSecondsPerRequest: 1 / 2000,
      limitedAbove: 700,
    });
    assert.equal(stop, 'generator');
    const seedRate = history[1]!.rateRps;
    assert.ok(seedRate > 700 && history[1]!.generatorLimited, `seed ${seedRate}`);
    const { passRps } = bracketOf(history);
    const ceiling = generatorCeilingOf(history)!;
    assert.ok(passRps! <= 700 && ceiling > 700 && ceiling / passRps! <= 1.1, `${passRps}–${ceiling}`);
    assert.ok(history.length <= 6, `${history.length} probes`);
  });

  it('a generator limited at the first probe stops the search with nothing measured', () => {
    const { history, stop } = simulate(spec(), knee(1000), { limitedAbove: 5 });
    assert.equal(stop, 'generator');
    assert.equal(history.length, 1);
    assert.deepEqual(bracketOf(history), {});
  });

  it('a service failure below the generator’s ceiling brackets the knee as usual', () => {
    const { history, stop } = simulate(spec({ seedFrom: 'none' }), knee(50), { limitedAbove: 70 });
    assert.equal(stop, 'converged');
    const { passRps, failRps } = bracketOf(history);
    assert.ok(passRps! <= 50 && 50 < failRps! && failRps! <= 70, `${passRps}–${failRps}`);
  });

  it('probe length: at least probeSeconds, and long enough for minRequests at the rate', () => {
    const first = nextProbe(spec(), []);
    assert.ok('rateRps' in first);
    // 72 requests × 1.1 at 10 rps → 8 s; 3 s at 100 rps would do.
    assert.equal(first.durationSeconds, 8);
    const s = spec({ fromRps: 100 });
    const at100 = nextProbe(s, []);
    assert.ok('rateRps' in at100 && at100.durationSeconds === 3);
  });
});

describe('capacity search: seeded from the first probe’s CPU per request', () => {
  it('places the seed at μ − (μ − λ₀)·t₀/SLO, which is the M/M/1 knee exactly', () => {
    const mu = 200;
    const t0 = mm1(mu)(10);
    const seed = seedOf({ rateRps: 10, quantileMs: t0, cpuSecondsPerRequest: 1 / mu, pass: true }, spec());
    assert.equal(seed!.saturationRps, 200);
    assert.equal(seed!.seedRps, Math.round(mm1Knee(mu)));
  });

  it('needs fewer probes than the unseeded search on M/M/1 services across a range of knees', () => {
    const counts: [number, number, number][] = [];
    for (const mu of [90, 120, 150, 240, 400, 700]) {
      const quantileAt = mm1(mu);
      const seeded = simulate(spec(), quantileAt, { cpuSecondsPerRequest: 1 / mu });
      const plain = simulate(spec({ seedFrom: 'none' }), quantileAt);
      for (const r of [seeded, plain]) {
        assert.equal(r.stop, 'converged', `μ ${mu}`);
        const { passRps, failRps } = bracketOf(r.history);
        const k = mm1Knee(mu);
        assert.ok(passRps! <= k && k < failRps!, `μ ${mu}: ${passRps}–${failRps} brackets ${k}`);
      }
      counts.push([mu, seeded.history.length, plain.history.length]);
    }
    for (const [mu, seeded, plain] of counts) assert.ok(seeded < plain, `μ ${mu}: ${seeded} vs ${plain}`);
  });

  it('recovers when the CPU seed is far too high (a contended core): gallops down, then bisects', () => {
    const quantileAt = mm1(100); // knee ≈ 40
    const { history, stop } = simulate(spec(), quantileAt, { cpuSecondsPerRequest: 1 / 1000 });
    assert.equal(stop, 'converged');
    const { passRps, failRps } = bracketOf(history);
    const k = mm1Knee(100);
    assert.ok(passRps! <= k && k < failRps!, `${passRps}–${failRps} brackets ${k}`);
    assert.ok(history[1]!.rateRps > 3 * k, `the seed ${history[1]!.rateRps} is far above the knee ${k}`);
  });

  it('without a CPU figure falls back to ×2 growth', () => {
    const { history } = simulate(spec(), knee(137));
    assert.deepEqual(
      history.slice(0, 3).map((p) => p.rateRps),
      [10, 20, 40],
    );
  });
});

describe('capacity search: judging one probe on its own run', () => {
  const rows = (n: number, seconds: number, latencyMs: (i: number) => number, status = 200) =>
    Array.from({ length: n }, (_, i) => ({ tMs: (i * seconds * 1000) / n, latencyMs: latencyMs(i), status }));
  const run = (
    samples: ReturnType<typeof sampleSet>,
    extra: Partial<Parameters<typeof judgeProbe>[0]> = {},
  ) => ({
    runId: 'r1',
    rateRps: 100,
    seconds: 4,
    samples,
    droppedIterations: 0,
    generatorLimited: false,
    startedAtMs: 0,
    endedAtMs: 4000,
    ...extra,
  });

  it('takes the SLO quantile (R type 7) of the probe’s own latencies', () => {
    // 400 requests, latencies 1…400 ms: p95 by R-7 = 1 + 0.95·399 = 380.05.
    const j = judgeProbe(run(sampleSet(rows(400, 4, (i) => i + 1))), spec());
    assert.ok(Math.abs(j.quantileMs - 380.05) < 1e-9);
    assert.equal(j.pass, false);
    assert.deepEqual(j.failedOn, ['p95 380 ms > 50 ms']);
  });

  it('fails on errors, a short delivery, dropped iterations and a limited generator, each named', () => {
    const ok = sampleSet(rows(400, 4, () => 5));
    assert.equal(judgeProbe(run(ok), spec()).pass, true);
    const errs = sampleSet([...rows(390, 4, () => 5), ...rows(10, 4, () => 5, 500)]);
    assert.deepEqual(judgeProbe(run(errs), spec()).failedOn, ['errors 2.5 %']);
    // Poisson count: 400 expected, at least 400 − 3·20 = 340 needed.
    assert.equal(judgeProbe(run(sampleSet(rows(345, 4, () => 5))), spec()).pass, true);
    assert.deepEqual(judgeProbe(run(sampleSet(rows(330, 4, () => 5))), spec()).failedOn, [
      'achieved 82.5 of 100 rps',
    ]);
    // Evenly spaced arrivals: 97 % of the offered rate.
    assert.equal(
      judgeProbe(run(sampleSet(rows(380, 4, () => 5))), spec({ arrivals: 'uniform' })).pass,
      false,
    );
    assert.deepEqual(judgeProbe(run(ok, { droppedIterations: 3, generatorLimited: true }), spec()).failedOn, [
      '3 dropped iterations',
      'generator limited',
    ]);
  });
});

describe('capacity search: the configuration’s capacity from its searches', () => {
  const record = (over: Partial<RunRecord>): RunRecord => ({
    id: 'r',
    role: 'baseline',
    configurationName: 'b',
    phase: 'search',
    scenario: 'capacity-search',
    repetition: 1,
    order: 0,
    driver: 'k6',
    driverVersion: 'v',
    status: 'ok',
    warmupSeconds: 0,
    generator: { limited: false, droppedIterations: 0 },
    raw: { outputs: [], logs: [] },
    warnings: [],
    ...over,
  });
  /** Runs of one search that probes `rates` against a service with knee `k` (latency 10 or 100 ms). */
  const searchRuns = (rep: number, rates: number[], k: number, firstOrder: number) =>
    rates.map((rateRps, i) => {
      const seconds = 4;
      const n = rateRps * seconds;
      const lat = rateRps <= k ? 10 : 100;
      return {
        run: record({
          id: `r${firstOrder + i}`,
          repetition: rep,
          order: firstOrder + i,
          overrides: { rateRps, durationSeconds: seconds },
          startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, (firstOrder + i) * 5)).toISOString(),
          endedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, (firstOrder + i) * 5 + 4)).toISOString(),
        }),
        samples: sampleSet(
          Array.from({ length: n }, (_, j) => ({
            tMs: (j * seconds * 1000) / n,
            latencyMs: lat,
            status: 200,
          })),
        ),
      };
    });

  it('repeated converged searches give the median knee, sized by it, and the range of knees', () => {
    const s = spec({ seedFrom: 'none', fromRps: 100, minRequests: 10 });
    const runs = [
      ...searchRuns(1, [100, 200, 141, 168, 183, 168], 170, 0),
      ...searchRuns(2, [100, 200, 141, 168, 183, 183], 195, 6),
      ...searchRuns(3, [100, 200, 141, 119, 130, 130], 135, 12),
    ];
    const c = searchCapacity('baseline', s, runs);
    assert.deepEqual(
      c.searches.map((x) => [x.stoppedBy, x.passRps, x.failRps]),
      [
        ['converged', 168, 183],
        ['converged', 183, 200],
        ['converged', 130, 141],
      ],
    );
    assert.equal(c.search!.repetition, 1);
    assert.equal(c.knee!.kneeRps, 168);
    assert.equal(c.knee!.sizeByKnee, true);
    assert.deepEqual(c.kneeRangeRps, [130, 183]);
    assert.deepEqual(
      c.searches[0]!.probes.map((p) => p.purpose),
      ['start', 'grow', 'bisect', 'bisect', 'bisect', 'confirm'],
    );
  });

  it('a search that never passed gives no knee: kneeBelowRps at fromRps and a warning', () => {
    const c = searchCapacity(
      'baseline',
      spec({ fromRps: 100, minRequests: 10 }),
      searchRuns(1, [100], 50, 0),
    );
    assert.equal(c.search!.stoppedBy, 'never-passed');
    assert.equal(c.knee!.kneeRps, undefined);
    assert.equal(c.knee!.kneeBelowRps, 100);
    assert.ok(c.knee!.warnings.some((w) => w.code === 'search-never-passed'));
  });

  it('a probe that did not finish ends its search as unfinished, with its lower bound labelled', () => {
    const runs = searchRuns(1, [100, 200], 1000, 0);
    runs[1]!.run.status = 'failed';
    const c = searchCapacity('baseline', spec({ seedFrom: 'none', fromRps: 100, minRequests: 10 }), runs);
    assert.equal(c.search!.stoppedBy, 'unfinished');
    assert.equal(c.search!.next, undefined);
    assert.ok(c.knee!.warnings.some((w) => w.code === 'search-unfinished'));
  });
});

describe('probeMinRequests', () => {
  it('equals minRequestsForQuantile for the SLO quantiles a plan uses', () => {
    for (const q of [0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999])
      assert.equal(probeMinRequests(q), minRequestsForQuantile(q), `q ${q}`);
  });
});
