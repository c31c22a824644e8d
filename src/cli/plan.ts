import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  fitUsl,
  instancesNeeded,
  minServers,
  payback,
  uslThroughput,
  type QueueCriterion,
  type UslPoint,
} from '../analysis/capacity/index.js';
import { InputError, atLine } from '../model/index.js';
import type { CommandModule } from './commands.js';
import type { Io } from './io.js';
import { fmt } from './stats.js';

const PLAN_HELP = `
What-if calculators for capacity planners; no load is generated.

  usl        fit the Universal Scalability Law to measured (load, throughput) points
  queue      servers an M/M/c queue needs so that P(wait > SLO) or P(response > SLO) stays ≤ a target
  instances  instances and monthly cost for a peak rate, with spare instances for redundancy
  payback    months until a port's engineering cost is recovered by the infrastructure it frees`;

const USL_HELP = `
Fits X(N) = λN / (1 + σ(N−1) + κN(N−1)) (Gunther's Universal Scalability Law) by bounded least squares
(σ, κ in [0, 1], λ > 0) and reports contention σ, coherency κ, λ and the peak N* = √((1−σ)/κ).
FILE.csv has a header with columns load,throughput (any order, other columns ignored) and at least 6 rows,
e.g. virtual users or concurrency vs requests per second from a ramp. κ ≈ 0 means the data show no
retrograde region: the peak is then not measured but extrapolated (a warning says so).

Examples:
  hotswap plan usl ramp.csv
  hotswap plan usl ramp.csv --json | jq .peak`;

const QUEUE_HELP = `
Erlang C sizing for an M/M/c queue (Poisson arrivals, exponential service, c servers, first come first
served). Finds the smallest c with P(wait > S) ≤ E (--criterion wait, the default: the Erlang C formula
C(c, a)·e^(−(cμ−λ)S)) or P(response > S) ≤ E (--criterion response: waiting plus service, the exact
M/M/c sojourn-time distribution). A "server" is one unit of concurrency: a worker, a core, a connection.

Examples:
  # 400 req/s, each worker serves 50 req/s (20 ms), at most 2% of requests wait more than 100 ms
  hotswap plan queue --arrival-rate 400 --service-rate 50 --slo 0.1 --max-probability 0.02
  # the same with the response time (wait + service) under 100 ms for 99% of requests
  hotswap plan queue --arrival-rate 400 --service-rate 50 --slo 100ms --max-probability 0.01 --criterion response --json`;

const INSTANCES_HELP = `
instancesForPeak = ceil(peak / per-instance rate); instances = that + --redundancy spare instances
(N+1 by default: survive losing one instance at peak); monthly cost = instances × price × 730 h.
Take the per-instance rate from a trial's capacity section (knee or CPU-based estimate).

Examples:
  hotswap plan instances --peak-rps 12000 --per-instance-rps 1800 --cost-per-hour 0.192
  hotswap plan instances --peak-rps 12000 --per-instance-rps 2300 --redundancy 2 --cost-per-hour 0.192 --json`;

const PAYBACK_HELP = `
Weighs the bet's cost against its saving, in one currency, undiscounted:
  one-off cost     = H × R                 hours spent once (port, review, CI and build work, training)
  monthly cost     = M × R + D × B × P     ongoing hours (extra review, on-call) + slower builds in CI
  monthly net      = S − monthly cost
  payback          = one-off cost / monthly net, in months; none (null) when the net is ≤ 0
  net over horizon = monthly net × horizon − one-off cost
Take S from a trial's report (capacity.savings.moneyPerMonth, whole instances freed at peak) or from two
runs of \`hotswap plan instances\`; D from the cold-build times of the two builds (candidate − baseline).
S and D may be negative (more instances, a faster build). --ci-minutes-delta, --builds-per-month and
--ci-price-per-minute go together.

Examples:
  # 2 500 a month freed; 120 h of work at 95/h; 10 h a month of review and on-call
  hotswap plan payback --monthly-saving 2500 --one-off-hours 120 --hourly-rate 95 --monthly-hours 10
  # the same with 4 extra CI minutes on each of 600 builds a month at 0.008 a minute, over two years
  hotswap plan payback --monthly-saving 2500 --one-off-hours 120 --hourly-rate 95 --monthly-hours 10 \\
    --ci-minutes-delta 4 --builds-per-month 600 --ci-price-per-minute 0.008 --horizon-months 24 --json`;

