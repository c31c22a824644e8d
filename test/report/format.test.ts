import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  escapeHtml,
  escapeMd,
  escapeTerminal,
  fmtBytes,
  fmtChange,
  fmtChangeCI,
  fmtValue,
  jsonForScript,
  pLabel,
  sig,
} from '../../src/report/format.js';

describe('report format', () => {
  it('prints three significant digits without exponent notation', () => {
    assert.deepEqual(
      [0.000612, 6.123, 61.25, 612.4, 6124, -0.5].map((x) => sig(x)),
      ['0.000612', '6.12', '61.3', '612', '6,124', '−0.500'],
    );
    assert.equal(sig(Number.NaN), 'n/a');
  });

  it('prints a ratio as a signed change with a real minus sign', () => {
    assert.equal(fmtChange(0.7252), '−27%');
    assert.equal(fmtChange(1.081), '+8.1%');
    assert.equal(fmtChange(1.0004), '0%');
    assert.equal(fmtChange(0.94), '−6.0%');
  });

  it('prints an unbounded CI side as "unbounded"', () => {
    assert.equal(fmtChangeCI([0.7, 0.8]), '[−30%, −20%]');
    assert.equal(fmtChangeCI([null, 1.2]), '[unbounded, +20%]');
    assert.equal(fmtChangeCI([null, null]), 'unbounded');
  });

  it('names units: CPU seconds as ms, bytes in binary units, shares as percent, percentiles as pNN', () => {
    assert.equal(fmtValue(0.000947, 's'), '0.947 ms');
    assert.equal(fmtBytes(38_900), '38.0 KiB');
    assert.equal(fmtValue(0.00063, 'share'), '0.063%');
    assert.deepEqual([0.5, 0.99, 0.999].map(pLabel), ['p50', 'p99', 'p99.9']);
  });

  it('escapes every HTML-significant character', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('embeds JSON in a script tag without <, > or & and parses back to the same value', () => {
    const value = { s: '</script><!-- & \u2028 -->', n: [1, 2] };
    const text = jsonForScript(value);
    assert.ok(!/[<>&\u2028]/.test(text));
    assert.deepEqual(JSON.parse(text), value);
  });

  it('keeps Markdown tables intact and terminal output free of control characters', () => {
    assert.equal(escapeMd('a|b <i>*x*</i>\nnext'), 'a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt; next');
    assert.equal(escapeTerminal('red \u001b[31m'), 'red \\x1b[31m');
  });
});
