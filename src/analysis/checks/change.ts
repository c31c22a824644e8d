import type { ChangePassLine, CheckResult } from '../../model/index.js';
import { ALPHA, higherIsBetter, judgedRatioCI } from '../compare.js';
import {
  ciFigures,
  ciText,
  figureLabel,
  findComparison,
  missingComparison,
  lineKey,
  pct,
  runsToSettle,
  verdictFamilySize,
} from './ci.js';
import { SETTLE, type CheckDefinition } from './types.js';

/**
 * "CPU −30 %": the candidate/baseline ratio of a figure, minus one, must be at most `maxChange`.
 * Judged on the bootstrap-over-runs 95 % CI of the ratio (Kayenta's habit: a shift against a tolerance,
 * not a bare p-value):
 *  - pass: the whole CI is within the bound, and, for a claimed improvement (bound < 0), the
 *    Holm-adjusted Mann-Whitney p < 0.05 too (a percentile bootstrap over few runs is too narrow, so
 *    the rank test guards it);
 *  - fail: the whole CI is beyond the bound (the claim is confidently false);
 *  - warn (inconclusive): the CI straddles the bound, with how many runs per arm would likely settle it.
 * For a higher-is-better figure (throughputRps) the direction flips: `maxChange` is then the least
 * change required ("throughput no worse" = 0, "+20 % throughput" = 0.2), pass when the whole CI is at
 * or above it (and p < 0.05 for a claimed gain, bound > 0), fail when the whole CI is below it.
 */
export const change: CheckDefinition<ChangePassLine> = {
  meta: {
    id: 'change',
    title: 'Change at least as large as claimed',
    howJudged: (line, ctx) =>
      higherIsBetter(line.metric)
        ? `higher is better for ${line.metric}, so ${pct(line.maxChange)} is the least change required: pass when the whole 95 % CI of candidate/baseline − 1 for ${figureLabel(
            lineKey(ctx, line),
          )} is ≥ ${pct(line.maxChange)}${
            line.maxChange > 0 ? ' and the Holm-adjusted p < 0.05' : ''
          }; fail when the whole CI is below it; otherwise inconclusive`
        : `pass when the whole 95 % CI of candidate/baseline − 1 for ${figureLabel(lineKey(ctx, line))} is ≤ ${pct(
            line.maxChange,
          )}${line.maxChange < 0 ? ' and the Holm-adjusted p < 0.05' : ''}; fail when the whole CI is above it; otherwise inconclusive`,
  },
  judge: (line, ctx): CheckResult => {
    const key = lineKey(ctx, line);
    const base = {
      id: line.id,
      title: `${line.text}`,
      text: line.text,
      howJudged: change.meta.howJudged(line, ctx),
    };
    const c = findComparison(ctx, key);
    if (!c || !Number.isFinite(c.ratio)) return missingComparison(base, key, { bound: line.maxChange }, c);
    const bound = 1 + line.maxChange;
    const [lo, hi] = judgedRatioCI(c);
    const figures = { ...ciFigures(c), bound: line.maxChange };
    const ci = `${ciText(c, lo, hi)}`;
    const up = higherIsBetter(line.metric);
    // Does the whole CI satisfy the bound, is it wholly beyond it, and is a gain claimed (needs p)?
    const within = up ? lo >= bound : hi <= bound;
    const beyond = up ? hi < bound : lo > bound;
    const claimsGain = up ? line.maxChange > 0 : line.maxChange < 0;
    if (within && (!claimsGain || c.pAdjusted < ALPHA)) {
      return {
        ...base,
        status: 'pass',
        figures,
        message: `${ci}: within ${pct(line.maxChange)}`,
        warnings: c.warnings,
      };
    }
    if (beyond) {
      return {
        ...base,
        status: 'fail',
        figures,
        message: `${ci}: the whole CI misses ${pct(line.maxChange)}`,
        warnings: c.warnings,
      };
    }
    const settle = runsToSettle(c, bound, verdictFamilySize(ctx));
    const why = within
      ? `the CI clears ${pct(line.maxChange)} but the Holm-adjusted p = ${c.pAdjusted.toPrecision(2)} ≥ ${ALPHA}`
      : `the CI straddles ${pct(line.maxChange)}`;
    return {
      ...base,
      status: 'warn',
      figures: { ...figures, [SETTLE]: settle },
      message: `${ci}: ${why}; inconclusive${settle !== null ? ` (about ${settle} runs per arm would settle it)` : ''}`,
      warnings: c.warnings,
    };
  },
};
