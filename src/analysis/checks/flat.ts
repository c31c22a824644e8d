import type { FlatPassLine } from '../../model/index.js';
import { figureLabel, lineKey } from './ci.js';
import { intervalCheck } from './interval.js';

/**
 * "Memory flat ±5 %": an equivalence claim, judged as in TOST-style equivalence testing (Schuirmann
 * 1987) but with the 95 % CI (conservative against TOST's 90 %), by the interval judge on the band
 * [1 − tolerance, 1 + tolerance]:
 *  - pass: the whole CI of the ratio lies within the band;
 *  - fail: the whole CI lies outside that band (on one side);
 *  - warn: the CI overlaps a band edge (the one on the estimate's side): not enough runs to say either.
 */
const band = (line: FlatPassLine): string => `±${(line.tolerance * 100).toFixed(1)} %`;

export const flat = intervalCheck<FlatPassLine>({
  meta: {
    id: 'flat',
    title: 'Figure unchanged within a tolerance',
    howJudged: (line, ctx) =>
      `pass when the whole 95 % CI of candidate/baseline − 1 for ${figureLabel(lineKey(ctx, line))} lies within ${band(
        line,
      )}; fail when it lies wholly outside; otherwise inconclusive`,
  },
  region: (line) => ({ low: 1 - line.tolerance, high: 1 + line.tolerance }),
  figures: (line) => ({ tolerance: line.tolerance }),
  settleEdge: (_line, c, band) => (c.ratio >= 1 ? band.high : band.low),
  says: {
    pass: (line) => `within ${band(line)}`,
    fail: (line) => `wholly outside ${band(line)}`,
    warn: (line) => `overlaps the edge of ${band(line)}; inconclusive`,
  },
});
