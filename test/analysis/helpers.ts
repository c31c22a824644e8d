import type { Comparison, Plan, Role, RunRecord, SampleSet } from '../../src/model/index.js';
import { testPlan, type PlanInput } from '../helpers/plan.js';

/** Tiny hand-built inputs for analysis unit tests. */

export interface Row {
  tMs: number;
  latencyMs: number;
  status?: number;
  endpoint?: string;
  impl?: string;
  hotspotMs?: number;
}

export const sampleSet = (rows: Row[], extra: Partial<SampleSet> = {}): SampleSet => {
  const endpoints: string[] = [];
  const impls: string[] = [];
  const idx = (list: string[], v: string): number => {
    const i = list.indexOf(v);
    return i >= 0 ? i : list.push(v) - 1;
  };
  const n = rows.length;
  const s: SampleSet = {
    runId: 'run',
    n,
    latencyMs: new Float64Array(n),
    timestampMs: new Float64Array(n),
    failed: new Uint8Array(n),
    status: new Uint16Array(n),
    endpoint: new Uint16Array(n),
    endpoints,
    impl: new Uint8Array(n).fill(0xff),
    impls,
    hotspotMs: new Float64Array(n).fill(NaN),
    droppedIterations: 0,
    warnings: [],
    ...extra,
  };
  rows.forEach((r, i) => {
    const status = r.status ?? 200;
    s.latencyMs[i] = r.latencyMs;
    s.timestampMs[i] = r.tMs;
    s.status[i] = status;
    s.failed[i] = status === 0 || status >= 400 ? 1 : 0;
    s.endpoint[i] = idx(endpoints, r.endpoint ?? 'scan');
    if (r.impl) s.impl[i] = idx(impls, r.impl);
    if (r.hotspotMs !== undefined) s.hotspotMs[i] = r.hotspotMs;
  });
  return s;
};

export const runRecord = (
  id: string,
  role: Role,
  phase = 'steady',
  extra: Partial<RunRecord> = {},
): RunRecord => ({
  id,
  role,
  configurationName: role,
  phase,
  scenario: phase === 'ramp' ? 'ramp' : 'steady',
  repetition: 1,
  order: 0,
  driver: 'k6',
  driverVersion: 'k6 v2.2.0',
  status: 'ok',
  warmupSeconds: 0,
  generator: { limited: false },
  raw: { outputs: [], logs: [] },
  warnings: [],
  ...extra,
});

/** The analysis tests' plan: no warm-up, unpinned, a priced two-core instance (through testPlan). */
export const plan = (overrides: Partial<PlanInput> = {}): Plan =>
  testPlan({
    name: 'unit',
    seed: 7,
    warmupSeconds: 0,
    capacity: { peakRps: 1000, costPerInstanceHour: 0.1, coresPerInstance: 2 },
    pinCpus: false,
    ...overrides,
  });

/** A Comparison with the given per-run values and CIs (other fields plausible). */
export const comparison = (over: Partial<Comparison> & Pick<Comparison, 'metric'>): Comparison => ({
  phase: 'steady',
  endpoint: '*',
  unit: 'ms',
  baseline: { values: [1, 1, 1, 1, 1], runIds: [], median: 1 },
  candidate: { values: [1, 1, 1, 1, 1], runIds: [], median: 1 },
  ratio: 1,
  ratioCI95: [0.9, 1.1],
  ratioCI95Rank: [0.9, 1.1],
  pValue: 1,
  pAdjusted: 1,
  method: 'mann-whitney-exact',
  significant: false,
  hodgesLehmann: 0,
  cliffsDelta: 0,
  family: 'verdict',
  warnings: [],
  ...over,
});
