import type { CheckResult, DrillResult } from '../../model/index.js';
import { median } from '../stats/index.js';
import type { CheckContext } from './types.js';

/** The candidate's drills of one kind (ctx.drills), and the base of a drill check's result. */
export const drillsOf = (ctx: CheckContext, kind: DrillResult['kind']): DrillResult[] =>
  (ctx.drills ?? []).filter((d) => d.kind === kind);

/**
 * Judges one time per drill against a bound: pass when every drill measured it within `bound`, fail when
 * one took longer or never showed it (null: the breaker never opened, Rust never left), error without a
 * drill of the kind.
 */
export const judgeDrillTimes = (opts: {
  base: Omit<CheckResult, 'status' | 'figures' | 'message'>;
  drills: DrillResult[];
  kind: string;
  time: (d: DrillResult) => number | null;
  bound: number;
  unit: 's' | 'ms';
  missing: string;
}): CheckResult => {
  const { base, drills, time, bound, unit } = opts;
  if (drills.length === 0)
    return {
      ...base,
      status: 'error',
      figures: {},
      message: `no ${opts.kind} drill of the candidate to judge`,
    };
  const times = drills.map(time);
  const measured = times.filter((t): t is number => t !== null);
  const figures: Record<string, number | string | null> = {
    drills: drills.length,
    bound,
    median: measured.length ? median(measured) : null,
    max: measured.length ? Math.max(...measured) : null,
    unmeasured: times.length - measured.length,
  };
  const never = drills.filter((d) => time(d) === null).map((d) => d.runId);
  const slow = drills.filter((d) => (time(d) ?? -Infinity) > bound).map((d) => d.runId);
  const fmt = (x: number): string => `${+x.toFixed(unit === 's' ? 2 : 1)} ${unit}`;
  const spread = measured.length ? `median ${fmt(median(measured))}, max ${fmt(Math.max(...measured))}` : '';
  if (never.length > 0)
    return { ...base, status: 'fail', figures, message: `${opts.missing} in ${never.join(', ')}` };
  if (slow.length > 0)
    return {
      ...base,
      status: 'fail',
      figures,
      message: `${spread}: over ${fmt(bound)} in ${slow.join(', ')}`,
    };
  return {
    ...base,
    status: 'pass',
    figures,
    message: `${spread} over ${drills.length} drill(s): within ${fmt(bound)}`,
  };
};
