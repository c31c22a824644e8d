import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile } from 'vega-lite';
import { CHARTS, ROLE_COLORS } from '../../../src/report/charts/index.js';
import { thinShare } from '../../../src/report/charts/canary.js';
import { renderSvg } from '../../../src/report/render-svg.js';
import { canaryModel, emptyModel, fixtureModel, withProfiles } from '../helpers.js';

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
  const canary = canaryModel();
  /** The canary's chart needs a canary's model (a trial has no live split); every other chart the trial's. */
  const modelFor = (chart: (typeof CHARTS)[number]) => (chart.section === 'canary' ? canary : model);

  it('registers nine charts with unique ids', () => {
    assert.equal(CHARTS.length, 9);
    assert.equal(new Set(CHARTS.map((c) => c.id)).size, CHARTS.length);
  });

  for (const chart of CHARTS) {
    describe(chart.id, () => {
      it('compiles with vega-lite without warnings', () => {
        const spec = chart.build(modelFor(chart));
        assert.ok(spec, 'the fixture has data for every chart');
        const { vega, warnings } = compileStrict(spec);
        assert.deepEqual(warnings, []);
        assert.ok(vega.marks && vega.marks.length > 0);
      });

      it('renders to SVG with data marks in both configuration colours', async () => {
        const svg = await renderSvg(chart.build(modelFor(chart))!);
        assert.match(svg, /^<svg[^>]*class="marks"/);
        assert.ok(markCount(svg) > 20, `only ${markCount(svg)} marks`);
        if (chart.id !== 'forest') {
          for (const color of Object.values(ROLE_COLORS))
            assert.ok(svg.toLowerCase().includes(color.toLowerCase()), `${chart.id} uses ${color}`);
        }
      });

      it('has a title, a subtitle saying what to look at, and a unit on every quantitative axis', async () => {
        const spec = chart.build(modelFor(chart)) as unknown as {
          title: { text: string; subtitle: string[] };
        };
        assert.ok(spec.title.text.length > 5);
        assert.ok([spec.title.subtitle].flat().join(' ').length > 20);
        const svg = await renderSvg(chart.build(modelFor(chart))!);
        const axisTitles = [...svg.matchAll(/role-axis-title"[^>]*><text[^>]*>([^<]*)<\/text>/g)].map(
          (m) => m[1]!,
        );
        assert.ok(axisTitles.length >= 1, 'at least one axis title');
        for (const t of axisTitles)
          assert.match(
            t,
            /\((ms|ms, log|s|KiB|MiB|requests\/s|%|% of samples|UTC)\)|^percentile|^instances$|ratio candidate/,
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

  it('canary: the share of each arm per step, one bar per window coloured by its judgement, none for a trial', () => {
    const spec = CHARTS.find((c) => c.id === 'canary')!.build(canary) as unknown as {
      vconcat: { data: { values: { kind: string; judgement?: string; sharePct?: number }[] } }[];
    };
    const [share, windows] = spec.vconcat.map((v) => v.data.values);
    const c = canary.canary!;
    assert.equal(windows!.length, c.windows.length);
    assert.deepEqual(
      windows!.map((w) => w.judgement),
      c.windows.map((w) =>
        !w.used || !w.judgement ? 'left out' : w.judgement === 'same' ? 'within the cut' : w.judgement,
      ),
    );
    // Two rows per step (one per arm), and each step's shares add up to 100 %.
    const steps = c.shareOverTime.filter((p) => p.requests > 0).length;
    assert.equal(share!.length, 2 * steps);
    for (let i = 0; i < share!.length; i += 2)
      assert.ok(Math.abs(share![i]!.sharePct! + share![i + 1]!.sharePct! - 100) < 1e-9);
    assert.equal(CHARTS.find((c) => c.id === 'canary')!.build(model), null);
  });

  it('canary: a 14-day rollout at a 5-minute step is averaged down to at most 300 points, weighted by requests', () => {
    const points = Array.from({ length: 4032 }, (_, i) => ({
      t: new Date(Date.UTC(2026, 0, 1) + i * 300_000).toISOString(),
      candidateShare: i % 2 ? 1 : 0,
      requests: i % 2 ? 3 : 1,
    }));
    const thin = thinShare(points);
    assert.ok(thin.length <= 300 && thin.length >= 250, `${thin.length}`);
    // 14 steps a point: 7 at share 1 with 3 requests, 7 at share 0 with 1 → 21 / 28.
    assert.equal(thin[0]!.requests, 28);
    assert.ok(Math.abs(thin[0]!.candidateShare - 0.75) < 1e-12);
  });
});
