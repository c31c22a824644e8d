import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wilsonInterval } from '../../../src/analysis/stats/proportion.js';
import { assertClose, oracle } from './oracle.js';

const { cases } = oracle<{ k: number; n: number; level: number; ci: [number, number] }[]>('proportion.json');

describe('wilsonInterval', () => {
  it("equals statsmodels proportion_confint(method='wilson') at 95 % and 90 %", () => {
    assert.ok(cases.length >= 20);
    for (const c of cases) {
      const [lo, hi] = wilsonInterval(c.k, c.n, c.level);
      assertClose(lo, c.ci[0], 1e-9, 1e-12, `${c.k}/${c.n} lo`);
      assertClose(hi, c.ci[1], 1e-9, 1e-12, `${c.k}/${c.n} hi`);
    }
  });

  it('stays within 0..1 and is [0, 1] without samples', () => {
    assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
    const [lo, hi] = wilsonInterval(16, 16);
    assert.ok(lo > 0.7 && hi === 1);
  });
});
