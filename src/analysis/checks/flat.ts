import { judgedRatioCI } from '../compare.js';
import type { CheckResult, FlatPassLine } from '../../model/index.js';
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
import { SETTLE, type CheckDefinition } from './types.js';

/**
 * "Memory flat ±5 %": an equivalence claim, judged as in TOST-style equivalence testing (Schuirmann
 * 1987) but with the 95 % CI (conservative against TOST's 90 %):
 *  - pass: the whole CI of the ratio lies within [1 − tolerance, 1 + tolerance];
 *  - fail: the whole CI lies outside that band (on one side);
 *  - warn: the CI overlaps a band edge: not enough runs to say either.
 */
export const flat: CheckDefinition<FlatPassLine> = {
  meta: {
    id: 'flat',
    title: 'Figure unchanged within a tolerance',
    howJudged: (line, ctx) =>
      `pass when the whole 95 % CI of candidate/baseline − 1 for ${figureLabel(lineKey(ctx, line))} lies within ±${(
        line.tolerance * 100
      ).toFixed(1)} %; fail when it lies wholly outside; otherwise inconclusive`,
  },
  judge: (line, ctx): CheckResult => {
    const key = lineKey(ctx, line);
    const base = {
      id: line.id,
      title: line.text,
      text: line.text,
      howJudged: flat.meta.howJudged(line, ctx),
    };
    const c = findComparison(ctx, key);
    if (!c || !Number.isFinite(c.ratio))
      return missingComparison(base, key, { tolerance: line.tolerance }, c);
    const [lo, hi] = judgedRatioCI(c);
    const low = 1 - line.tolerance;
    const high = 1 + line.tolerance;
    const figures = { ...ciFigures(c), tolerance: line.tolerance };
    const ci = `${ciText(c, lo, hi)}`;
    const band = `±${(line.tolerance * 100).toFixed(1)} %`;
    if (lo >= low && hi <= high) {
      return { ...base, status: 'pass', figures, message: `${ci}: within ${band}`, warnings: c.warnings };
    }
    if (lo > high || hi < low) {
      return {
        ...base,
        status: 'fail',
        figures,
        message: `${ci}: wholly outside ${band}`,
        warnings: c.warnings,
      };
    }
    const edge = c.ratio >= 1 ? high : low;
    const settle = runsToSettle(c, edge, verdictFamilySize(ctx));
    return {
      ...base,
      status: 'warn',
      figures: { ...figures, [SETTLE]: settle },
      message: `${ci}: overlaps the edge of ${band}; inconclusive${settle !== null ? ` (about ${settle} runs per arm would settle it)` : ''}`,
      warnings: c.warnings,
    };
  },
};
