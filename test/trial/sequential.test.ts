import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Manifest, Plan, ReportModel, RunRecord, SequentialVerdict } from '../../src/model/index.js';
import {
  admitBlocks,
  blockOf,
  chainStrategies,
  finishRun,
  fixedStrategy,
  schedule,
  sequentialStrategy,
  startRun,
  strategyFor,
  type Block,
  type ScheduleStrategy,
  type ScheduleView,
} from '../../src/trial/index.js';
import { SEARCH_PHASE, testPlan } from '../helpers/plan.js';

const emptyManifest = (): Manifest => ({
  schemaVersion: 1,
  trialId: 't',
  createdAt: '2026-01-01T00:00:00.000Z',
  planFrozenAt: '2026-01-01T00:00:00.000Z',
  status: 'running',
  environment: { cpus: 2, node: 'v20', pinned: false, targetHost: '127.0.0.1' },
  runs: [],
});

/** Runs a pending run record to ok, as the trial loop would after a clean k6 run. */
const finishOk = (rec: RunRecord): void => {
  startRun(rec, new Date(0), {});
  finishRun(rec, {
    result: {
      status: 'ok',
      thresholdsCrossed: false,
      driverVersion: 'k6 test',
      outputs: [],
      logs: [],
      generator: { limited: false, offeredRps: 10, achievedRps: 10 },
      warnings: [],
      loadSeconds: 1,
    },
    raw: { outputs: [], logs: [] },
    endedAt: new Date(1000),
    serviceLog: 's',
    aborted: false,
  });
};

/** The trial loop's scheduling without services (as test/trial/strategy.test.ts): ask, admit, finish, ask. */
const drive = async (
  strategy: ScheduleStrategy,
  plan: Plan,
  analyseOf: (blocks: readonly Block[]) => ScheduleView['analyse'],
) => {
  const manifest = emptyManifest();
  const blocks: Block[] = [];
  const analyse = analyseOf(blocks);
  const pending: number[] = [];
  const view = (): ScheduleView => ({ plan, manifest, blocks, nextOrder: manifest.runs.length, analyse });
  admitBlocks(manifest, plan, strategy.upcoming(view()));
  for (let guard = 0; guard < 200; guard += 1) {
    pending.push(manifest.runs.filter((r) => r.status === 'pending').length);
    const block = await strategy.next(view());
    if (block === 'done') return { blocks, manifest, pending };
    blocks.push(block);
    admitBlocks(manifest, plan, [block, ...strategy.upcoming(view())]);
    for (const run of block.runs) {
      const rec = manifest.runs.find((r) => r.id === run.id)!;
      finishOk(rec);
    }
  }
  throw new Error('strategy never said done');
};

/** An analysis that says stop at the `stopAt`-th look (1-based), recording the runs per arm it saw. */
const analysis =
  (stopAt: number, seen: number[]) =>
  (blocks: readonly Block[]): ScheduleView['analyse'] => {
    let look = 0;
    const blocksOf = () => blocks;
    return async () => {
      look += 1;
      seen.push(blocksOf().filter((b) => b.role === 'baseline').length);
      const sequential = { action: look >= stopAt ? 'stop' : 'continue' } as SequentialVerdict;
      return { verdict: { decision: 'inconclusive', sequential } } as unknown as ReportModel;
    };
  };

const seqPlan = (order: 'interleaved' | 'balanced-random' = 'interleaved', seed = 7): Plan =>
  testPlan({ repetitions: { min: 5, max: 20, every: 5 }, order, seed });

