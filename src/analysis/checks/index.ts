import type { CheckResult, PassLine, Plan, StopRule } from '../../model/index.js';
import type { ComparisonKey } from '../compare.js';
import { change } from './change.js';
import { lineKey } from './ci.js';
import { flat } from './flat.js';
import { noNewErrorClasses } from './no-new-error-classes.js';
import { slo } from './slo.js';
import { stopRule } from './stop-rule.js';
import type { CheckContext, CheckDefinition } from './types.js';

/** The registry: one check per pass-line kind (the plan's `check` field), and the stop-rule judge. */
export const CHECKS = {
  change,
  flat,
  'no-new-error-classes': noNewErrorClasses,
  slo,
} satisfies { [K in PassLine['check']]: CheckDefinition<Extract<PassLine, { check: K }>> };

export { stopRule };
export type { CheckContext, CheckDefinition, SuspectRun } from './types.js';
export { SETTLE } from './types.js';

export const judgePassLine = (line: PassLine, ctx: CheckContext): CheckResult => {
  switch (line.check) {
    case 'change':
      return CHECKS.change.judge(line, ctx);
    case 'flat':
      return CHECKS.flat.judge(line, ctx);
    case 'no-new-error-classes':
      return CHECKS['no-new-error-classes'].judge(line, ctx);
    case 'slo':
      return CHECKS.slo.judge(line, ctx);
  }
};

export const judgeStopRule = (rule: StopRule, ctx: CheckContext): CheckResult => stopRule.judge(rule, ctx);

/** The comparisons the pass lines and stop rules judge (the Holm family of the verdict). */
export const judgedComparisons = (plan: Plan, phase: string): ComparisonKey[] => {
  const ctx = { plan, phase } as CheckContext;
  const keys: ComparisonKey[] = [];
  for (const line of plan.passLines) {
    if (line.check === 'change' || line.check === 'flat') keys.push(lineKey(ctx, line));
  }
  for (const rule of plan.stopRules) keys.push(lineKey(ctx, rule));
  return keys;
};
