import type { CheckResult, PassLine, Plan, StopRule } from '../../model/index.js';
import type { ComparisonKey } from '../compare.js';
import { change } from './change.js';
import { flat } from './flat.js';
import { noNewErrorClasses } from './no-new-error-classes.js';
import { sameOutput } from './same-output.js';
import { slo } from './slo.js';
import { breakerTripsWithin } from './breaker-trips-within.js';
import { rollbackWithin } from './rollback-within.js';
import { noFailedRequests } from './no-failed-requests.js';
import { paybackCheck } from './payback.js';
import { stopRule } from './stop-rule.js';
import type { CheckContext, CheckDefinition, JudgedAt } from './types.js';

/** A pass-line kind (the plan's `check` field) and the pass line of that kind. */
export type CheckKind = PassLine['check'];
type LineOf = { [K in CheckKind]: Extract<PassLine, { check: K }> };
type Registry = { [K in CheckKind]: CheckDefinition<LineOf[K]> };

/**
 * The registry: one check per pass-line kind, and nothing else knows the kinds. A new kind is one
 * file exporting its CheckDefinition and one line here; `satisfies` fails the build while a kind of
 * the plan's PassLine union has no check.
 */
export const CHECKS = {
  change,
  flat,
  'no-new-error-classes': noNewErrorClasses,
  slo,
  'same-output': sameOutput,
  'breaker-trips-within': breakerTripsWithin,
  'rollback-within': rollbackWithin,
  'no-failed-requests': noFailedRequests,
  payback: paybackCheck,
} satisfies Registry;

/** The check of a line's kind, typed for that line (the registry is indexed by the line's own tag). */
export const checkOf = <K extends CheckKind>(line: LineOf[K]): CheckDefinition<LineOf[K]> =>
  (CHECKS as Registry)[line.check as K];

export { stopRule };
export type { CheckContext, CheckDefinition, JudgedAt, SuspectRun } from './types.js';
export { SETTLE } from './types.js';

export const judgePassLine = (line: PassLine, ctx: CheckContext): CheckResult =>
  checkOf(line).judge(line, ctx);

export const judgeStopRule = (rule: StopRule, ctx: CheckContext): CheckResult => stopRule.judge(rule, ctx);

/** The comparisons the pass lines and stop rules judge (the Holm family of the verdict). */
export const judgedComparisons = (plan: Plan, phase: string): ComparisonKey[] => {
  const at: JudgedAt = { plan, phase };
  return [
    ...plan.passLines.flatMap((line) => checkOf(line).judges?.(line, at) ?? []),
    ...plan.stopRules.flatMap((rule) => stopRule.judges?.(rule, at) ?? []),
  ];
};

/**
 * Under a look schedule: the one-sided tests by which the plan's pass lines and stop rules can cause a
 * drop (the drop family whose α is split among them; the pass lines' pass side is not in it).
 */
export const dropTestCount = (plan: Plan): number =>
  plan.passLines.reduce((n, line) => n + (checkOf(line).dropTests?.(line) ?? 0), 0) +
  plan.stopRules.reduce((n, rule) => n + (stopRule.dropTests?.(rule) ?? 0), 0);
