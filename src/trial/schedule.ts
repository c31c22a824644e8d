import { mersenne } from 'pure-rand/generator/mersenne';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { maxRepetitions, runsFor } from '../model/index.js';
import type {
  Manifest,
  PhaseOverrides,
  PhaseSpec,
  Plan,
  ProbeNote,
  ReportModel,
  Role,
} from '../model/index.js';
import { capacitySearchStrategy, hasCapacitySearch, isSearchPhase } from './capacity-search.js';
import { sequentialStrategy } from './sequential.js';

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
  runs: ScheduledRun[];
}

/** One run of a block: the phase to run (overrides already applied) and its place in the trial. */
export interface ScheduledRun {
  phase: PhaseSpec;
  order: number;
  id: string;
  /** What the strategy changed in the plan's phase (recorded in the run's manifest entry). */
  overrides?: PhaseOverrides;
}

export const runId = (order: number, role: Role, phase: string): string =>
  `r${String(order).padStart(3, '0')}-${role}-${phase}`;

/** The plan's phase with a strategy's overrides (a rate applies to k6 phases with a constant rate). */
export const withOverrides = (phase: PhaseSpec, overrides: PhaseOverrides | undefined): PhaseSpec => {
  if (!overrides) return phase;
  const { rateRps, durationSeconds } = overrides;
  return {
    ...phase,
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    ...(rateRps !== undefined && phase.driver === 'k6' ? { rateRps } : {}),
  };
};

/**
 * A block for `role`, numbering its runs from `firstOrder` (ids `r<order>-<role>-<phase>`): the one way
 * a strategy builds blocks, so ids stay unique and ordered however the schedule is decided.
 */
export const blockOf = (
  role: Role,
  repetition: number,
  phases: readonly { phase: PhaseSpec; overrides?: PhaseOverrides }[],
  firstOrder: number,
): Block => ({
  role,
  repetition,
  runs: phases.map(({ phase, overrides }, i) => ({
    phase: withOverrides(phase, overrides),
    order: firstOrder + i,
    id: runId(firstOrder + i, role, phase.name),
    ...(overrides ? { overrides } : {}),
  })),
});

export const schedule = (plan: Pick<Plan, 'repetitions' | 'order' | 'seed' | 'phases'>): Block[] => {
  const rng = mersenne(plan.seed >>> 0);
  const blocks: Block[] = [];
  let order = 0;
  for (let rep = 1; rep <= maxRepetitions(plan); rep += 1) {
    const flip = plan.order === 'balanced-random' && uniformFloat64(rng) < 0.5;
    const pair: Role[] = flip ? ['candidate', 'baseline'] : ['baseline', 'candidate'];
    for (const role of pair) {
      const block = blockOf(
        role,
        rep,
        // A phase kind may run for one configuration only (the fault drill: candidate only), and a
        // capacity search in the first `searches` repetitions only.
        plan.phases
          .filter((phase) => runsFor(phase, role) && runsInRepetition(phase, rep))
          .map((phase) => ({ phase })),
        order,
      );
      order += block.runs.length;
      blocks.push(block);
    }
  }
  return blocks;
};

/**
 * What a strategy sees when it decides: the plan, the manifest so far (every run record, pending ones
 * included, with their status and raw paths; rewritten on disk before each call), the blocks it returned
 * before (in order) and the analysis of the trial folder so far.
 */
export interface ScheduleView {
  plan: Plan;
  manifest: Readonly<Manifest>;
  /** Blocks returned by `next` so far, in the order they ran (or were skipped after a failure). */
  blocks: readonly Block[];
  /** The next free run order (= the number of runs in the manifest). */
  nextOrder: number;
  /**
   * The pure analysis of the runs finished so far (the CLI passes `analyzeFolder`; trial/ must not
   * import analysis/). Rejects when the trial was started without one.
   */
  analyse: () => Promise<ReportModel>;
}

/**
 * Decides what a trial runs next, one block at a time (the trial loop asks before every block). A fixed
 * schedule is one strategy (`fixedStrategy`); an adaptive one (capacity search: grow a probe's rate until
 * it fails, then bisect; sequential looks: analyse, then stop or add the next interleaved pairs) reads
 * `view.manifest` or calls `view.analyse()` and returns blocks built with `blockOf` (a probe's rate as
 * `overrides`). Strategies should be pure functions of the view so a trial can be replayed and tested.
 */
