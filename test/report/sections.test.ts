import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { START_LATENESS_P99_MAX_MS } from '../../src/analysis/summarize.js';
import { warning, type ReportModel } from '../../src/model/index.js';
import { renderMarkdown } from '../../src/report/exporters/markdown.js';
import { renderHtml } from '../../src/report/exporters/html.js';
import { reportView } from '../../src/report/sections.js';
import { EVIL, fixtureModel } from './helpers.js';

const withCorrectness = (mismatches: number): ReportModel => {
  const m = fixtureModel();
  m.correctness = {
    comparedRequests: 1200,
    mismatches,
    noisyLines: 3,
    noisyRequests: 40,
    comparedLines: 400,
    ignoredLines: 0,
    unpairedRequests: 0,
    byEndpoint: { scan: { compared: 800, mismatches }, fields: { compared: 400, mismatches: 0 } },
    examples: mismatches
      ? [
          {
            line: 17,
            endpoint: 'scan',
            baselineStatus: 200,
            candidateStatus: 200,
            baselineDigest: '0123456789abcdef',
            candidateDigest: 'fedcba9876543210',
            requestPrefix: EVIL.error,
          },
        ]
      : [],
    mismatchShare: mismatches / 1200,
    mismatchShareCi95: [0, 0.0032],
  };
  return m;
};

describe('Same output section', () => {
  it('is absent without digests or shadow figures, so reports without them keep their sections', () => {
    const ids = reportView(fixtureModel()).sections.map((s) => s.id);
    assert.ok(!ids.includes('same-output'));
    assert.match(renderMarkdown(fixtureModel()), /Result mismatches between Go and Rust — .*not measured/);
  });

  it('shows the compared requests, mismatches per endpoint and the first examples, replacing "not measured"', () => {
    const md = renderMarkdown(withCorrectness(2));
    assert.match(md, /## Same output/);
    assert.match(md, /\*\*2 mismatches\*\* over 1,200 compared candidate requests/);
    assert.match(md, /\| scan \| 800 \| 2 \|/);
    assert.match(md, /\| 17 \| scan \| 200 0123456789abcdef \| 200 fedcba9876543210 \|/);
    assert.match(md, /3 lines the baseline itself answered in more than one way/);
    assert.doesNotMatch(md, /Result mismatches between Go and Rust — [^\n]*not measured/);
    assert.match(md, /Result mismatches between Go and Rust — 2 of 1,200 compared candidate requests/);
  });

  it('escapes the request prefix (untrusted corpus text) in HTML', async () => {
    const html = await renderHtml(withCorrectness(1));
    assert.ok(!html.includes(EVIL.error), 'raw request text must not reach the HTML');
  });

  it('shows shadow mode totals: mismatch rate and Go vs Rust on the same inputs', () => {
    const m = fixtureModel();
    const cand = m.resources.filter((r) => r.role === 'candidate');
    cand.forEach((r, i) => {
      r.shadow = {
        compared: 100,
        mismatches: i === 0 ? 1 : 0,
        rustErrors: 0,
        goMsMean: 4 + i,
        rustMsMean: 1,
      };
    });
    const md = renderMarkdown(m);
    assert.match(md, /### Shadow mode/);
    assert.match(md, new RegExp(`Rust beside Go on ${(100 * cand.length).toLocaleString('en-US')} requests`));
    assert.match(md, /safe first step before any traffic goes to Rust/);
  });
});

describe('Runs section: start lateness of paced arrivals', () => {
  /** The tiny fixture with its steady phase Poisson-paced: its runs' "*" summaries carry start lateness. */
  const paced = (p99: number): ReportModel => {
    const m = fixtureModel();
    m.plan.phases.find((p) => p.name === 'steady')!.arrivals = 'poisson';
    for (const s of m.summaries.filter((x) => x.phase === 'steady' && x.endpoint === '*')) {
      s.startLatenessMs = { count: 600, p50: 0.4, p99, max: 41.5 };
      if (p99 > START_LATENESS_P99_MAX_MS)
        s.warnings.push(
          warning('arrivals-started-late', { p99Ms: p99, maxMs: 41.5, count: 600, boundMs: 10 }),
        );
    }
    return m;
  };
  const runsTable = (m: ReportModel) => {
    const block = reportView(m)
      .sections.find((s) => s.id === 'runs')!
      .blocks.find((b) => b.kind === 'table');
    assert.ok(block?.kind === 'table');
    return block.table;
  };

  it('has no start-lateness column when no run has paced arrivals (older folders read as before)', () => {
    assert.ok(!runsTable(fixtureModel()).columns.some((c) => c.key === 'startLateness'));
  });

  it('shows p99 / max for paced runs and “k6’s executor” for uniform ones, the clock resolution said once', async () => {
    const t = runsTable(paced(3.2));
    assert.ok(t.columns.some((c) => c.key === 'startLateness' && c.label === 'start lateness p99 / max'));
    const byRun = new Map(t.rows.map((r) => [r.run!.text, r.startLateness!]));
    assert.equal(byRun.get('r000-baseline-steady')!.text, '3.20 / 41.5 ms');
    assert.equal(byRun.get('r002-baseline-ramp')!.text, 'k6’s executor');
    assert.deepEqual(byRun.get('r000-baseline-steady')!.notes, []);
    const html = await renderHtml(paced(3.2));
    assert.equal(html.split('±1 ms').length - 1, 1, 'the ±1 ms note appears once');
  });

  it('footnotes the arrivals-started-late warning on the run’s cell and lists it in the brief formats', () => {
    const t = runsTable(paced(14));
    const cell = t.rows.find((r) => r.run!.text === 'r000-baseline-steady')!.startLateness!;
    assert.equal(cell.text, '14.0 / 41.5 ms');
    assert.equal(cell.notes.length, 1);
    assert.equal(t.footnotes[cell.notes[0]! - 1]!.code, 'arrivals-started-late');
    assert.match(renderMarkdown(paced(14)), /r000-baseline-steady`? arrivals started late: p99 14\.0 ms/);
  });
});
