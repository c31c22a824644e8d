import type { CheckResult, RollbackWithinPassLine } from '../../model/index.js';
import { drillsOf, judgeDrillTimes } from './drill-figures.js';
import type { CheckDefinition } from './types.js';

/**
 * "Rollback within 1 s": in every rollback drill of the candidate, Rust is off (the flip acknowledged and
 * the last Rust-served response ended) within `seconds` of the flip call (analysis/drills.ts rollbackMs).
 */
export const rollbackWithin: CheckDefinition<RollbackWithinPassLine> = {
  meta: {
    id: 'rollback-within',
    title: 'Rollback in time',
    howJudged: (line) =>
      `pass when, in every rollback drill of the candidate, Rust is off (flip acknowledged, last Rust-served response ended) within ${line.seconds * 1000} ms of the flip to Go; fail when one takes longer`,
  },
  judge: (line, ctx): CheckResult =>
    judgeDrillTimes({
      base: {
        id: line.id,
        title: line.text,
        text: line.text,
        howJudged: rollbackWithin.meta.howJudged(line, ctx),
        warnings: [],
      },
      drills: drillsOf(ctx, 'rollback'),
      kind: 'rollback',
      time: (d) => d.rollbackMs,
      bound: line.seconds * 1000,
      unit: 'ms',
      missing: 'no flip to Go was seen (or Rust never served before it)',
    }),
};
