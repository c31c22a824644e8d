import { lookScheduleOf, type PhaseSpec, type Plan, type ReportModel } from '../model/index.js';
import { blockOf, schedule, type Block, type ScheduleStrategy, type ScheduleView } from './schedule.js';

/**
 * Sequential repetitions (issue 10): a plan whose `repetitions` is a look schedule `{ min, max, every }`
 * runs interleaved pairs (the plan's order: ABAB or seeded balanced-random, as the fixed schedule of
 * `max` repetitions would) up to `min` runs per arm, then at each look asks the pure analysis
 * (`view.analyse()`) where the verdict stands: `verdict.sequential.action` says stop (every judged check
 * and stop rule settled, or no remaining look could change the outcome, or the last look) or continue,
 * and the next `every` pairs run, up to `max`. The boundaries that keep the false-keep and false-drop
 * rates at α despite the looks are the analysis's (src/analysis/sequential.ts); this only schedules.
 *
 * A pure function of the view: its own blocks are those running exactly `phases` (so it can follow
 * another strategy in `chainStrategies`), and run orders continue after every block returned so far.
 */
export const sequentialStrategy = (
  plan: Plan,
  phases: readonly PhaseSpec[] = plan.phases,
): ScheduleStrategy => {
  const looks = lookScheduleOf(plan);
  if (!looks) throw new Error('sequentialStrategy needs repetitions as a look schedule');
  // The fixed schedule of `max` repetitions over these phases, in the plan's order; a look takes a prefix
  // of its pairs. Its blocks keep their own phases (a candidate-only fault drill is not in the baseline's).
  const order = schedule({ ...plan, repetitions: looks.max, phases: [...phases] }).map((b) => ({
    role: b.role,
    repetition: b.repetition,
    phases: b.runs.map((r) => r.phase),
  }));
  const namesOf = (ps: readonly PhaseSpec[]): string => ps.map((p) => p.name).join('|');
  const names = new Set(order.map((b) => namesOf(b.phases)));
  const mine = (view: ScheduleView): number =>
    view.blocks.filter((b) => names.has(namesOf(b.runs.map((r) => r.phase)))).length;
  const firstFree = (view: ScheduleView): number => view.blocks.reduce((n, b) => n + b.runs.length, 0);
  /** Blocks (2 per repetition) the schedule has committed to: up to the look after the last decision. */
  const committed = (done: number): number => {
    if (done < 2 * looks.min) return 2 * looks.min;
    // At a look nothing beyond it is decided yet; between looks the next look is.
    if (done % 2 === 0 && isLook(looks, done / 2)) return done;
    return 2 * lookAtOrAfter(looks, Math.ceil(done / 2));
  };
  const build = (view: ScheduleView, from: number, to: number): Block[] => {
    let at = firstFree(view);
    return order.slice(from, to).map((b) => {
      const block = blockOf(
        b.role,
        b.repetition,
        b.phases.map((phase) => ({ phase })),
        at,
      );
      at += block.runs.length;
      return block;
    });
  };
  return {
    name: `sequential-${plan.order}`,
    upcoming: (view) => {
      const done = mine(view);
      return build(view, done, committed(done));
    },
    next: async (view) => {
      const done = mine(view);
      if (done >= 2 * looks.max) return 'done';
      if (done >= 2 * looks.min && done % 2 === 0 && isLook(looks, done / 2)) {
        if (await stopsHere(view)) return 'done';
      }
      return build(view, done, done + 1)[0] ?? 'done';
    },
  };
};

/** Runs per arm at the looks: min, min + every, …, and max (analysis/stats/group-sequential.ts looksOf). */
const isLook = (s: { min: number; max: number; every: number }, reps: number): boolean =>
  reps === s.max || (reps >= s.min && reps < s.max && (reps - s.min) % s.every === 0);

const lookAtOrAfter = (s: { min: number; max: number; every: number }, reps: number): number => {
  for (let n = Math.max(reps, s.min); n < s.max; n += 1) if (isLook(s, n)) return n;
  return s.max;
};

/**
 * The analysis at this look: stop when it says so. An analysis that cannot be made (every run failed,
 * nothing to judge) does not stop the schedule: the next look may have data.
 */
const stopsHere = async (view: ScheduleView): Promise<boolean> => {
  let model: ReportModel;
  try {
    model = await view.analyse();
  } catch {
    return false;
  }
  return model.verdict.sequential?.action === 'stop';
};
