/**
 * The plan the capacity-search benchmarks run: one reference build in both arms (so one trial gives two
 * searches), one capacity-search phase with the given fields, the demo's corpus mix, one repetition.
 */
import type { Plan } from '../src/model/index.js';
import { parsePlan } from '../src/plan/index.js';

export interface SearchBenchPlan {
  name: string;
  build: 'baseline' | 'rust';
  /** Fields of the capacity-search phase (fromRps, probeSeconds, arrivals, seedFrom …). */
  search: Record<string, unknown>;
  quantile: number;
  sloMs: number;
}

export const searchBenchPlan = (p: SearchBenchPlan): Plan => {
  const config = {
    kind: 'reference',
    name: p.build,
    build: p.build,
    ...(p.build === 'rust' ? { impl: 'rust' } : {}),
  };
  return parsePlan(
    JSON.stringify({
      name: p.name,
      seed: 42,
      configurations: { baseline: config, candidate: config },
      phases: [{ name: 'search', driver: 'k6', scenario: 'capacity-search', maxRps: 5000, ...p.search }],
      repetitions: 1,
      warmupSeconds: 2,
      corpus: { count: 1000, mix: { scan: 60, fields: 30, orders: 10 }, messyShare: 0.02 },
      slo: { quantile: p.quantile, latencyMs: p.sloMs, maxErrorRate: 0.001 },
      capacity: { peakRps: 1000 },
    }),
    'bench',
  );
};