export interface ScheduleStrategy {
  readonly name: string;
  /** The next block to run, or `'done'`. */
  next: (view: ScheduleView) => Block | 'done' | Promise<Block | 'done'>;
  /**
   * Blocks already decided but not yet returned by `next` (recorded as pending in the manifest as soon as
   * they are known, counted in the run total and the ETA). An adaptive strategy returns what it knows,
   * often [].
   */
  upcoming: (view: ScheduleView) => readonly Block[];
  /**
   * Optional: more runs for the block that is running, on its service as it is (no restart, no
   * warm-up), asked after the block's last run whenever the service is still up. The loop numbers them
   * from `view.nextOrder` (so a strategy with `extend` announces no later blocks in `upcoming`) and
   * records `notes` on finished runs (a capacity search's judgement of its last probe). No runs ends the
   * block. The capacity search grows each block probe by probe this way (trial/capacity-search.ts).
   */
  extend?: (view: ScheduleView, block: Block) => BlockExtension | Promise<BlockExtension>;
}

/** What `ScheduleStrategy.extend` adds to a running block. */
export interface BlockExtension {
  runs: readonly { phase: PhaseSpec; overrides?: PhaseOverrides }[];
  notes?: readonly { runId: string; probe: ProbeNote }[];
}

/** Today's schedule, fixed up front: interleaved ABAB or seeded balanced-random pairs (`schedule`). */
export const fixedStrategy = (
  plan: Pick<Plan, 'repetitions' | 'order' | 'seed' | 'phases'>,
): ScheduleStrategy => {
  const blocks = schedule(plan);
  return {
    name: `fixed-${plan.order}`,
    next: (view) => blocks[view.blocks.length] ?? 'done',
    upcoming: (view) => blocks.slice(view.blocks.length),
  };
};

/** A capacity search runs in the first `searches` repetitions (all when unset); other phases in all. */
const runsInRepetition = (phase: PhaseSpec, repetition: number): boolean =>
  phase.driver !== 'k6' || phase.searches === undefined || repetition <= phase.searches;

/**
 * The strategy a plan asks for (runTrial's default):
 * - a fixed `repetitions` count: the fixed interleaved schedule, with each block's capacity search (if
 *   any) grown probe by probe before the block's other phases;
 * - a look schedule: first the capacity searches in blocks of their own (`searches` per configuration,
 *   default 1, interleaved), then the sequential looks over the other phases. A look cannot stop a
 *   search half-way, and the searches are not what the looks judge.
 */
export const strategyFor = (plan: Plan): ScheduleStrategy => {
  if (typeof plan.repetitions === 'number')
    return hasCapacitySearch(plan) ? capacitySearchStrategy(plan, fixedStrategy(plan)) : fixedStrategy(plan);
  const searchPhases = plan.phases.filter(isSearchPhase);
  const looks = sequentialStrategy(
    plan,
    plan.phases.filter((p) => !isSearchPhase(p)),
  );
  if (searchPhases.length === 0) return looks;
  const searches = Math.max(...searchPhases.map((p) => p.searches ?? 1));
  const searchOnly = fixedStrategy({ ...plan, repetitions: searches, phases: searchPhases });
  return chainStrategies(capacitySearchStrategy(plan, searchOnly), looks);
};

/**
 * Strategies one after the other: each runs until it says done, then the next starts (e.g. a capacity
 * search, then sequential repetitions of the other phases). Each sees the whole view (its own blocks
 * are told apart by their phases).
 */
export const chainStrategies = (...strategies: ScheduleStrategy[]): ScheduleStrategy => {
  let current = 0;
  return {
    name: strategies.map((s) => s.name).join('+'),
    next: async (view) => {
      while (current < strategies.length) {
        const block = await strategies[current]!.next(view);
        if (block !== 'done') return block;
        current += 1;
      }
      return 'done';
    },
    upcoming: (view) => strategies[current]?.upcoming(view) ?? [],
    // The running block is the current strategy's: it alone may grow it.
    extend: async (view, block) => (await strategies[current]?.extend?.(view, block)) ?? { runs: [] },
  };
};

/**
 * Only the baseline's blocks of the fixed schedule (the pre-port gate `hotswap profile`: is there a
 * hotspot worth a trial at all, before a candidate exists).
 */
export const baselineOnlyStrategy = (
  plan: Pick<Plan, 'repetitions' | 'order' | 'seed' | 'phases'>,
): ScheduleStrategy => {
  const blocks = schedule(plan)
    .filter((b) => b.role === 'baseline')
    .map((b, i) =>
      blockOf(
        'baseline',
        i + 1,
        b.runs.map((r) => ({ phase: r.phase })),
        i * b.runs.length,
      ),
    );
  return {
    name: 'baseline-only',
    next: (view) => blocks[view.blocks.length] ?? 'done',
    upcoming: (view) => blocks.slice(view.blocks.length),
  };
};
