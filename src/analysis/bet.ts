import type { BetResult, BetSpec, BuildInfo, Role, Savings, Warning } from '../model/index.js';
import { warning } from '../model/index.js';
import { payback } from './capacity/payback.js';

/**
 * The bet's cost against its saving (issue 12), all through `payback()` (capacity/payback.ts):
 *   oneOffCost   = oneOffHours × hourlyRate
 *   monthlyCost  = monthlyHours × hourlyRate + ciMinutesDelta × buildsPerMonth × ciPricePerMinute
 *   monthlySaving = the whole instances the candidate frees × their price (capacity.savings.moneyPerMonth)
 * `ciMinutesDelta` is the candidate's build time minus the baseline's (build/build-info.json as the report
 * reads it): the from-scratch (cold) times when both are measured, else the last builds' times with a
 * warning, else 0 with a warning. A capacity saving range (repeated capacity searches) gives a payback
 * range: the larger saving pays back fastest. Pure.
 */
export interface BetInput {
  bet: BetSpec;
  savings?: Savings;
  /** capacity.savingsRange.moneyPerMonth, when the capacity has a range. */
  savingRangePerMonth?: [number, number];
  builds: Partial<Record<Role, BuildInfo>>;
  currency: string;
}

const buildDelta = (
  builds: BetInput['builds'],
): { minutes: number | null; kind: BetResult['inputs']['buildTime']; warnings: Warning[] } => {
  const b = builds.baseline;
  const c = builds.candidate;
  if (b?.coldBuildSeconds !== undefined && c?.coldBuildSeconds !== undefined)
    return { minutes: (c.coldBuildSeconds - b.coldBuildSeconds) / 60, kind: 'cold', warnings: [] };
  if (b && c) {
    const delta = c.buildSeconds - b.buildSeconds;
    return {
      minutes: delta / 60,
      kind: 'last',
      warnings: [warning('bet-build-time-not-cold', { deltaSeconds: Number(delta.toFixed(2)) })],
    };
  }
  return { minutes: null, kind: 'unknown', warnings: [warning('bet-no-build-time')] };
};

export const betOf = (input: BetInput): BetResult => {
  const { bet, savings } = input;
  const warnings: Warning[] = [];
  const ci = buildDelta(input.builds);
  if (bet.buildsPerMonth > 0) warnings.push(...ci.warnings);
  if (!savings) warnings.push(warning('bet-no-saving'));
  const costs = {
    oneOffHours: bet.oneOffHours,
    hourlyRate: bet.hourlyRate,
    monthlyHours: bet.monthlyHours,
    ciMinutesDelta: ci.minutes ?? 0,
    buildsPerMonth: bet.buildsPerMonth,
    ciPricePerMinute: bet.ciPricePerMinute,
    horizonMonths: bet.horizonMonths,
  };
  const monthlySaving = savings?.moneyPerMonth ?? 0;
  const p = payback({ ...costs, monthlySaving });
  const range = input.savingRangePerMonth;
  return {
    problem: bet.problem,
    win: bet.win,
    rollback: bet.rollback,
    oneOffCost: p.oneOffCost,
    monthlyCost: p.monthlyCost,
    monthlySaving,
    monthlyNet: p.monthlyNet,
    paybackMonths: p.paybackMonths,
    netOverHorizon: p.netOverHorizon,
    ...(range
      ? {
          paybackRangeMonths: [
            payback({ ...costs, monthlySaving: Math.max(...range) }).paybackMonths,
            payback({ ...costs, monthlySaving: Math.min(...range) }).paybackMonths,
          ] as [number | null, number | null],
        }
      : {}),
    inputs: {
      oneOffHours: bet.oneOffHours,
      hourlyRate: bet.hourlyRate,
      monthlyHours: bet.monthlyHours,
      buildsPerMonth: bet.buildsPerMonth,
      ciPricePerMinute: bet.ciPricePerMinute,
      horizonMonths: bet.horizonMonths,
      ciMinutesDelta: ci.minutes,
      buildTime: ci.kind,
      currency: input.currency,
    },
    warnings,
  };
};
