import type { CheckResult, StopRule } from '../../model/index.js';
import { higherIsBetter, judgedRatioCI } from '../compare.js';
import {
  ciFigures,
  ciText,
  figureLabel,
  findComparison,
  missingComparison,
  lineKey,
  runsToSettle,
  verdictFamilySize,
} from './ci.js';
import { SETTLE, type CheckContext, type CheckDefinition } from './types.js';

/**
 * A stop rule, e.g. "p99 cut < 10 % → drop": the bet is off when the improvement is confidently
 * smaller than `minImprovement`. Judged like a pass line, on the 95 % CI of the improvement
 * (1 − ratio; ratio − 1 for throughput):
 *  - fail (the rule fires, decision drop): the whole CI is below the required improvement;
 *  - pass: the whole CI reaches it;
 *  - warn: the CI straddles it, so the rule can neither fire nor be ruled out.
 */
const improvementBound = (rule: StopRule): number =>
  higherIsBetter(rule.metric) ? 1 + rule.minImprovement : 1 - rule.minImprovement;

export const stopRule: CheckDefinition<StopRule> = {
  meta: {
    id: 'stop-rule',
    title: 'Stop rule',
    howJudged: (rule: StopRule, ctx: CheckContext) =>
      `fires (${rule.decision}) when the whole 95 % CI of the improvement in ${figureLabel(lineKey(ctx, rule))} is below ${(
        rule.minImprovement * 100
      ).toFixed(1)} %; clear when the whole CI reaches it; otherwise undecided`,
  },
  judge: (rule, ctx): CheckResult => {
    const key = lineKey(ctx, rule);
    const base = {
      id: rule.id,
      title: rule.text,
      text: rule.text,
      howJudged: stopRule.meta.howJudged(rule, ctx),
    };
    const c = findComparison(ctx, key);
    if (!c || !Number.isFinite(c.ratio))
      return missingComparison(base, key, { minImprovement: rule.minImprovement }, c);
    const bound = improvementBound(rule);
    const [lo, hi] = judgedRatioCI(c);
    const up = higherIsBetter(rule.metric);
    const figures = { ...ciFigures(c), minImprovement: rule.minImprovement };
    const ci = `change ${ciText(c, lo, hi)}`;
    const need = `${(rule.minImprovement * 100).toFixed(1)} %`;
    const fires = up ? hi < bound : lo > bound;
    const clear = up ? lo >= bound : hi <= bound;
    if (fires) {
      return {
        ...base,
        status: 'fail',
        figures,
        message: `${ci}: improvement confidently below ${need}; the rule fires`,
        warnings: c.warnings,
      };
    }
    if (clear) {
      return {
        ...base,
        status: 'pass',
        figures,
        message: `${ci}: improvement of at least ${need}`,
        warnings: c.warnings,
      };
    }
    const settle = runsToSettle(c, bound, verdictFamilySize(ctx));
    return {
      ...base,
      status: 'warn',
      figures: { ...figures, [SETTLE]: settle },
      message: `${ci}: cannot tell whether the improvement reaches ${need}${settle !== null ? ` (about ${settle} runs per arm would settle it)` : ''}`,
      warnings: c.warnings,
    };
  },
};
