import type {
  BetResult,
  CheckResult,
  Comparison,
  CorrectnessReport,
  DrillResult,
  ErrorClassRow,
  Plan,
  Role,
  Summary,
} from '../../model/index.js';
import type { ComparisonKey } from '../compare.js';
import type { SequentialLook } from '../sequential.js';

/**
 * What every check may read: the plan, the phase pass lines are judged on, and the analysis so far.
 * A check is one file exporting a CheckDefinition (meta + judge), listed in index.ts (Lighthouse's
 * audit habit): judge() never throws for missing data, it returns status `error` saying what is missing.
 * A claim about a candidate/baseline ratio is a spec for the one interval judge (interval.ts).
 */
export interface CheckContext {
  plan: Plan;
  /** The phase pass lines, stop rules and the SLO are judged on (the first steady-state phase). */
  phase: string;
  comparisons: Comparison[];
  summaries: Summary[];
  /** Error classes per endpoint over the judged phases, with new ones flagged. */
  errors: ErrorClassRow[];
  /**
   * Runs of the judged phase that cannot be trusted as measurements of the service under the offered
   * load: not ok (failed, interrupted), without measured requests, or whose '*' summary says the
   * generator dropped iterations, fell short of the offered rate or was the bottleneck. The SLO check
   * counts the candidate's as missing the SLO; the verdict cannot be keep while any exists.
   */
  suspectRuns?: SuspectRun[];
  /** Same output per corpus line (src/analysis/correctness.ts), when both arms recorded digests. */
  correctness?: CorrectnessReport;
  /**
   * With a look schedule: the look and its boundaries. Ratio claims are then judged one-sided at the
   * look's level (checks/sequential.ts) instead of by the fixed design's 95 % CI and Holm.
   */
  sequential?: SequentialLook;
  /** The candidate's drills with their measured times (analysis/drills.ts). */
  drills?: DrillResult[];
  /** The bet's payback, when the plan has a bet (analysis/bet.ts). */
  bet?: BetResult;
}

export interface SuspectRun {
  runId: string;
  role: Role;
  /** Why, in a phrase ("failed: service exited 2", "dropped-iterations: k6 dropped 12 iterations …"). */
  reason: string;
}

export interface CheckMeta<L> {
  id: string;
  title: string;
  /** One sentence: how the line is judged, with its numbers. */
  howJudged: (line: L, ctx: CheckContext) => string;
}

/** What is known before any comparison exists: enough to say which comparisons a line will judge. */
export type JudgedAt = Pick<CheckContext, 'plan' | 'phase'>;

export interface CheckDefinition<L> {
  meta: CheckMeta<L>;
  judge: (line: L, ctx: CheckContext) => CheckResult;
  /**
   * The comparisons the line judges, which join the verdict's Holm family (their p-values are adjusted
   * together). Absent for a check that reads no comparison (the SLO, error classes).
   */
  judges?: (line: L, at: JudgedAt) => ComparisonKey[];
  /**
   * How many one-sided tests of this line can cause a drop under a look schedule (they share the drop
   * family's α). Absent: none (the line's failure is not a statistical test, e.g. error classes).
   */
  dropTests?: (line: L) => number;
}

/** Figure name for the verdict's "how many runs would settle it" (a number, or null when none would). */
export const SETTLE = 'runsPerArmToSettle';
