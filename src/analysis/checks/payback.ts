import type { CheckResult, PaybackPassLine } from '../../model/index.js';
import type { CheckDefinition } from './types.js';

/**
 * "Pays back within 6 months": the bet's one-off cost is recovered by its monthly net (analysis/bet.ts)
 * within `months`. Never paying back (net ≤ 0) fails. With a payback range (the capacity saving has a
 * range), a point estimate within the bound whose slow end is not is inconclusive.
 */
export const paybackCheck: CheckDefinition<PaybackPassLine> = {
  meta: {
    id: 'payback',
    title: 'Pays back in time',
    howJudged: (line) =>
      `pass when one-off cost ÷ (monthly saving − monthly cost) ≤ ${line.months} months; fail when longer or when the monthly net is ≤ 0`,
  },
  judge: (line, ctx): CheckResult => {
    const base = {
      id: line.id,
      title: line.text,
      text: line.text,
      howJudged: paybackCheck.meta.howJudged(line, ctx),
      warnings: ctx.bet?.warnings ?? [],
    };
    const bet = ctx.bet;
    if (!bet)
      return { ...base, status: 'error', figures: {}, message: 'the plan has no bet: no payback to judge' };
    const figures: Record<string, number | string | null> = {
      paybackMonths: bet.paybackMonths,
      boundMonths: line.months,
      oneOffCost: bet.oneOffCost,
      monthlyNet: bet.monthlyNet,
    };
    const slow = bet.paybackRangeMonths?.[1];
    if (bet.paybackRangeMonths) figures.paybackMonthsSlowest = slow ?? null;
    if (bet.paybackMonths === null)
      return {
        ...base,
        status: 'fail',
        figures,
        message: `never pays back: the monthly net is ${+bet.monthlyNet.toFixed(2)} ${bet.inputs.currency}`,
      };
    const months = +bet.paybackMonths.toFixed(1);
    if (bet.paybackMonths > line.months)
      return {
        ...base,
        status: 'fail',
        figures,
        message: `pays back in ${months} months, over ${line.months}`,
      };
    if (bet.paybackRangeMonths && (slow === null || (slow ?? 0) > line.months))
      return {
        ...base,
        status: 'warn',
        figures,
        message: `${months} months, but the slow end of the capacity range ${slow === null ? 'never pays back' : `takes ${+(slow ?? 0).toFixed(1)}`}`,
      };
    return {
      ...base,
      status: 'pass',
      figures,
      message: `pays back in ${months} months (within ${line.months})`,
    };
  },
};
