import type { z } from 'zod';
import type { Plan } from '../../src/model/index.js';
import { parsePlan, type planSchema } from '../../src/plan/index.js';

/** A plan as a file would write it: defaults may be left out, pass lines may be sentences. */
export type PlanInput = z.input<typeof planSchema>;

/** The smallest valid plan: reference baseline and rust builds, one steady phase, five repetitions. */
const BASE: PlanInput = {
  name: 'test',
  seed: 7,
  configurations: {
    baseline: { kind: 'reference', name: 'pure Go', build: 'baseline' },
    candidate: { kind: 'reference', name: 'Rust', build: 'rust' },
  },
  phases: [{ name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 10, durationSeconds: 10 }],
  repetitions: 5,
  slo: { quantile: 0.99, latencyMs: 100, maxErrorRate: 0.01 },
  capacity: { peakRps: 1000 },
};

/**
 * A test plan: BASE with `overrides` (top-level fields replace BASE's), read by the real `parsePlan` so
 * every default, check and derived field is the one a plan file gets. Throws the InputError a plan file
 * would when the overrides make it invalid.
 */
export const testPlan = (overrides: Partial<PlanInput> = {}): Plan =>
  parsePlan(JSON.stringify({ ...BASE, ...overrides }), 'testPlan');

/** A small capacity-search phase (every required field, short probes) for plans in unit tests. */
export const SEARCH_PHASE = {
  name: 'search',
  driver: 'k6',
  scenario: 'capacity-search',
  fromRps: 10,
  maxRps: 100,
  probeSeconds: 3,
  budgetSeconds: 60,
} as const;
