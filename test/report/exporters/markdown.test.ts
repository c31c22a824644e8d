import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from '../../../src/report/exporters/markdown.js';
import { EVIL, emptyModel, fixtureModel, hostileModel } from '../helpers.js';

describe('markdown exporter', () => {
  it('puts the verdict first and marks non-significant changes with ~', () => {
    const md = renderMarkdown(fixtureModel());
    const verdict = md.indexOf('## Verdict\n\n**⚠️ INCONCLUSIVE**');
    assert.ok(verdict > 0 && verdict < md.indexOf('## Significance'));
    assert.match(md, /\| orders · p99 latency \| 25\.2 ms \| 28\.8 ms \| \\~ \(\+14%\) ⚠2 \|/);
    assert.match(md, /^CPU −22%, end-to-end −31%$/m);
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

  it('marks a new error class in the errors table', () => {
    const m = fixtureModel();
    m.errors[1]!.isNew = true;
    assert.match(renderMarkdown(m), /\| \*\*NEW\*\* `http-400` \| fields \| 2 \| 2 \|/);
  });

  it('renders a model without runs or comparisons without throwing', () => {
    const md = renderMarkdown(emptyModel());
    assert.match(md, /No errors in any run\./);
  });
});
