import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quantileSorted } from 'simple-statistics';
import { quantile } from '../../../src/analysis/stats/quantile.js';
import { assertClose, oracle } from './oracle.js';

interface Case {
  name: string;
  sorted: number[];
  p: number[];
  q: number[];
}
const { cases } = oracle<Case[]>('quantile.json');

describe('quantile (R type 7)', () => {
  it("equals numpy.quantile(method='linear') to 1e-15 relative, n = 1 … 10 007, p = 0 … 1", () => {
    for (const c of cases)
      c.p.forEach((p, i) => assertClose(quantile(c.sorted, p), c.q[i]!, 1e-15, 0, `${c.name} p=${p}`));
  });

  it("agrees with simple-statistics' quantileSorted (same definition) to one ulp", () => {
    for (const c of cases) {
      for (const p of c.p)
        assertClose(quantile(c.sorted, p), quantileSorted(c.sorted, p), 2.3e-16, 0, `${c.name} p=${p}`);
    }
  });

  it('accepts typed arrays and returns NaN for an empty sample or p outside [0, 1]', () => {
    assert.equal(quantile(Float64Array.of(1, 2, 3), 0.5), 2);
    assert.ok(Number.isNaN(quantile([1, 2], 1.5)));
    assert.ok(Number.isNaN(quantile(new Float64Array(0), 0.5)));
  });
});
