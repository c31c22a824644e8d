import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CHARTS } from '../../../src/report/charts/index.js';
import { renderHtml } from '../../../src/report/exporters/html.js';
import { EVIL, canaryModel, emptyModel, fixtureModel, hostileModel, withProfiles } from '../helpers.js';

/** The charts a trial's report draws (the canary's needs a live split). */
const TRIAL_CHARTS = CHARTS.filter((c) => c.section !== 'canary');

/** The JSON documents embedded in <script type="application/json"> tags, by id. */
const embedded = (html: string): Map<string, string> =>
  new Map(
    [...html.matchAll(/<script type="application\/json" id="([^"]+)"[^>]*>([\s\S]*?)<\/script>/g)].map(
      (m) => [m[1]!, m[2]!],
    ),
  );

describe('html exporter', () => {
  let html: string;
  before(async () => {
    html = await renderHtml(withProfiles(fixtureModel()));
  });

  it('shows the sections top to bottom in the order a release review reads them', () => {
    const ids = [
      'verdict',
      'baseline',
      'tail',
      'significance',
      'capacity',
      'resources',
      'errors',
      'runs',
      'environment',
    ];
    const positions = ids.map((id) => html.indexOf(`id="${id}"`));
    for (const [i, p] of positions.entries()) assert.ok(p > 0, `section ${ids[i]} present`);
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
    );
  });

  it('states the verdict with its reasons, the pass lines as written and the date they were frozen', () => {
    assert.match(
      html,
      /<span class="decision">INCONCLUSIVE<\/span><ol><li>&quot;p99 cut &lt; 5% → drop&quot; is inconclusive/,
    );
    assert.match(html, /frozen on 2026-11-21 23:05 UTC, before the first run; judged on the steady phase/);
    assert.match(html, /<b>scan p99 −20%<\/b><div class="muted">/);
    assert.match(html, /<span class="status warn">⚠ warn<\/span>/);
    assert.match(html, /<b>p99 cut &lt; 5% → drop<\/b>/);
  });

  it('prints the resource headline and says when there is no saving', () => {
    assert.match(html, /<p class="headline">CPU −22%, end-to-end −31%<\/p>/);
    assert.match(html, /No saving: both configurations need 8 instances at peak\./);
  });

  it('prints a saving, a new error class and the build cost when the model has them', async () => {
    const m = fixtureModel();
    m.capacity.savings = { instances: 2, moneyPerMonth: 280.4, currency: 'USD', share: 0.2 };
    m.errors[1]!.isNew = true;
    m.builds.candidate = { buildSeconds: 71.5, binaryBytes: 12_373_197, toolchains: ['go1.26.8'] };
    const out = await renderHtml(m);
    assert.match(out, /Saves <b>2 instances<\/b> and <b>280 USD per month<\/b> \(20% of the fleet\)/);
    assert.match(out, /<td><span class="new">NEW<\/span> <code>http-400<\/code><\/td><td>fields<\/td>/);
    assert.match(out, /71\.5 s<\/td><td class="num">11\.8 MiB/);
  });

  it('marks non-significant comparisons with ~ and footnotes warnings beside the figure', () => {
    assert.match(
      html,
      /orders · p99 latency<\/td>.*?~ \(\+14%\)<sup class="fn"><a href="#significance-note-2" title="2 vs 2 runs/,
    );
    assert.match(
      html,
      /<li id="significance-note-1">2 vs 2 runs: the exact Mann-Whitney test cannot reach p &lt; 0\.05 below 5 runs per arm/,
    );
  });

  it('inlines every chart as SVG and embeds its vega-lite spec with data as JSON', () => {
    const specs = embedded(html);
    for (const chart of TRIAL_CHARTS) {
      assert.match(html, new RegExp(`<figure id="chart-${chart.id}"><div class="chart"[^>]*><svg`));
      const json = specs.get(`chart-spec-${chart.id}`);
      assert.ok(json, `spec of ${chart.id} embedded`);
      assert.deepEqual(
        JSON.parse(json),
        JSON.parse(JSON.stringify(chart.build(withProfiles(fixtureModel())))),
      );
    }
  });

  it('needs nothing from the network: a CSP forbids fetches and no src/href points outside the page', () => {
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(
      refs.every((r) => r.startsWith('#')),
      `only in-page links: ${refs.filter((r) => !r.startsWith('#')).join(', ')}`,
    );
    assert.ok(!/<script(?![^>]*type="application\/json")/.test(html), 'no executable script');
    assert.ok(!/@import|url\((?!#)/.test(html), 'no CSS imports, url() only to in-page ids (SVG clip paths)');
  });

  it('never inlines raw per-request samples', () => {
    assert.ok(html.length < 2_000_000, `${html.length} bytes`);
  });

  it('escapes hostile names, tags and error messages: inert text in HTML, \\u003c in embedded JSON', async () => {
    const evil = await renderHtml(hostileModel());
    const tags = [...evil.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(
      tags.every((t) => t.includes('type="application/json"')),
      tags.join('\n'),
    );
    assert.ok(!/<img|<svg onload/.test(evil), 'no element from model text');
    assert.ok(
      evil.includes('&lt;script&gt;alert(&quot;b&quot;)&lt;/script&gt;'),
      'baseline name shown as text',
    );
    assert.ok(evil.includes('&lt;/title&gt;&lt;script&gt;'), 'plan name shown as text');
    for (const [id, json] of embedded(evil)) {
      assert.ok(!json.includes('<'), `${id}: no raw < inside the JSON`);
      if (id === 'chart-spec-ladder')
        assert.ok(
          JSON.stringify(JSON.parse(json)).includes(JSON.stringify(EVIL.endpoint).slice(1, -1)),
          'parses back to the same text',
        );
    }
  });

  it('says so instead of drawing an empty chart when the model has no data', async () => {
    const empty = await renderHtml(emptyModel());
    // Without CPU profiles the whole "Where the CPU goes" section (and its chart) is left out.
    const shown = TRIAL_CHARTS.filter((c) => c.section !== 'profile');
    assert.equal((empty.match(/class="nodata"/g) ?? []).length, shown.length);
    assert.ok(!empty.includes('<svg'));
  });

  it("a canary's report: the live-rollout section with its share-and-judgement chart, windows instead of runs", async () => {
    const page = await renderHtml(canaryModel());
    assert.match(page, /<h2[^>]*>Live rollout<\/h2>/);
    assert.match(page, /<figure id="chart-canary"><div class="chart"[^>]*><svg/);
    assert.ok(embedded(page).has('chart-spec-canary'));
    assert.match(page, /<h2[^>]*>Windows<\/h2>/);
    assert.match(page, /<table class="windows"/);
    assert.ok(!/<h2[^>]*>Runs<\/h2>/.test(page), 'no Runs section in a canary');
    assert.ok(!html.includes('chart-canary'), "no canary chart in a trial's report");
  });
});
