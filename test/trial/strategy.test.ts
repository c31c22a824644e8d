import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Manifest, PhaseSpec, Plan, ReportModel } from '../../src/model/index.js';
import {
  admitBlocks,
  blockOf,
  finishRun,
  fixedStrategy,
  schedule,
  startRun,
  strategyFor,
  type Block,
  type ScheduleStrategy,
  type ScheduleView,
} from '../../src/trial/index.js';
import { randomPort, standInPlan } from './helpers.js';
import { mersenne } from 'pure-rand/generator/mersenne';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

/** schedule() as it was before strategies (commit fdc6b11), kept verbatim as the oracle. */
const legacySchedule = (plan: Pick<Plan, 'order' | 'seed' | 'phases'> & { repetitions: number }) => {
  const rng = mersenne(plan.seed >>> 0);
  const blocks: {
    role: string;
    repetition: number;
    runs: { phase: PhaseSpec; order: number; id: string }[];
  }[] = [];
  let order = 0;
  for (let rep = 1; rep <= plan.repetitions; rep += 1) {
    const flip = plan.order === 'balanced-random' && uniformFloat64(rng) < 0.5;
    const pair = flip ? ['candidate', 'baseline'] : ['baseline', 'candidate'];
    for (const role of pair) {
      const runs = plan.phases.map((phase) => {
        const r = { phase, order, id: `r${String(order).padStart(3, '0')}-${role}-${phase.name}` };
        order += 1;
        return r;
      });
      blocks.push({ role, repetition: rep, runs });
    }
  }
  return blocks;
};

const phases: PhaseSpec[] = [
  { name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 10, durationSeconds: 5 },
  { name: 'ramp', driver: 'k6', scenario: 'ramp', steps: [{ rateRps: 10, durationSeconds: 2 }] },
];

const emptyManifest = (): Manifest => ({
  schemaVersion: 1,
  trialId: 't',
  createdAt: '2026-01-01T00:00:00.000Z',
  planFrozenAt: '2026-01-01T00:00:00.000Z',
  status: 'running',
  environment: { cpus: 2, node: 'v20', pinned: false, targetHost: '127.0.0.1' },
  runs: [],
});

const okResult = (rps: number) => ({
  status: 'ok' as const,
  thresholdsCrossed: false,
  driverVersion: 'k6 test',
  outputs: [],
  logs: [],
  generator: { limited: false, offeredRps: rps, achievedRps: rps },
  warnings: [],
  loadSeconds: 1,
});

/**
 * The trial loop's scheduling without services: ask, admit, "run" (start and finish each run through the
 * run-state functions, ok unless `fails` says otherwise), ask again. Returns the blocks in order.
 */
const drive = async (
  strategy: ScheduleStrategy,
  plan: Plan,
  analyse: ScheduleView['analyse'] = () => Promise.reject(new Error('no analysis')),
): Promise<{ blocks: Block[]; manifest: Manifest; pendingAtStart: number }> => {
  const manifest = emptyManifest();
  const blocks: Block[] = [];
  const view = (): ScheduleView => ({ plan, manifest, blocks, nextOrder: manifest.runs.length, analyse });
  const pendingAtStart = admitBlocks(manifest, plan, strategy.upcoming(view()));
  for (let guard = 0; guard < 100; guard += 1) {
    const block = await strategy.next(view());
    if (block === 'done') return { blocks, manifest, pendingAtStart };
    blocks.push(block);
    admitBlocks(manifest, plan, [block, ...strategy.upcoming(view())]);
    for (const run of block.runs) {
      const rec = manifest.runs.find((r) => r.id === run.id)!;
      startRun(rec, new Date(0), {});
      const rate = run.phase.driver === 'k6' ? (run.phase.rateRps ?? 0) : 0;
      finishRun(rec, {
        result: okResult(rate),
        raw: { outputs: [], logs: [] },
        endedAt: new Date(1000),
        serviceLog: 's',
        aborted: false,
      });
    }
  }
  throw new Error('strategy never said done');
};