/** A finite number from a flag value, or an InputError naming the flag. */
export const numberFlag = (
  flag: string,
  value: string | undefined,
  check: (x: number) => boolean,
  expected: string,
): number => {
  if (value === undefined) throw new InputError(`${flag} is required (${expected})`);
  const x = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(x) || !check(x))
    throw new InputError(`${flag}: expected ${expected}, got "${value}"`);
  return x;
};

/** Seconds from "0.2", "0.2s", "200ms" or "200us". */
export const secondsFlag = (flag: string, value: string | undefined): number => {
  if (value === undefined) throw new InputError(`${flag} is required (seconds, e.g. 0.2 or 200ms)`);
  const m = /^\s*([0-9]*\.?[0-9]+(?:[eE][+-]?\d+)?)\s*(ms|us|µs|s)?\s*$/.exec(value);
  if (!m) throw new InputError(`${flag}: expected a duration such as 0.2, 0.2s or 200ms, got "${value}"`);
  const scale = m[2] === 'ms' ? 1e-3 : m[2] === 'us' || m[2] === 'µs' ? 1e-6 : 1;
  return Number(m[1]) * scale;
};

/** Reads load,throughput rows; errors name file and line. */
export const readUslCsv = async (path: string): Promise<UslPoint[]> => {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new InputError(
      `${path}: cannot read: ${err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message)}`,
    );
  });
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (headerIndex < 0)
    throw new InputError(`${path}: empty file (expected a header load,throughput and rows)`);
  const header = lines[headerIndex]!.split(',').map((h) => h.trim().toLowerCase());
  const loadCol = header.indexOf('load');
  const tputCol = header.indexOf('throughput');
  if (loadCol < 0 || tputCol < 0) {
    throw new InputError(
      atLine(
        path,
        headerIndex + 1,
        `header must name the columns load and throughput, got "${lines[headerIndex]}"`,
      ),
    );
  }
  const points: UslPoint[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',');
    const load = Number(cells[loadCol]?.trim() || NaN);
    const throughput = Number(cells[tputCol]?.trim() || NaN);
    if (!Number.isFinite(load) || !Number.isFinite(throughput)) {
      throw new InputError(
        atLine(path, i + 1, `expected numbers in the load and throughput columns, got "${line}"`),
      );
    }
    points.push({ load, throughput });
  }
  return points;
};

