import type { ChangePassLine } from '../../model/index.js';
import { ALPHA, higherIsBetter } from '../compare.js';
import { figureLabel, lineKey, pct } from './ci.js';
import { atLeastOrAtMost, intervalCheck } from './interval.js';

/**
 * "CPU −30 %": the candidate/baseline ratio of a figure, minus one, must be at most `maxChange`.
 * Judged by the interval judge on the ratio's 95 % CI against 1 + maxChange:
 *  - pass: the whole CI is within the bound, and, for a claimed improvement (bound < 0), the
 *    Holm-adjusted Mann-Whitney p < 0.05 too (a percentile bootstrap over few runs is too narrow, so
 *    the rank test guards it);
 *  - fail: the whole CI is beyond the bound (the claim is confidently false);
 *  - warn (inconclusive): the CI straddles the bound, with how many runs per arm would likely settle it.
 * For a higher-is-better figure (throughputRps) the direction flips: `maxChange` is then the least
 * change required ("throughput no worse" = 0, "+20 % throughput" = 0.2), pass when the whole CI is at
 * or above it (and p < 0.05 for a claimed gain, bound > 0), fail when the whole CI is below it.
 */
const claimsGain = (line: ChangePassLine): boolean =>
  higherIsBetter(line.metric) ? line.maxChange > 0 : line.maxChange < 0;

export const change = intervalCheck<ChangePassLine>({
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
  region: (line) => atLeastOrAtMost(1 + line.maxChange, higherIsBetter(line.metric)),
  figures: (line) => ({ bound: line.maxChange }),
  gate: (line, c) =>
    claimsGain(line) && !(c.pAdjusted < ALPHA)
      ? `the CI clears ${pct(line.maxChange)} but the Holm-adjusted p = ${c.pAdjusted.toPrecision(2)} ≥ ${ALPHA}`
      : undefined,
  says: {
    pass: (line) => `within ${pct(line.maxChange)}`,
    fail: (line) => `the whole CI misses ${pct(line.maxChange)}`,
    warn: (line, gated) => `${gated ?? `the CI straddles ${pct(line.maxChange)}`}; inconclusive`,
  },
});
