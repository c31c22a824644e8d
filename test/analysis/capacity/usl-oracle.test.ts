import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitUsl } from '../../../src/analysis/capacity/usl.js';
import { oracle } from '../stats/oracle.js';

interface Case {
  name: string;
  load: number[];
  throughput: number[];
  lambda: number;
  sigma: number;
  kappa: number;
  sse: number;
}
const { cases } = oracle<Case[]>('usl.json');

describe('fitUsl against scipy.optimize.curve_fit (bounded TRF, best of 16 starts)', () => {
  it('reaches the same least-squares optimum: SSE within 1e-9 relative (never worse), parameters within 1e-4 relative', () => {
    for (const c of cases) {
      const fit = fitUsl(c.load.map((load, i) => ({ load, throughput: c.throughput[i]! })));
      assert.ok(fit.sse <= c.sse * (1 + 1e-9), `${c.name}: SSE ${fit.sse} vs scipy ${c.sse}`);
      for (const k of ['lambda', 'sigma'] as const) {
        assert.ok(Math.abs(fit[k] - c[k]) <= 1e-4 * Math.abs(c[k]), `${c.name}: ${k} ${fit[k]} vs ${c[k]}`);
      }
      // kappa can be ~1e-6 where the objective is flat in it: compare on the throughput scale instead.
      const maxLoad = Math.max(...c.load);
      assert.ok(
        Math.abs(fit.kappa - c.kappa) * maxLoad * maxLoad <= 1e-4 * (1 + c.sigma * maxLoad),
        `${c.name}: kappa ${fit.kappa} vs ${c.kappa}`,
      );
      console.log(
        `# usl ${c.name}: sigma ${fit.sigma.toPrecision(6)} (scipy ${c.sigma.toPrecision(6)}), kappa ${fit.kappa.toPrecision(6)} (${c.kappa.toPrecision(6)}), lambda ${fit.lambda.toPrecision(6)} (${c.lambda.toPrecision(6)}), SSE ratio ${(fit.sse / c.sse).toFixed(12)}`,
      );
    }
  });
});