const usl = async (file: string, flags: { json?: boolean }, io: Io): Promise<void> => {
  const points = await readUslCsv(file);
  let fit;
  try {
    fit = fitUsl(points);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${file}: ${err.message}`);
    throw err;
  }
  if (flags.json) {
    // JSON has no Infinity: a peak that does not exist (κ = 0) is null.
    const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
    const doc = {
      sigma: fit.sigma,
      kappa: fit.kappa,
      lambda: fit.lambda,
      peak: { load: finite(fit.peak.load), throughput: finite(fit.peak.throughput) },
      rSquared: fit.rSquared,
      warnings: fit.warnings,
    };
    io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const lines = [
    `USL fit of ${points.length} points from ${file}  (R² = ${fit.rSquared.toFixed(4)})`,
    `  sigma  (contention)  ${fmt(fit.sigma)}`,
    `  kappa  (coherency)   ${fmt(fit.kappa)}`,
    `  lambda (X per unit)  ${fmt(fit.lambda)}`,
    Number.isFinite(fit.peak.load)
      ? `  peak   load ${fmt(fit.peak.load)} → throughput ${fmt(fit.peak.throughput)}`
      : `  peak   none (kappa = 0); throughput approaches ${fmt(fit.peak.throughput)}`,
    '',
    `  ${'load'.padStart(10)}${'measured'.padStart(12)}${'fitted'.padStart(12)}`,
    ...points.map(
      (p) =>
        `  ${fmt(p.load).padStart(10)}${fmt(p.throughput).padStart(12)}${fmt(uslThroughput(p.load, fit.sigma, fit.kappa, fit.lambda)).padStart(12)}`,
    ),
  ];
  for (const w of fit.warnings) io.stderr(`warning: ${w.message}${w.hint ? `\n  hint: ${w.hint}` : ''}\n`);
  io.stdout(`${lines.join('\n')}\n`);
};

interface QueueFlags {
  arrivalRate?: string;
  serviceRate?: string;
  slo?: string;
  maxProbability?: string;
  criterion: string;
  json?: boolean;
}

const queue = (flags: QueueFlags, io: Io): void => {
  const arrivalRate = numberFlag(
    '--arrival-rate',
    flags.arrivalRate,
    (x) => x > 0,
    'requests per second > 0',
  );
  const serviceRate = numberFlag(
    '--service-rate',
    flags.serviceRate,
    (x) => x > 0,
    'requests per second per server > 0',
  );
  const sloSeconds = secondsFlag('--slo', flags.slo);
  const maxProbability = numberFlag(
    '--max-probability',
    flags.maxProbability,
    (x) => x > 0 && x < 1,
    'a probability in (0, 1)',
  );
  if (flags.criterion !== 'wait' && flags.criterion !== 'response') {
    throw new InputError(`--criterion: expected wait or response, got "${flags.criterion}"`);
  }
  const criterion: QueueCriterion = flags.criterion;
  let result;
  try {
    result = minServers({ arrivalRate, serviceRate, sloSeconds, maxProbability, criterion });
  } catch (err) {
    if (err instanceof InputError)
      throw new InputError(
        `${err.message.startsWith('offered load') ? '--arrival-rate/--service-rate' : '--slo/--max-probability'}: ${err.message}`,
      );
    throw err;
  }
  const offeredLoad = arrivalRate / serviceRate;
  if (flags.json) {
    io.stdout(
      `${JSON.stringify({ ...result, criterion, offeredLoad, utilization: offeredLoad / result.minServers }, null, 2)}\n`,
    );
    return;
  }
  io.stdout(
    [
      `M/M/c: λ = ${fmt(arrivalRate)}/s, μ = ${fmt(serviceRate)}/s per server, offered load ${fmt(offeredLoad)} Erlangs`,
      `  ${result.minServers} servers: P(${criterion} > ${fmt(sloSeconds)} s) = ${fmt(result.probability)} ≤ ${fmt(maxProbability)}` +
        `  (utilisation ${(100 * (offeredLoad / result.minServers)).toFixed(1)}%)`,
    ].join('\n') + '\n',
  );
};

interface InstancesFlags {
  peakRps?: string;
  perInstanceRps?: string;
  redundancy: string;
  costPerHour: string;
  json?: boolean;
}

const instances = (flags: InstancesFlags, io: Io): void => {
  const input = {
    peakRps: numberFlag('--peak-rps', flags.peakRps, (x) => x >= 0, 'requests per second ≥ 0'),
    perInstanceRps: numberFlag(
      '--per-instance-rps',
      flags.perInstanceRps,
      (x) => x > 0,
      'requests per second > 0',
    ),
    redundancy: numberFlag(
      '--redundancy',
      flags.redundancy,
      (x) => Number.isInteger(x) && x >= 0,
      'a whole number of spare instances ≥ 0',
    ),
    costPerInstanceHour: numberFlag(
      '--cost-per-hour',
      flags.costPerHour,
      (x) => x >= 0,
      'a price per instance-hour ≥ 0',
    ),
  };
  const r = instancesNeeded(input);
  if (flags.json) {
    io.stdout(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  io.stdout(
    `${r.instancesForPeak} instances carry ${fmt(input.peakRps)} req/s at ${fmt(input.perInstanceRps)} req/s each; ` +
      `${r.instances} with ${input.redundancy} spare; ${r.costPerMonth.toFixed(2)} per month (730 h × ${fmt(input.costPerInstanceHour)})\n`,
  );
};

interface PaybackFlags {
  monthlySaving?: string;
  oneOffHours?: string;
  hourlyRate?: string;
  monthlyHours: string;
  ciMinutesDelta?: string;
  buildsPerMonth?: string;
  ciPricePerMinute?: string;
  horizonMonths: string;
  json?: boolean;
}

const CI_FLAGS = ['--ci-minutes-delta', '--builds-per-month', '--ci-price-per-minute'] as const;

/** The three CI flags, all given or none (a missing one is named). */
const ciFlags = (
  f: PaybackFlags,
): { ciMinutesDelta: number; buildsPerMonth: number; ciPricePerMinute: number } => {
  const given = [f.ciMinutesDelta, f.buildsPerMonth, f.ciPricePerMinute];
  if (given.every((v) => v === undefined))
    return { ciMinutesDelta: 0, buildsPerMonth: 0, ciPricePerMinute: 0 };
  const missing = CI_FLAGS.filter((_, i) => given[i] === undefined);
  if (missing.length > 0) {
    const with_ = CI_FLAGS.filter((_, i) => given[i] !== undefined).join(' and ');
    throw new InputError(`${missing[0]} is required with ${with_} (the CI cost is D × B × P)`);
  }
  return {
    ciMinutesDelta: numberFlag(CI_FLAGS[0], f.ciMinutesDelta, () => true, 'extra CI minutes per build'),
    buildsPerMonth: numberFlag(CI_FLAGS[1], f.buildsPerMonth, (x) => x >= 0, 'builds per month ≥ 0'),
    ciPricePerMinute: numberFlag(CI_FLAGS[2], f.ciPricePerMinute, (x) => x >= 0, 'a price per CI minute ≥ 0'),
  };
};

const money = (x: number): string => x.toFixed(2);

const paybackCmd = (flags: PaybackFlags, io: Io): void => {
  const input = {
    monthlySaving: numberFlag('--monthly-saving', flags.monthlySaving, () => true, 'money per month'),
    oneOffHours: numberFlag('--one-off-hours', flags.oneOffHours, (x) => x >= 0, 'hours ≥ 0'),
    hourlyRate: numberFlag('--hourly-rate', flags.hourlyRate, (x) => x >= 0, 'money per hour ≥ 0'),
    monthlyHours: numberFlag('--monthly-hours', flags.monthlyHours, (x) => x >= 0, 'hours per month ≥ 0'),
    ...ciFlags(flags),
    horizonMonths: numberFlag('--horizon-months', flags.horizonMonths, (x) => x > 0, 'months > 0'),
  };
  const r = payback(input);
  if (flags.json) {
    io.stdout(`${JSON.stringify(r, null, 2)}\n`);
    return;
  }
  const { monthlySaving: s, oneOffHours: h, hourlyRate: rate, monthlyHours: m, horizonMonths: n } = input;
  const ci = input.buildsPerMonth > 0 || input.ciMinutesDelta !== 0;
  const row = (label: string, value: string, why: string): string =>
    `  ${label.padEnd(20)}${value.padStart(12)}  ${why}`;
  io.stdout(
    [
      r.paybackMonths === null
        ? `Never pays back: the monthly net is ${money(r.monthlyNet)} (saving ${money(s)} − monthly cost ${money(r.monthlyCost)}).`
        : `Pays back in ${fmt(r.paybackMonths)} months; ${money(r.netOverHorizon)} net over ${fmt(n)} months.`,
      row('one-off cost', money(r.oneOffCost), `${fmt(h)} h × ${fmt(rate)} per hour, spent once`),
      row(
        'monthly cost',
        money(r.monthlyCost),
        `${fmt(m)} h × ${fmt(rate)} of ongoing work` +
          (ci
            ? ` + ${fmt(input.ciMinutesDelta)} CI min × ${fmt(input.buildsPerMonth)} builds × ${fmt(input.ciPricePerMinute)} per min`
            : ''),
      ),
      row('monthly saving', money(s), 'infrastructure freed (--monthly-saving)'),
      row('monthly net', money(r.monthlyNet), 'saving − monthly cost'),
      row(
        'payback',
        r.paybackMonths === null ? 'never' : `${fmt(r.paybackMonths)} mo`,
        r.paybackMonths === null
          ? 'the net is ≤ 0, so the one-off cost is never recovered'
          : 'one-off cost / monthly net',
      ),
      row(`net over ${fmt(n)} months`, money(r.netOverHorizon), `monthly net × ${fmt(n)} − one-off cost`),
    ].join('\n') + '\n',
  );
};

export const planCommand: CommandModule = {
  register: (program: Command, io: Io) => {
    const plan = program
      .command('plan')
      .description('capacity what-ifs: USL fit, M/M/c queue sizing, instances and cost, payback')
      .addHelpText('after', PLAN_HELP);
    plan
      .command('usl')
      .description('fit the Universal Scalability Law to load,throughput points')
      .argument('<file.csv>', 'CSV with columns load,throughput (≥ 6 rows)')
      .option('--json', 'print one JSON document on stdout')
      .addHelpText('after', USL_HELP)
      .action((file: string, flags: { json?: boolean }) => usl(file, flags, io));
    plan
      .command('queue')
      .description('smallest number of M/M/c servers keeping P(wait or response > SLO) ≤ a target (Erlang C)')
      .option('--arrival-rate <L>', 'arrival rate λ, requests per second')
      .option('--service-rate <M>', 'service rate μ of one server, requests per second')
      .option('--slo <S>', 'time limit: seconds (0.1) or with a unit (100ms)')
      .option('--max-probability <E>', 'largest acceptable probability of exceeding the SLO, e.g. 0.01')
      .option('--criterion <wait|response>', 'judge the waiting time or the whole response time', 'wait')
      .option('--json', 'print one JSON document on stdout')
      .addHelpText('after', QUEUE_HELP)
      .action((flags: QueueFlags) => queue(flags, io));
    plan
      .command('instances')
      .description('instances and monthly cost for a peak rate with redundancy')
      .option('--peak-rps <n>', 'peak requests per second to serve')
      .option('--per-instance-rps <n>', 'sustainable requests per second of one instance')
      .option('--redundancy <k>', 'spare instances on top (N+k)', '1')
      .option('--cost-per-hour <price>', 'price of one instance-hour', '0')
      .option('--json', 'print one JSON document on stdout')
      .addHelpText('after', INSTANCES_HELP)
      .action((flags: InstancesFlags) => instances(flags, io));
    plan
      .command('payback')
      .description("months until a port's engineering cost is paid back by the infrastructure it frees")
      .option('--monthly-saving <S>', 'infrastructure freed per month, in money')
      .option('--one-off-hours <H>', 'engineering hours spent once (port, review, CI work, training)')
      .option('--hourly-rate <R>', 'cost of one engineering hour')
      .option('--monthly-hours <M>', 'engineering hours every month (extra review, on-call)', '0')
      .option('--ci-minutes-delta <D>', 'extra CI minutes per build, candidate − baseline')
      .option('--builds-per-month <B>', 'builds per month')
      .option('--ci-price-per-minute <P>', 'price of one CI minute')
      .option('--horizon-months <N>', 'months the net is summed over', '12')
      .option('--json', 'print one JSON document on stdout')
      .addHelpText('after', PAYBACK_HELP)
      .action((flags: PaybackFlags) => paybackCmd(flags, io));
  },
};
