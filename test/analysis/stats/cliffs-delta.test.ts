import { describe, it } from 'node:test';
import { cliffsDelta } from '../../../src/analysis/stats/cliffs-delta.js';
import { assertClose, oracle } from './oracle.js';

interface Case {
  name: string;
  a: number[];
  b: number[];
  cliffsDelta: number;
}
const { cases } = oracle<Case[]>('effect-sizes.json');

describe('cliffsDelta', () => {
  it('equals (#(b>a) − #(b<a))/(nm) counted by numpy broadcasting, ties and equal samples included', () => {
    for (const c of cases) assertClose(cliffsDelta(c.a, c.b), c.cliffsDelta, 1e-15, 1e-15, c.name);
  });
});
