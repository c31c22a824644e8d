import { lookScheduleOf, type CheckResult, type Manifest, type Plan, type Role } from '../model/index.js';
import type { SequentialVerdict } from '../model/index.js';
import { ROLES } from '../model/index.js';
import {
  decideAtLook,
  looksOf,
  rankBoundaries,
  type LookTest,
  type SequentialBoundary,
} from './stats/group-sequential.js';

/**
 * The look a trial with a look schedule (`repetitions: { min, max, every }`) is judged at, and the
 * boundaries its tests use there (issue 10, "Sequential repetitions"; the design and its arithmetic are
 * in stats/group-sequential.ts). Intersection-union: keep needs every pass line to pass, so each pass
 * line (and each stop rule's "clear" side) is judged one-sided at the full α's boundary c_k, no Holm
 * among them; the tests that can cause a drop (a pass line's fail side, a stop rule firing) share α
 * Bonferroni-split: α/m each, m = `dropTests`. Pure and deterministic (the Monte Carlo is seeded).
 */
export interface SequentialLook {
  /** 0-based look index. */
  look: number;
  looks: number[];
  pass: SequentialBoundary;
  drop: SequentialBoundary;
  dropTests: number;
  /** Runs per arm the remaining looks can still add (max − this look's runs). */
  remainingPerArm: number;
  /** The largest pass level a later look allows (for "can this line still pass?"); 0 at the last look. */
  laterPassLevel: number;
}

const cache = new Map<string, SequentialBoundary>();
/** Boundaries depend only on the schedule, α and spending: computed once per process and reused. */
const boundaryOf = (looks: number[], alpha: number, spending: 'pocock' | 'obrien-fleming') => {
  const key = `${looks.join(',')}|${alpha}|${spending}`;
  let b = cache.get(key);
  if (!b) cache.set(key, (b = rankBoundaries(looks, { alpha, spending, alternative: 'greater' })));
  return b;
};

/**
 * Repetitions finished by both arms on the judged phase (a failed run still counts: the schedule ran
 * it), so a re-analysis of the folder finds the same look as the trial did.
 */
const repetitionsDone = (manifest: Manifest, phase: string): number =>
  Math.min(
    ...ROLES.map((role: Role) =>
      manifest.runs
        .filter(
          (r) => r.role === role && r.phase === phase && r.status !== 'pending' && r.status !== 'running',
        )
        .reduce((m, r) => Math.max(m, r.repetition), 0),
    ),
  );

export const sequentialLookOf = (
  plan: Plan,
  manifest: Manifest,
  phase: string,
  dropTests: number,
): SequentialLook | undefined => {
  const schedule = lookScheduleOf(plan);
  if (!schedule) return undefined;
  const looks = looksOf(schedule);
  const alpha = plan.sequential?.alpha ?? 0.05;
  const spending = plan.sequential?.spending ?? 'pocock';
  const done = repetitionsDone(manifest, phase);
  // The last look reached (the first one while fewer runs exist: its level, not a smaller one, applies).
  let look = 0;
  looks.forEach((n, k) => {
    if (n <= done) look = k;
  });
  const pass = boundaryOf(looks, alpha, spending);
  const drop = boundaryOf(looks, alpha / Math.max(1, dropTests), spending);
  return {
    look,
    looks,
    pass,
    drop,
    dropTests: Math.max(1, dropTests),
    remainingPerArm: looks[looks.length - 1]! - looks[look]!,
    laterPassLevel: Math.max(0, ...pass.nominal.slice(look + 1)),
  };
};

/** Figure a sequential check sets to 0 when no remaining look could make it pass (curtailment). */
export const CAN_STILL_PASS = 'canStillPass';

const lookTest = (role: LookTest['role'], c: CheckResult): LookTest => ({
  role,
  status: c.status === 'pass' ? 'pass' : c.status === 'fail' ? 'fail' : 'open',
  canStillPass: c.figures[CAN_STILL_PASS] !== 0,
});

/** `verdict.sequential`: the look, its boundary, and whether the trial stops here (decideAtLook). */
export const sequentialVerdict = (
  seq: SequentialLook,
  checks: CheckResult[],
  stopRules: CheckResult[],
): SequentialVerdict => {
  const K = seq.looks.length;
  const d = decideAtLook(seq.look, K, [
    ...checks.map((c) => lookTest('pass-line', c)),
    ...stopRules.map((c) => lookTest('stop-rule', c)),
  ]);
  return {
    look: seq.look + 1,
    looks: K,
    runsPerArm: seq.looks[seq.look]!,
    stoppedEarly: d.action === 'stop' && seq.look < K - 1,
    boundary: seq.pass.nominal[seq.look]!,
    dropBoundary: seq.drop.nominal[seq.look]!,
    dropTests: seq.dropTests,
    spending: seq.pass.spending,
    alpha: seq.pass.alpha,
    action: d.action,
    reason: d.reason,
    method: seq.pass.method,
    ...(seq.pass.standardError !== undefined ? { standardError: seq.pass.standardError } : {}),
  };
};
