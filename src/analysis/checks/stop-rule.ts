import type { StopRule } from '../../model/index.js';
import { higherIsBetter } from '../compare.js';
import { figureLabel, lineKey } from './ci.js';
import { atLeastOrAtMost, intervalCheck } from './interval.js';

/**
 * A stop rule, e.g. "p99 cut < 10 % → drop": the bet is off when the improvement is confidently
 * smaller than `minImprovement`. Judged like a pass line by the interval judge, on the 95 % CI of the
 * improvement (1 − ratio; ratio − 1 for throughput):
 *  - fail (the rule fires, decision drop): the whole CI is below the required improvement;
 *  - pass: the whole CI reaches it;
 *  - warn: the CI straddles it, so the rule can neither fire nor be ruled out.
 */
const need = (rule: StopRule): string => `${(rule.minImprovement * 100).toFixed(1)} %`;

export const stopRule = intervalCheck<StopRule>({
  meta: {
    id: 'stop-rule',
    title: 'Stop rule',
    howJudged: (rule, ctx) =>
      `fires (${rule.decision}) when the whole 95 % CI of the improvement in ${figureLabel(lineKey(ctx, rule))} is below ${need(
        rule,
      )}; clear when the whole CI reaches it; otherwise undecided`,
  },
  region: (rule) =>
    higherIsBetter(rule.metric)
      ? atLeastOrAtMost(1 + rule.minImprovement, true)
      : atLeastOrAtMost(1 - rule.minImprovement, false),
  figures: (rule) => ({ minImprovement: rule.minImprovement }),
  ciPrefix: 'change ',
  says: {
    pass: (rule) => `improvement of at least ${need(rule)}`,
    fail: (rule) => `improvement confidently below ${need(rule)}; the rule fires`,
    warn: (rule) => `cannot tell whether the improvement reaches ${need(rule)}`,
  },
});