describe('sequentialStrategy', () => {
  it('is what strategyFor picks for a look schedule (a fixed number keeps the fixed schedule)', () => {
    assert.equal(strategyFor(seqPlan()).name, 'sequential-interleaved');
    assert.equal(strategyFor(testPlan()).name, 'fixed-interleaved');
  });

  for (const [stopAt, perArm] of [
    [1, 5],
    [2, 10],
    [4, 20],
  ] as const)
    it(`analyses at 5, 10, 15, 20 runs per arm and stops when the analysis says so (look ${stopAt} → ${perArm} per arm)`, async () => {
      const plan = seqPlan();
      const seen: number[] = [];
      const s = sequentialStrategy(plan);
      const res = await drive(s, plan, analysis(stopAt, seen));
      // The last look is not asked: the trial ends there whatever the analysis would say.
      assert.deepEqual(seen, [5, 10, 15].slice(0, Math.min(stopAt, 3)));
      assert.equal(res.blocks.length, 2 * perArm);
      assert.deepEqual(
        res.manifest.runs.map((r) => r.id),
        schedule({ ...plan, repetitions: perArm }).flatMap((b) => b.runs.map((r) => r.id)),
        'ids and order: the fixed schedule of as many repetitions',
      );
      assert.ok(
        res.manifest.runs.every((r) => r.status === 'ok'),
        'nothing left pending beyond the look',
      );
    });

  it('at the last look stops without asking (max), and never runs beyond it', async () => {
    const plan = testPlan({ repetitions: { min: 3, max: 7, every: 3 } });
    const seen: number[] = [];
    const res = await drive(sequentialStrategy(plan), plan, analysis(99, seen));
    assert.deepEqual(seen, [3, 6], 'looks at 3 and 6; 7 is the last look, where the trial ends anyway');
    assert.equal(res.blocks.length, 14);
  });

  it('announces the blocks up to the next look as pending (for the ETA), none beyond it', async () => {
    const plan = seqPlan();
    const res = await drive(sequentialStrategy(plan), plan, analysis(2, []));
    assert.equal(res.pending[0], 10, 'the first look: 5 pairs');
    assert.equal(res.pending[10], 0, 'at the look nothing is decided');
    assert.equal(res.pending[11], 9, 'after the look said continue: the rest of the next 5 pairs');
  });

  it('balanced-random: the same seeded pair order as the fixed schedule', async () => {
    const plan = seqPlan('balanced-random', 8);
    const res = await drive(sequentialStrategy(plan), plan, analysis(2, []));
    const fixed = schedule({ ...plan, repetitions: 10 });
    assert.deepEqual(
      res.blocks.map((b) => `${b.role}${b.repetition}`),
      fixed.map((b) => `${b.role}${b.repetition}`),
    );
    assert.ok(
      fixed.some((b, i) => i % 2 === 0 && b.role === 'candidate'),
      'some pair flips',
    );
  });

  it('an analysis that cannot be made does not stop the schedule (the next look may have data)', async () => {
    const plan = testPlan({ repetitions: { min: 2, max: 4, every: 2 } });
    const res = await drive(
      sequentialStrategy(plan),
      plan,
      () => () => Promise.reject(new Error('no samples')),
    );
    assert.equal(res.blocks.length, 8);
  });

  it('follows another strategy in chainStrategies, numbering its runs after it', async () => {
    const plan = testPlan({ repetitions: { min: 2, max: 4, every: 2 } });
    const before = fixedStrategy({
      ...plan,
      repetitions: 1,
      phases: [{ ...plan.phases[0]!, name: 'probe' }],
    });
    const res = await drive(
      chainStrategies(before, sequentialStrategy(plan)),
      plan,
      () => async () => ({ verdict: { sequential: { action: 'stop' } } }) as unknown as ReportModel,
    );
    assert.deepEqual(
      res.manifest.runs.map((r) => r.id),
      [
        'r000-baseline-probe',
        'r001-candidate-probe',
        'r002-baseline-steady',
        'r003-candidate-steady',
        'r004-baseline-steady',
        'r005-candidate-steady',
      ],
    );
  });
});

