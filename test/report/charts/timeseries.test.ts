import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { renderSvg } from '../../../src/report/render-svg.js';
import { MAX_POINTS_PER_RUN, buildTimeseries, thin } from '../../../src/report/charts/timeseries.js';
import { fixtureModel } from '../helpers.js';

const points = (n: number) =>
  Array.from({ length: n }, (_, t) => ({
    tSeconds: t,
    requests: 100,
    p50Ms: 5,
    p99Ms: t === 333 ? 900 : 20,
    errors: t % 2,
  }));

describe('time series chart', () => {
  it('leaves short runs alone', () => {
    const p = points(60);
    assert.deepEqual(thin(p), { points: p, factor: 1 });
  });

  it('thins a long run to at most 150 points and keeps its worst p99 spike and its totals', () => {
    const { points: out, factor } = thin(points(600));
    assert.equal(factor, 4);
    assert.ok(out.length <= MAX_POINTS_PER_RUN);
    assert.equal(Math.max(...out.map((p) => p.p99Ms)), 900);
    assert.equal(out.find((p) => p.p99Ms === 900)?.tSeconds, 332, 'the spike stays in its own window');
    assert.equal(
      out.reduce((a, p) => a + p.requests, 0),
      60_000,
    );
    assert.equal(
      out.reduce((a, p) => a + p.errors, 0),
      300,
    );
  });

  it('says in the subtitle when points were merged', () => {
    const model = fixtureModel();
    for (const s of model.timeseries) s.points = points(600);
    const spec = JSON.stringify(buildTimeseries(model));
    assert.match(spec, /worst of each 4 s after warm-up/);
    assert.match(JSON.stringify(buildTimeseries(fixtureModel())), /per second after warm-up/);
  });

  it("marks a drill run's moments (injection, trip, clearing, recovery) as labelled dotted rules that compile cleanly", async () => {
    const model = fixtureModel();
    const s = model.timeseries[0]!;
    s.events = [
      { tSeconds: 1, label: 'faults injected' },
      { tSeconds: 1.6, label: 'breaker open' },
      { tSeconds: 3, label: 'faults cleared' },
      { tSeconds: 4.2, label: 'Rust again' },
    ];
    const spec = buildTimeseries(model)!;
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
    for (const label of ['faults injected', 'breaker open', 'faults cleared', 'Rust again'])
      assert.ok(svg.includes(label), label);
    assert.match(JSON.stringify(spec), /Dotted lines mark drill moments in the bold run/);
    assert.doesNotMatch(JSON.stringify(buildTimeseries(fixtureModel())), /drill moments/);
  });
});
