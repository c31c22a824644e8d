import { mersenne } from 'pure-rand/generator/mersenne';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { PhaseSpec, Plan, Role } from '../model/index.js';

/**
 * The execution order of a trial. One block = one configuration started once for one repetition, running
 * every phase of the plan in turn. Blocks alternate between the configurations so slow drifts of the
 * machine (thermal, other tenants, a noisy neighbour building code) hit both alike:
 * - `interleaved`: A B A B … (baseline first in every pair);
 * - `balanced-random`: each pair holds both configurations, in an order drawn from the plan's seed
 *   (so a drift that follows the pair's position cannot favour one side). The order is recorded.
 */
export interface Block {
  role: Role;
  repetition: number;
  runs: { phase: PhaseSpec; order: number; id: string }[];
}

export const runId = (order: number, role: Role, phase: string): string =>
  `r${String(order).padStart(3, '0')}-${role}-${phase}`;

export const schedule = (plan: Pick<Plan, 'repetitions' | 'order' | 'seed' | 'phases'>): Block[] => {
  const rng = mersenne(plan.seed >>> 0);
  const blocks: Block[] = [];
  let order = 0;
  for (let rep = 1; rep <= plan.repetitions; rep += 1) {
    const flip = plan.order === 'balanced-random' && uniformFloat64(rng) < 0.5;
    const pair: Role[] = flip ? ['candidate', 'baseline'] : ['baseline', 'candidate'];
    for (const role of pair) {
      const runs = plan.phases.map((phase) => {
        const r = { phase, order, id: runId(order, role, phase.name) };
        order += 1;
        return r;
      });
      blocks.push({ role, repetition: rep, runs });
    }
  }
  return blocks;
};
