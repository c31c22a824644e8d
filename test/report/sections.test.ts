import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReportModel } from '../../src/model/index.js';
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
