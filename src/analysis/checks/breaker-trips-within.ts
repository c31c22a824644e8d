import type { BreakerTripsWithinPassLine, CheckResult } from '../../model/index.js';
import { drillsOf, judgeDrillTimes } from './drill-figures.js';
import type { CheckDefinition } from './types.js';

/**
 * "Breaker trips within 5 s": in every fault drill of the candidate, the first response served by Go
 * because the breaker was open (`go-breaker`) ends within `seconds` of the injection call. A drill whose
 * breaker never opened fails the line.
 */
export const breakerTripsWithin: CheckDefinition<BreakerTripsWithinPassLine> = {
  meta: {
    id: 'breaker-trips-within',
    title: 'Breaker trips in time',
    howJudged: (line) =>
      `pass when, in every fault drill of the candidate, a response is served by Go because the breaker opened within ${line.seconds} s of the fault injection; fail when one takes longer or never trips`,
  },
  judge: (line, ctx): CheckResult =>
    judgeDrillTimes({
      base: {
        id: line.id,
        title: line.text,
        text: line.text,
        howJudged: breakerTripsWithin.meta.howJudged(line, ctx),
        warnings: [],
      },
      drills: drillsOf(ctx, 'fault'),
      kind: 'fault',
      time: (d) => d.tripSeconds,
      bound: line.seconds,
      unit: 's',
      missing: 'the breaker never opened',
    }),
};
