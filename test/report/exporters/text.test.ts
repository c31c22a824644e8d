import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderText } from '../../../src/report/exporters/text.js';
import { assertGolden } from '../golden.js';
import { emptyModel, fixtureModel, hostileModel } from '../helpers.js';

describe('text exporter', () => {
  it('matches the golden report.txt for the fixture model', () => {
    assertGolden('report.txt', renderText(fixtureModel()));
  });

  it('aligns the benchstat-like table: every row of it has the same width up to the p column', () => {
    const lines = renderText(fixtureModel()).split('\n');
    const rows = lines.filter((l) => / · .*\(p=/.test(l));
    assert.equal(rows.length, 13);
    const pCol = new Set(rows.map((r) => [...r].indexOf('(')));
    assert.equal(pCol.size, 1, 'the (p=… column starts at the same character in every row');
    assert.match(
      lines.find((l) => l.startsWith('orders · p99'))!,
      /45\.7 ms\s+~¹\s+\(p=0\.540 n=5\+4\)/,
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
    assert.match(renderText(emptyModel()), /errors: none/);
  });
});
