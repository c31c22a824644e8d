import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderText } from '../../../src/report/exporters/text.js';
import { emptyModel, fixtureModel, hostileModel } from '../helpers.js';

describe('text exporter', () => {
  it('aligns the significance table: header and every row have the same width, numbers right-aligned', () => {
    const lines = renderText(fixtureModel()).split('\n');
    const head = lines.findIndex((l) => l.startsWith('comparison '));
    const rows = lines.slice(head + 1).filter((l, i, all) => all.slice(0, i + 1).every((x) => / · /.test(x)));
    assert.equal(rows.length, fixtureModel().comparisons.length);
    const widths = new Set([lines[head]!, ...rows].map((r) => [...r].length));
    assert.equal(widths.size, 1, 'every row ends at the runs column');
    assert.match(
      lines.find((l) => l.startsWith('orders · p99'))!,
      /28\.8 ms\s+~ \(\+14%\)²\s+unbounded\s+0\.667\s+1\.000\s+\+3\.61 ms\s+0\.50\s+2\+2$/,
    );
  });

  it('shows control characters from the model escaped instead of sending them to the terminal', () => {
    const text = renderText(hostileModel());
    const controls = [...text].filter(
      (c) => c !== '\n' && (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
    );
    assert.deepEqual(controls, [], 'no control characters but newline');
    assert.match(text, /\\x1b\[31mred/);
  });

  it('renders a model without runs or comparisons without throwing', () => {
    assert.match(renderText(emptyModel()), /No errors in any run\./);
  });
});
