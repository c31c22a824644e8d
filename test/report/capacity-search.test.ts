import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { savingsRangeOf } from '../../src/analysis/capacity/search.js';
import type { CapacitySearch, ReportModel, SearchProbe } from '../../src/model/index.js';
import { CHARTS } from '../../src/report/charts/index.js';
import { renderSvg } from '../../src/report/render-svg.js';
import { reportView } from '../../src/report/sections.js';
import { fixtureModel } from './helpers.js';

const probe = (rateRps: number, pass: boolean, purpose: SearchProbe['purpose'], i: number): SearchProbe => ({
  runId: `r${i}`,
  rateRps,
  quantileMs: pass ? 20 + rateRps / 10 : 80 + rateRps / 10,
  errorRate: 0,
  achievedRps: rateRps * (pass ? 1 : 0.9),
  requests: rateRps * 4,
  seconds: 4,
  pass,
  purpose,
  ...(pass ? {} : { failedOn: ['p95 too high'] }),
});

const search = (
  repetition: number,
  rates: [number, boolean, SearchProbe['purpose']][],
  over: Partial<CapacitySearch> = {},
): CapacitySearch => ({
  repetition,
  phase: 'search',
  probes: rates.map(([r, p, why], i) => probe(r, p, why, i)),
  stoppedBy: 'converged',
  arrivals: 'poisson',
  loadSeconds: rates.length * 4,
  wallSeconds: rates.length * 6,
  ...over,
});

/** The fixture trial with capacity searches in place of its ramp. */
const searchModel = (): ReportModel => {
  const m = fixtureModel();
  const base = [
    search(
      1,
      [
        [20, true, 'start'],
        [40, true, 'seed'],
        [44, false, 'gallop'],
        [40, true, 'confirm'],
      ],
      { passRps: 40, failRps: 44, seed: { cpuSecondsPerRequest: 0.012, saturationRps: 83, seedRps: 40 } },
    ),
    search(
      2,
      [
        [20, true, 'start'],
        [40, false, 'seed'],
        [36, true, 'gallop'],
        [36, true, 'confirm'],
      ],
      { passRps: 36, failRps: 40 },
    ),
  ];
  const cand = [
    search(
      1,
      [
        [20, true, 'start'],
        [400, true, 'seed'],
        [440, false, 'gallop'],
        [400, true, 'confirm'],
      ],
      { passRps: 400, failRps: 440 },
    ),
  ];
  for (const [role, searches] of [
    ['baseline', base],
    ['candidate', cand],
  ] as const) {
    const c = m.capacity[role];
    c.steps = [];
    c.searches = searches;
    c.search = searches[0]!;
    c.kneeRps = searches[0]!.passRps!;
    delete c.kneeIsLowerBound;
    c.sizedBy = 'knee';
  }
  m.capacity.baseline.kneeRangeRps = [36, 40];
  m.capacity.savingsRange = { instances: [5, 9], moneyPerMonth: [500, 900], currency: 'USD' };
  return m;
};

const text = (m: ReportModel): string => JSON.stringify(reportView(m));

describe('capacity search in the report', () => {
  it('says each search’s knee, bracket, stop, arrivals and spread, and the saving as a range', () => {
    const t = text(searchModel());
    assert.match(t, /knee 40 rps under Poisson arrivals/);
    assert.match(t, /search converged; passes at 40 rps, fails at 44 rps; 4 probes/);
    assert.match(t, /seeded at 40 rps from the first probe's CPU per request/);
    assert.match(t, /over 2 searches the knee ranges 36–40 rps/);
    assert.match(t, /5 to 9 instances/);
    assert.match(t, /"search-probes"/);
  });

  it('labels a capped search as a lower bound and a never-passed one as no knee', () => {
    const m = searchModel();
    m.capacity.baseline.search = search(1, [[20, false, 'start']], {
      stoppedBy: 'never-passed',
      failRps: 20,
    });
    m.capacity.candidate.search = search(
      1,
      [
        [20, true, 'start'],
        [30, true, 'seed'],
      ],
      { stoppedBy: 'max-rps', passRps: 30 },
    );
    m.capacity.candidate.kneeIsLowerBound = true;
    m.capacity.candidate.kneeRps = 30;
    const t = text(m);
    assert.match(t, /no knee.*never passed: the first probe already missed the SLO/);
    assert.match(
      t,
      /at least 30 rps under Poisson arrivals.*maxRps cap before any probe failed: a lower bound/,
    );
    assert.match(t, /≥ 30 rps/);
  });

  it('draws the probes in the order they ran, numbered, and compiles without vega-lite warnings', async () => {
    const chart = CHARTS.find((c) => c.id === 'throughput')!;
    const spec = chart.build(searchModel())!;
    const values = (
      spec as unknown as { data: { values: { kind: string; seq?: number; series?: string }[] } }
    ).data.values;
    const base1 = values.filter((v) => v.kind === 'probe' && v.series === 'baseline-1').map((v) => v.seq);
    assert.deepEqual(base1, [1, 2, 3, 4]);
    const warnings: string[] = [];
    const logger = {
      level: () => logger,
      error: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
      warn: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
      info: () => logger,
      debug: () => logger,
    };
    compile(spec, { logger: logger as never });
    assert.deepEqual(warnings, []);
    const svg = await renderSvg(spec);
    assert.match(svg, /Capacity search: throughput vs p/);
  });

  it('the saving range pairs the baseline’s highest knee with the candidate’s lowest, and the other way round', () => {
    const m = searchModel();
    const cap = { ...m.plan.capacity, peakRps: 1000, redundancy: 1, costPerInstanceHour: 1 };
    const b = {
      ...m.capacity.baseline,
      perInstanceRps: 40,
      kneeRps: 40,
      kneeRangeRps: [36, 40] as [number, number],
    };
    const c = {
      ...m.capacity.candidate,
      perInstanceRps: 400,
      kneeRps: 400,
      kneeRangeRps: [380, 410] as [number, number],
    };
    const r = savingsRangeOf(b, c, cap)!;
    // baseline: ⌈1000/40⌉+1 = 26 … ⌈1000/36⌉+1 = 29; candidate: ⌈1000/410⌉+1 = 4 … ⌈1000/380⌉+1 = 4
    assert.deepEqual(r.instances, [26 - 4, 29 - 4]);
    assert.deepEqual(r.moneyPerMonth, [(26 - 4) * 730, (29 - 4) * 730]);
    assert.equal(savingsRangeOf({ ...b, sizedBy: 'knee-lower-bound' }, c, cap), undefined);
  });
});
