import { InputError } from '../../model/index.js';

/**
 * The bet's payback: does the port's engineering cost come back through the infrastructure it frees?
 * Plain cash arithmetic, undiscounted (a planner's first look, not a net-present-value model):
 *   oneOffCost     = oneOffHours × hourlyRate            (port, review, CI and build work, training)
 *   monthlyCost    = monthlyHours × hourlyRate            (extra review, on-call)
 *                  + ciMinutesDelta × buildsPerMonth × ciPricePerMinute   (slower builds)
 *   monthlyNet     = monthlySaving − monthlyCost
 *   paybackMonths  = oneOffCost / monthlyNet, or null when monthlyNet ≤ 0 (it never pays back)
 *   netOverHorizon = monthlyNet × horizonMonths − oneOffCost
 * The saving and the CI-minutes difference may be negative (a candidate that needs more instances, a
 * build that got faster); hours, rates, builds and prices may not.
 */
export interface PaybackInput {
  /** Infrastructure freed per month, in money (e.g. a trial's capacity.savings.moneyPerMonth). */
  monthlySaving: number;
  /** Engineering hours spent once. */
  oneOffHours: number;
  /** Cost of one engineering hour. */
  hourlyRate: number;
  /** Engineering hours every month from now on (default 0). */
  monthlyHours?: number;
  /** Extra CI minutes per build, candidate minus baseline (default 0). */
  ciMinutesDelta?: number;
  /** Builds per month (default 0). */
  buildsPerMonth?: number;
  /** Price of one CI minute (default 0). */
  ciPricePerMinute?: number;
  /** Months the net is summed over (default 12). */
  horizonMonths?: number;
}

/** **contract** (`hotswap plan payback --json`): exactly these keys, in this order. */
export interface Payback {
  oneOffCost: number;
  monthlyCost: number;
  monthlyNet: number;
  /** Months until the one-off cost is recovered; null when the net per month is ≤ 0. */
  paybackMonths: number | null;
  netOverHorizon: number;
}

export const DEFAULT_HORIZON_MONTHS = 12;

const need = (name: string, x: number, ok: (x: number) => boolean, expected: string): void => {
  if (!(Number.isFinite(x) && ok(x))) throw new InputError(`${name} must be ${expected}, got ${x}`);
};

export const payback = (input: PaybackInput): Payback => {
  const {
    monthlySaving,
    oneOffHours,
    hourlyRate,
    monthlyHours = 0,
    ciMinutesDelta = 0,
    buildsPerMonth = 0,
    ciPricePerMinute = 0,
    horizonMonths = DEFAULT_HORIZON_MONTHS,
  } = input;
  const nonNegative = (x: number): boolean => x >= 0;
  need('monthly saving', monthlySaving, () => true, 'a finite amount');
  need('one-off hours', oneOffHours, nonNegative, '≥ 0');
  need('hourly rate', hourlyRate, nonNegative, '≥ 0');
  need('monthly hours', monthlyHours, nonNegative, '≥ 0');
  need('CI minutes delta', ciMinutesDelta, () => true, 'a finite number of minutes');
  need('builds per month', buildsPerMonth, nonNegative, '≥ 0');
  need('CI price per minute', ciPricePerMinute, nonNegative, '≥ 0');
  need('horizon', horizonMonths, (x) => x > 0, '> 0 months');
  const oneOffCost = oneOffHours * hourlyRate;
  const monthlyCost = monthlyHours * hourlyRate + ciMinutesDelta * buildsPerMonth * ciPricePerMinute;
  const monthlyNet = monthlySaving - monthlyCost;
  return {
    oneOffCost,
    monthlyCost,
    monthlyNet,
    paybackMonths: monthlyNet > 0 ? oneOffCost / monthlyNet : null,
    netOverHorizon: monthlyNet * horizonMonths - oneOffCost,
  };
};
