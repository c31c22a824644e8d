import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { holm } from '../../../src/analysis/stats/holm.js';
import { assertClose, oracle } from './oracle.js';

const { cases } = oracle<{ p: number[]; adjusted: number[] }[]>('holm.json');

describe('holm', () => {
  it("equals statsmodels multipletests(method='holm') in the input order", () => {
    for (const c of cases)
      c.adjusted.forEach((x, i) => assertClose(holm(c.p)[i]!, x, 1e-15, 0, `${c.p} [${i}]`));
  });

  it('leaves NaN p-values out of the family and NaN in the output', () => {
    const out = holm([0.01, NaN, 0.02]);
    assert.ok(Number.isNaN(out[1]));
    assert.deepEqual([out[0], out[2]], [0.02, 0.02]);
  });
});