describe('fixedStrategy', () => {
  for (const order of ['interleaved', 'balanced-random'] as const)
    for (const seed of [1, 7, 8, 4242])
      it(`${order}, seed ${seed}: returns the pre-strategy schedule's blocks byte for byte, all pending up front`, async () => {
        const plan = { ...standInPlan(randomPort()), repetitions: 6, order, seed, phases };
        const { blocks, manifest, pendingAtStart } = await drive(fixedStrategy(plan), plan);
        assert.equal(JSON.stringify(blocks), JSON.stringify(legacySchedule(plan)));
        assert.equal(JSON.stringify(schedule(plan)), JSON.stringify(legacySchedule(plan)));
        assert.equal(pendingAtStart, 6 * 2 * phases.length);
        assert.deepEqual(
          manifest.runs.map((r) => r.id),
          schedule(plan).flatMap((b) => b.runs.map((r) => r.id)),
        );
        assert.ok(manifest.runs.every((r) => r.status === 'ok' && r.overrides === undefined));
      });
});

describe('strategyFor', () => {
  it('gives every plan of today the fixed schedule in its order', () => {
    const plan = standInPlan(randomPort());
    assert.equal(strategyFor(plan).name, 'fixed-interleaved');
    assert.equal(strategyFor({ ...plan, order: 'balanced-random' }).name, 'fixed-balanced-random');
  });
});

describe('an adaptive strategy (toy)', () => {
  /** Runs baseline then candidate once; then, while the last candidate run achieved under 40 rps, one more candidate block at twice the rate. */
  const doubling = (plan: Plan): ScheduleStrategy => {
    const steady = plan.phases[0]!;
    return {
      name: 'toy-doubling',
      upcoming: () => [],
      next: (view) => {
        if (view.blocks.length === 0) return blockOf('baseline', 1, [{ phase: steady }], view.nextOrder);
        const last = view.manifest.runs.filter((r) => r.role === 'candidate').at(-1);
        if (!last) return blockOf('candidate', 1, [{ phase: steady }], view.nextOrder);
        const achieved = last.generator.achievedRps ?? 0;
        if (achieved >= 40) return 'done';
        return blockOf(
          'candidate',
          last.repetition + 1,
          [{ phase: steady, overrides: { rateRps: achieved * 2 } }],
          view.nextOrder,
        );
      },
    };
  };

  it('adds blocks after seeing results, with unique ordered ids and the override recorded in the run', async () => {
    const plan = { ...standInPlan(randomPort()), phases: phases.slice(0, 1) };
    const { blocks, manifest, pendingAtStart } = await drive(doubling(plan), plan);
    assert.equal(pendingAtStart, 0);
    assert.deepEqual(
      blocks.map((b) => `${b.runs[0]!.id}@${(b.runs[0]!.phase as { rateRps: number }).rateRps}`),
      [
        'r000-baseline-steady@10',
        'r001-candidate-steady@10',
        'r002-candidate-steady@20',
        'r003-candidate-steady@40',
      ],
    );
    assert.deepEqual(
      manifest.runs.map((r) => r.overrides),
      [undefined, undefined, { rateRps: 20 }, { rateRps: 40 }],
    );
    assert.deepEqual(
      manifest.runs.map((r) => r.generator.offeredRps),
      [10, 10, 20, 40],
    );
  });

  it('can decide on the analysis passed in (a sequential look), and stops when it says settled', async () => {
    const plan = { ...standInPlan(randomPort()), phases: phases.slice(0, 1) };
    let looks = 0;
    const lookEvery2: ScheduleStrategy = {
      name: 'toy-looks',
      upcoming: () => [],
      next: async (view) => {
        const rep = Math.floor(view.blocks.length / 2) + 1;
        if (view.blocks.length % 2 === 1)
          return blockOf('candidate', rep, [{ phase: plan.phases[0]! }], view.nextOrder);
        if (view.blocks.length > 0) {
          const model = await view.analyse();
          if (model.verdict.decision === 'keep') return 'done';
        }
        return blockOf('baseline', rep, [{ phase: plan.phases[0]! }], view.nextOrder);
      },
    };
    const analyse = async (): Promise<ReportModel> => {
      looks += 1;
      return { verdict: { decision: looks >= 3 ? 'keep' : 'inconclusive' } } as unknown as ReportModel;
    };
    const { blocks } = await drive(lookEvery2, plan, analyse);
    assert.equal(looks, 3);
    assert.equal(blocks.length, 6, 'three pairs: looks after pairs 1 and 2 said go on, after pair 3 stop');
  });
});
