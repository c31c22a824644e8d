import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { CHARTS, ROLE_COLORS } from '../../../src/report/charts/index.js';
import { renderSvg } from '../../../src/report/render-svg.js';
import { emptyModel, fixtureModel, withProfiles } from '../helpers.js';

/** vega-lite reports dropped encodings and bad channels as warnings through its logger, not errors. */
const compileStrict = (spec: Parameters<typeof compile>[0]) => {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...a: unknown[]) => {
      warnings.push(`error: ${a.join(' ')}`);
      return logger;
    },
    warn: (...a: unknown[]) => {
      warnings.push(`warn: ${a.join(' ')}`);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  const out = compile(spec, { logger: logger as never });
  return { vega: out.spec, warnings };
};

const markCount = (svg: string): number => (svg.match(/<(path|line|rect|circle|text)\b[^>]*>/g) ?? []).length;

describe('charts', () => {
  // The tiny trial took no CPU profiles: the committed real ones (test/fixtures/pprof) stand in.
  const model = withProfiles(fixtureModel());

  it('registers eight charts with unique ids', () => {
    assert.equal(CHARTS.length, 8);
    assert.equal(new Set(CHARTS.map((c) => c.id)).size, CHARTS.length);
  });

  for (const chart of CHARTS) {
    describe(chart.id, () => {
      it('compiles with vega-lite without warnings', () => {
        const spec = chart.build(model);
        assert.ok(spec, 'the fixture has data for every chart');
        const { vega, warnings } = compileStrict(spec);
        assert.deepEqual(warnings, []);
        assert.ok(vega.marks && vega.marks.length > 0);
      });

      it('renders to SVG with data marks in both configuration colours', async () => {
        const svg = await renderSvg(chart.build(model)!);
        assert.match(svg, /^<svg[^>]*class="marks"/);
        assert.ok(markCount(svg) > 20, `only ${markCount(svg)} marks`);
        if (chart.id !== 'forest') {
          for (const color of Object.values(ROLE_COLORS))
            assert.ok(svg.toLowerCase().includes(color.toLowerCase()), `${chart.id} uses ${color}`);
        }
      });

      it('has a title, a subtitle saying what to look at, and a unit on every quantitative axis', async () => {
        const spec = chart.build(model) as unknown as { title: { text: string; subtitle: string[] } };
        assert.ok(spec.title.text.length > 5);
        assert.ok([spec.title.subtitle].flat().join(' ').length > 20);
        const svg = await renderSvg(chart.build(model)!);
        const axisTitles = [...svg.matchAll(/role-axis-title"[^>]*><text[^>]*>([^<]*)<\/text>/g)].map(
          (m) => m[1]!,
        );
        assert.ok(axisTitles.length >= 1, 'at least one axis title');
        for (const t of axisTitles)
          assert.match(
            t,
            /\((ms|ms, log|s|KiB|MiB|requests\/s|% of samples)\)|^percentile|^instances$|ratio candidate/,
            `axis title "${t}" names its unit`,
          );
      });

      it('returns null instead of an empty chart when the model has no data for it', () => {
        assert.equal(chart.build(emptyModel()), null);
      });
    });
  }

  it('uses the same colour for a configuration in every chart (one scale domain and range)', () => {
    const scales = CHARTS.map((c) => JSON.stringify(c.build(model)))
      .flatMap((json) => [
        ...json.matchAll(
          /"scale":\{"domain":\["pure Go \(baseline\)","Rust hotspot \(candidate\)"\],"range":\["([^"]+)","([^"]+)"\]\}/g,
        ),
      ])
      .map((m) => `${m[1]},${m[2]}`);
    assert.ok(scales.length >= 6);
    assert.deepEqual(new Set(scales), new Set([`${ROLE_COLORS.baseline},${ROLE_COLORS.candidate}`]));
  });

  it('marks the rollback drill flag flips on the time series', () => {
    const m = fixtureModel();
    const run = m.timeseries.find((t) => t.role === 'candidate' && t.phase === 'steady')!;
    run.flips = [{ tSeconds: 2, from: 'rust', to: 'go' }];
    const spec = JSON.stringify(CHARTS.find((c) => c.id === 'timeseries')!.build(m));
    assert.match(
      spec,
      new RegExp(`"kind":"flip","phase":"steady","runId":"${run.runId}","tSeconds":2,"label":"rust → go`),
    );
  });

  it('draws the SLO line and both knees on throughput vs p99', () => {
    const spec = JSON.stringify(CHARTS.find((c) => c.id === 'throughput')!.build(model));
    assert.match(spec, /"sloMs":40/);
    assert.match(spec, /"kind":"knee","config":"pure Go \(baseline\)","kneeRps":300/);
    assert.match(spec, /"kind":"knee","config":"Rust hotspot \(candidate\)","kneeRps":300/);
  });
});