describe('strategyFor: a capacity search with a look schedule', () => {
  const SEARCH = SEARCH_PHASE;
  const searchPlan = (searches?: number): Plan =>
    testPlan({
      repetitions: { min: 2, max: 4, every: 2 },
      phases: [
        { ...SEARCH, ...(searches !== undefined ? { searches } : {}) },
        { name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 10, durationSeconds: 10 },
      ],
    });

  /** Each configuration's search asks for one more probe after its first, then stops; the look stops. */
  const twoProbes = (manifest: () => Manifest) => async (): Promise<ReportModel> => {
    const searchesOf = (role: 'baseline' | 'candidate') => {
      const reps = [
        ...new Set(
          manifest()
            .runs.filter((r) => r.role === role && r.phase === 'search')
            .map((r) => r.repetition),
        ),
      ];
      return reps.map((repetition) => {
        const mine = manifest().runs.filter(
          (r) => r.role === role && r.phase === 'search' && r.repetition === repetition,
        );
        return {
          repetition,
          probes: mine.map((r) => ({ runId: r.id, pass: true, purpose: 'start' })),
          ...(mine.length < 2 ? { next: { rateRps: 20, durationSeconds: 3, purpose: 'grow' } } : {}),
        };
      });
    };
    return {
      capacity: {
        baseline: { searches: searchesOf('baseline') },
        candidate: { searches: searchesOf('candidate') },
      },
      verdict: { sequential: { action: 'stop' } },
    } as unknown as ReportModel;
  };

  /** drive() with the loop's extend: after a block's last run, ask for more runs on the same service. */
  const driveWithExtend = async (strategy: ScheduleStrategy, plan: Plan) => {
    const manifest = emptyManifest();
    const blocks: Block[] = [];
    const analyse = twoProbes(() => manifest);
    const view = (): ScheduleView => ({ plan, manifest, blocks, nextOrder: manifest.runs.length, analyse });
    const finish = (id: string) => {
      const rec = manifest.runs.find((r) => r.id === id)!;
      finishOk(rec);
    };
    for (let guard = 0; guard < 100; guard += 1) {
      const block = await strategy.next(view());
      if (block === 'done') return manifest;
      blocks.push(block);
      admitBlocks(manifest, plan, [block, ...strategy.upcoming(view())]);
      for (let i = 0; i < block.runs.length; i += 1) {
        finish(block.runs[i]!.id);
        if (i === block.runs.length - 1 && strategy.extend) {
          const ext = await strategy.extend(view(), block);
          const more = blockOf(block.role, block.repetition, ext.runs, manifest.runs.length).runs;
          block.runs.push(...more);
          admitBlocks(manifest, plan, [{ ...block, runs: more }]);
        }
      }
    }
    throw new Error('strategy never said done');
  };

  it('runs each configuration’s search once, in blocks of its own, probe by probe, before the first look', async () => {
    const plan = searchPlan();
    const manifest = await driveWithExtend(strategyFor(plan), plan);
    assert.deepEqual(
      manifest.runs.map((r) => r.id),
      [
        'r000-baseline-search',
        'r001-baseline-search',
        'r002-candidate-search',
        'r003-candidate-search',
        'r004-baseline-steady',
        'r005-candidate-steady',
        'r006-baseline-steady',
        'r007-candidate-steady',
      ],
      'two probes per search (extended on the running service), then the look of 2 runs per arm',
    );
  });

  it('`searches: 2` runs two interleaved searches per configuration before the looks', async () => {
    const plan = searchPlan(2);
    const manifest = await driveWithExtend(strategyFor(plan), plan);
    const searchRuns = manifest.runs.filter((r) => r.phase === 'search');
    assert.deepEqual(
      searchRuns.map((r) => `${r.role}${r.repetition}`),
      [
        'baseline1',
        'baseline1',
        'candidate1',
        'candidate1',
        'baseline2',
        'baseline2',
        'candidate2',
        'candidate2',
      ],
    );
    assert.equal(manifest.runs.filter((r) => r.phase === 'steady').length, 4);
  });

  it('with a fixed count, `searches` limits the search to the first repetitions', () => {
    const plan = testPlan({
      repetitions: 3,
      phases: [
        { ...SEARCH, searches: 1 },
        { name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 10, durationSeconds: 10 },
      ],
    });
    assert.deepEqual(
      schedule(plan).map((b) => b.runs.map((r) => r.phase.name).join('+')),
      ['search+steady', 'search+steady', 'steady', 'steady', 'steady', 'steady'],
    );
  });

  it('refuses `searches` on a phase that is not a capacity search', () => {
    assert.throws(
      () =>
        testPlan({
          phases: [
            {
              name: 'steady',
              driver: 'k6',
              scenario: 'steady',
              rateRps: 10,
              durationSeconds: 10,
              searches: 2,
            },
          ],
        }),
      /searches.*only for scenario capacity-search/,
    );
  });
});

describe('sequentialStrategy with a phase for one configuration only', () => {
  it('runs the candidate-only fault drill in the candidate’s blocks only, as the fixed schedule does', async () => {
    const plan = testPlan({
      repetitions: { min: 2, max: 4, every: 2 },
      phases: [
        { name: 'steady', driver: 'k6', scenario: 'steady', rateRps: 10, durationSeconds: 10 },
        {
          name: 'fault-drill',
          driver: 'k6',
          scenario: 'fault-drill',
          rateRps: 10,
          durationSeconds: 20,
          injectAtSeconds: 3,
          clearAtSeconds: 9,
          faultRate: 0.5,
        },
      ],
    });
    const seen: number[] = [];
    const res = await drive(sequentialStrategy(plan), plan, analysis(1, seen));
    assert.deepEqual(seen, [2], 'the look at 2 runs per arm still comes (blocks of both shapes counted)');
    assert.deepEqual(
      res.manifest.runs.map((r) => r.id),
      schedule({ ...plan, repetitions: 2 }).flatMap((b) => b.runs.map((r) => r.id)),
    );
    assert.equal(res.manifest.runs.filter((r) => r.phase === 'fault-drill').length, 2);
    assert.ok(
      res.manifest.runs.filter((r) => r.phase === 'fault-drill').every((r) => r.role === 'candidate'),
    );
  });
});
