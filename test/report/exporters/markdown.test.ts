import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from '../../../src/report/exporters/markdown.js';
import { assertGolden } from '../golden.js';
import { EVIL, emptyModel, fixtureModel, hostileModel } from '../helpers.js';

describe('markdown exporter', () => {
  it('matches the golden report.md for the fixture model', () => {
    assertGolden('report.md', renderMarkdown(fixtureModel()));
  });

  it('puts the verdict first and marks non-significant changes with ~', () => {
    const md = renderMarkdown(fixtureModel());
    const verdict = md.indexOf('## Verdict\n\n**❌ DROP**');
    assert.ok(verdict > 0 && verdict < md.indexOf('## Significance'));
    assert.match(md, /\| orders · p99 latency \| 45\.1 ms \| 45\.7 ms \| \\~ \(\+1\.2%\) ⚠1 \|/);
    assert.match(md, /\| \*\*NEW\*\* `http-502` \| fields \|/);
    assert.match(md, /^CPU −27%, end-to-end −13%$/m);
  });

  it('escapes hostile names, tags and error messages so they render as text', () => {
    const md = renderMarkdown(hostileModel());
    assert.ok(!md.includes('<script'), 'no raw <script');
    assert.ok(!md.includes('<img'), 'no raw <img');
    assert.ok(!md.includes('<svg'), 'no raw <svg');
    assert.ok(md.includes('&lt;script&gt;alert'), 'the text is still there, escaped');
    assert.ok(!md.includes('\u001b'), 'no raw escape character');
    // No table row gains a cell from a | inside a name: every row of the significance table has 10 cells.
    const sigRows = md.split('\n').filter((l) => l.startsWith('| ') && l.includes('latency |'));
    for (const row of sigRows) assert.equal(row.split(/(?<!\\)\|/).length - 2, 10, row);
    assert.ok(EVIL.error.includes('|'));
  });

  it('renders a model without runs or comparisons without throwing', () => {
    const md = renderMarkdown(emptyModel());
    assert.match(md, /No errors in any run\./);
  });
});
