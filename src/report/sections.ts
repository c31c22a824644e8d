/**
 * The report as typed sections, defined once for every format: each section is one function from the
 * ReportModel to blocks, listed once in SECTIONS in the order a release review reads them. A table's
 * columns are listed once beside it (one object per column), so adding a column or a section is one
 * edit here; exporters only add syntax. Every string here is unescaped text: escaping is the
 * exporter's job, applied to every cell and span without exception. Pure.
 */
import type {
  BetResult,
  CanaryReport,
  CapacityEstimate,
  CapacitySearch,
  CheckResult,
  CorrectnessExample,
  DrillResult,
  EndpointCpu,
  ErrorClassRow,
  ProfileFunction,
  ProfileSummary,
  QueueModelCheck,
  QueueModelRow,
  ReportModel,
  ResourceUse,
  Role,
  RunRecord,
} from '../model/index.js';
import { ROLES } from '../model/index.js';
import {
  type Block,
  type ColumnDef,
  type Inline,
  type ReportView,
  type SectionView,
  formatByKind,
  tableView,
  toneOf,
} from './blocks.js';
import {
  configLabel,
  endpointLabel,
  fmtChange,
  fmtChangeCI,
  fmtDate,
  fmtInt,
  fmtMoney,
  fmtMs,
  fmtSeconds,
  fmtShare,
  fmtValue,
  MINUS,
  pLabel,
  repetitionsText,
  sequentialLevelsText,
  sequentialText,
  sig,
} from './format.js';
import {
  type BaselineRow,
  baselineTable,
  CI_CAPTION,
  comparedPhasesLabel,
  correctness,
  displayCI,
  headline,
  mainPhase,
  moreRunsNote,
  type ProfileHeadline,
  profileHeadline,
  runsInOrder,
  type ShadowTotals,
  shadowTotals,
  type SignificanceRow,
  significanceRows,
} from './view.js';

const STATUS_MARK: Record<CheckResult['status'], string> = {
  pass: '✔ pass',
  fail: '✘ fail',
  warn: '⚠ warn',
  error: '? not judged',
};

const configCell = (m: ReportModel, role: Role) => ({ text: configLabel(m, role), role });

/** What one value per arm comes from: a trial's run, a canary's time window. */
const unitNoun = (m: ReportModel, n = 2): string => (m.canary ? 'window' : 'run') + (n === 1 ? '' : 's');

/** A figure in its unit with a sign: "−1.20 ms", "+4.0 KiB". */
const signedValue = (x: number, unit: string): string =>
  x === 0 ? fmtValue(0, unit) : `${x < 0 ? MINUS : '+'}${fmtValue(Math.abs(x), unit)}`;

// ---- the bet ----

const months = (x: number | null | undefined): string =>
  x == null ? 'never' : `${sig(x)} month${x === 1 ? '' : 's'}`;
/** An input as the plan's author wrote it: 6, 0.008, 12 (no padding to significant digits). */
const plain = (x: number): string => String(+x.toFixed(4));

const betFacts = (b: BetResult): [string, string][] => {
  const c = b.inputs.currency;
  const ci =
    b.inputs.ciMinutesDelta === null
      ? 'no build times'
      : `${sig(Math.abs(b.inputs.ciMinutesDelta) * 60)} s ${b.inputs.ciMinutesDelta < 0 ? 'less' : 'more'} per ${b.inputs.buildTime === 'cold' ? 'cold ' : ''}build × ${fmtInt(b.inputs.buildsPerMonth)} builds × ${plain(b.inputs.ciPricePerMinute)} ${c}/min`;
  return [
    [
      'One-off cost',
      `${fmtMoney(b.oneOffCost, c)} (${plain(b.inputs.oneOffHours)} h × ${plain(b.inputs.hourlyRate)} ${c})`,
    ],
    [
      'Monthly cost',
      `${fmtMoney(b.monthlyCost, c)} (${plain(b.inputs.monthlyHours)} h × ${plain(b.inputs.hourlyRate)} ${c}; CI: ${ci})`,
    ],
    ['Monthly saving', `${fmtMoney(b.monthlySaving, c)} (whole instances freed, from the capacity section)`],
    ['Monthly net', fmtMoney(b.monthlyNet, c)],
    [
      'Payback',
      `${months(b.paybackMonths)}${
        b.paybackRangeMonths
          ? ` (capacity range: ${months(b.paybackRangeMonths[0])} to ${months(b.paybackRangeMonths[1])})`
          : ''
      }`,
    ],
    [`Net over ${plain(b.inputs.horizonMonths)} months`, fmtMoney(b.netOverHorizon, c)],
  ];
};

/**
 * "The bet", first in the report, so product, ops and finance read the same page: the problem, the
 * win, what it costs, when it pays back, and how to undo it. Absent without a `bet:` in the plan.
 */
const betSection = (m: ReportModel): SectionView => {
  const b = m.bet;
  if (!b) return { id: 'bet', title: 'The bet', blocks: [] };
  const rollback = (m.drills ?? []).filter((d) => d.kind === 'rollback' && d.rollbackMs !== null);
  const worst = rollback.length ? Math.max(...rollback.map((d) => d.rollbackMs ?? 0)) : undefined;
  return {
    id: 'bet',
    title: 'The bet',
    blocks: [
      { kind: 'paragraph', parts: [{ text: 'Problem', strong: true }, ': ', b.problem] },
      { kind: 'paragraph', parts: [{ text: 'Win', strong: true }, ': ', b.win] },
      {
        kind: 'paragraph',
        tone: b.paybackMonths === null ? 'bad' : 'headline',
        parts: [
          b.paybackMonths === null
            ? `Never pays back: the monthly net is ${fmtMoney(b.monthlyNet, b.inputs.currency)}.`
            : `Pays back in ${months(b.paybackMonths)}: ${fmtMoney(b.oneOffCost, b.inputs.currency)} once against ${fmtMoney(b.monthlyNet, b.inputs.currency)} net a month.`,
        ],
      },
      { kind: 'facts', facts: betFacts(b) },
      {
        kind: 'paragraph',
        parts: [
          { text: 'Rollback', strong: true },
          ': ',
          b.rollback,
          ...(worst !== undefined
            ? [
                ` Measured in the rollback drill: Rust off within ${fmtMs(worst)} of the flip (worst of ${rollback.length}).`,
              ]
            : []),
        ],
      },
      ...(b.warnings.length ? [{ kind: 'warnings', warnings: b.warnings } satisfies Block] : []),
    ],
  };
};

// ---- drills ----

const DRILL_COLUMNS: ColumnDef<DrillResult>[] = [
  { key: 'run', label: 'run', kind: 'code', cell: (d) => d.runId },
  { key: 'kind', label: 'drill', kind: 'text', cell: (d) => d.kind },
  { key: 'failed', label: 'failed requests', kind: 'int', cell: (d) => d.failedRequests },
  { key: 'trip', label: 'trip', kind: 'seconds', cell: (d) => d.tripSeconds },
  { key: 'recovery', label: 'recovery', kind: 'seconds', cell: (d) => d.recoverySeconds },
  { key: 'goShare', label: 'Go share meanwhile', kind: 'percent', cell: (d) => d.goShare },
  { key: 'rollback', label: 'Rust off after', kind: 'ms', cell: (d) => d.rollbackMs },
  { key: 'allGo', label: 'all Go from', kind: 'ms', cell: (d) => d.allGoMs },
];

/** The candidate's drills and their times; absent when the plan has none. */
const drillsSection = (m: ReportModel): SectionView => {
  const drills = m.drills ?? [];
  if (drills.length === 0) return { id: 'drills', title: 'Drills', blocks: [] };
  return {
    id: 'drills',
    title: 'Drills',
    blocks: [
      {
        kind: 'paragraph',
        parts: [
          'Fault drill: trip = fault injection → first response Go served because the breaker was open; recovery = faults cleared → Rust serving again after the last open spell. Rollback drill: flip to Go → Rust off (the flip acknowledged and the last Rust-served response ended), and → the first request of the all-Go stretch. Every request must succeed.',
        ],
      },
      { kind: 'table', table: tableView('drills', DRILL_COLUMNS, drills) },
    ],
  };
};

// ---- verdict ----

const CHECK_COLUMNS: ColumnDef<CheckResult>[] = [
  {
    key: 'status',
    label: '',
    kind: 'status',
    cell: (c) => ({
      text: Object.hasOwn(STATUS_MARK, c.status) ? STATUS_MARK[c.status] : String(c.status),
      tone: toneOf(c.status) ?? 'error',
    }),
  },
  {
    key: 'line',
    label: 'line (as written)',
    kind: 'text',
    cell: (c) => ({ text: c.text, strong: true, detail: c.howJudged }),
  },
  { key: 'result', label: 'result', kind: 'text', cell: (c) => ({ text: c.message, warnings: c.warnings }) },
];

const verdictSection = (m: ReportModel): SectionView => {
  const v = m.verdict;
  const note = moreRunsNote(m);
  const more: Block[] = !note
    ? []
    : v.decision === 'inconclusive'
      ? [
          {
            kind: 'paragraph',
            parts:
              note.runs === null
                ? [
                    'No number of runs would likely settle this: the difference is smaller than the noise allows to resolve.',
                  ]
                : [
                    'About ',
                    { text: `${fmtInt(note.runs)} ${unitNoun(m)} per configuration`, strong: true },
                    ' would likely settle it.',
                  ],
          },
        ]
      : note.runs
        ? [
            {
              kind: 'paragraph',
              tone: 'muted',
              only: 'full',
              parts: [`For a tighter answer: about ${fmtInt(note.runs)} ${unitNoun(m)} per configuration.`],
            },
          ]
        : [];
  return {
    id: 'verdict',
    title: 'Verdict',
    blocks: [
      { kind: 'decision', decision: v.decision, reasons: v.reasons },
      ...(v.sequential
        ? [
            {
              kind: 'paragraph',
              parts: [
                { text: sequentialText(v.sequential), strong: true },
                '. ',
                sequentialLevelsText(v.sequential),
              ],
            } satisfies Block,
          ]
        : []),
      ...more,
      {
        kind: 'paragraph',
        tone: 'muted',
        parts: [
          m.canary
            ? `Pass lines and stop rules as written in the plan, judged on the ${fmtInt(m.canary.windowsUsed)} ${unitNoun(m, m.canary.windowsUsed)} of live traffic read on ${fmtDate(m.trial.planFrozenAt)}.`
            : `Pass lines and stop rules as written, frozen on ${fmtDate(m.trial.planFrozenAt)}, before the first run; judged on the ${mainPhase(m)} phase.`,
        ],
      },
      { kind: 'table', table: tableView('checks', CHECK_COLUMNS, [...v.checks, ...v.stopRules]) },
    ],
  };
};

// ---- baseline ----

const baselineColumns = (m: ReportModel): ColumnDef<BaselineRow>[] => [
  { key: 'config', label: 'configuration', kind: 'config', cell: (r) => configCell(m, r.role) },
  { key: 'endpoint', label: 'endpoint', kind: 'text', cell: (r) => endpointLabel(r.endpoint) },
  { key: 'p95', label: 'p95', kind: 'ms', cell: (r) => r.p95Ms },
  { key: 'p99', label: 'p99', kind: 'ms', cell: (r) => r.p99Ms },
  { key: 'cpu', label: 'CPU/req', kind: 'ms', missing: '', cell: (r) => r.cpuMsPerRequest },
  { key: 'alloc', label: 'alloc/req', kind: 'bytes', missing: '', cell: (r) => r.allocBytesPerRequest },
  { key: 'rss', label: 'RSS steady', kind: 'bytes', missing: '', cell: (r) => r.rssBytesSteady },
  { key: 'rssPeak', label: 'RSS peak', kind: 'bytes', missing: '', cell: (r) => r.rssBytesPeak },
  {
    key: 'downstream',
    label: 'downstream wait',
    kind: 'percent',
    // The plan's waiting Server-Timing entries first, then `downstream`, else the off-CPU estimate.
    cell: (r) =>
      r.waitShare ??
      r.downstreamShare ??
      (r.offCpuShareEstimate === undefined
        ? undefined
        : { text: `≈${fmtShare(r.offCpuShareEstimate)} off-CPU (estimate)`, muted: true }),
  },
  { key: 'runs', label: unitNoun(m), kind: 'int', cell: (r) => r.runs },
];

const baselineSection = (m: ReportModel): SectionView => ({
  id: 'baseline',
  title: 'Baseline',
  blocks: [
    {
      kind: 'paragraph',
      tone: 'muted',
      parts: [`${mainPhase(m)} phase, median across ${unitNoun(m)}.`],
    },
    {
      kind: 'paragraph',
      tone: 'muted',
      only: 'full',
      parts: [
        m.summaries.some((s) => s.cpuSecondsPerRequest !== undefined)
          ? "CPU on the all-endpoints row, allocations and memory come from the service's own counters (the whole process); CPU per endpoint from the CPU profile's samples labelled with the endpoint. Memory at peak is the highest RSS seen in any phase."
          : "CPU, allocations and memory come from the service's own counters, which cover the whole process, so they appear on the all-endpoints row only. Memory at peak is the highest RSS seen in any phase.",
      ],
    },
    { kind: 'table', table: tableView('baseline', baselineColumns(m), baselineTable(m)) },
  ],
});

// ---- where the CPU goes ----

const FUNCTION_COLUMNS: ColumnDef<ProfileFunction>[] = [
  { key: 'function', label: 'function', kind: 'code', cell: (f) => f.name },
  { key: 'flat', label: 'flat', kind: 'percent', cell: (f) => f.flat },
  { key: 'cum', label: 'cum', kind: 'percent', cell: (f) => f.cum },
];

interface EndpointCpuRow extends EndpointCpu {
  role: Role;
}

const endpointCpuColumns = (m: ReportModel): ColumnDef<EndpointCpuRow>[] => [
  { key: 'config', label: 'configuration', kind: 'config', cell: (r) => configCell(m, r.role) },
  { key: 'endpoint', label: 'endpoint', kind: 'text', cell: (r) => endpointLabel(r.endpoint) },
  { key: 'cpu', label: 'CPU in profile', kind: 'seconds', cell: (r) => r.cpuSeconds },
  { key: 'requests', label: 'requests', kind: 'int', cell: (r) => r.requests },
  {
    key: 'perRequest',
    label: 'CPU/req',
    kind: 'ms',
    // No sample labelled with the endpoint: its CPU is below the profile's resolution, not zero.
    cell: (r) =>
      r.cpuSecondsPerRequest === undefined
        ? undefined
        : r.cpuSeconds === 0
          ? { text: 'no samples', muted: true }
          : r.cpuSecondsPerRequest * 1000,
  },
];

/** "42% (95 % CI 38–46 %, 1 204 samples)". */
const shareWithCI = (share: number, ci: [number, number], samples: number): string =>
  `${fmtShare(share)} (95 % CI ${fmtShare(ci[0])}–${fmtShare(ci[1])}, ${fmtInt(samples)} samples)`;

/** Why the profile ran at its rate, for a capacity search's profile run. */
const RATE_FROM_TEXT: Record<NonNullable<ProfileSummary['rateFrom']>, string> = {
  'highest-passing-probe': 'the highest passing probe of its capacity search',
  plan: "the plan's profile.rateRps, after its capacity search",
};

/** " at 42 requests/s" (" profiled at 42 requests/s (the highest passing probe …)" for a search's profile). */
const profileRateText = (p: ProfileSummary): string => {
  if (p.rateRps === undefined) return '';
  const rate = `${fmtInt(p.rateRps)} requests/s`;
  return p.rateFrom ? ` profiled at ${rate} (${RATE_FROM_TEXT[p.rateFrom]})` : ` at ${rate}`;
};

/** " The profile covers 72 % of the service's CPU in its window (…)." */
const coverageText = (p: ProfileSummary): string => {
  const c = p.coverage;
  if (!c) return '';
  const by = c.source === 'cgroup' ? 'its cgroup' : '/proc schedstat';
  const low = p.warnings.some((w) => w.code === 'profile-low-coverage')
    ? ': the shares are shares of the sampled part'
    : '';
  return ` The profile covers ${fmtShare(c.share)} of the service's CPU in its window (${fmtSeconds(p.cpuSeconds)} of samples of ${fmtSeconds(c.serviceCpuSeconds)} measured by ${by})${low}.`;
};

const profileOf = (m: ReportModel, p: ProfileSummary): Inline[] => {
  const who = `${configLabel(m, p.role)}${p.runId === '*' ? ' (all its profiles)' : ''}`;
  const at = profileRateText(p);
  if (p.tooFewSamples)
    return [
      { text: who, strong: true },
      `: ${fmtInt(p.samples)} CPU samples${at}, fewer than the ${fmtInt(p.minSamples)} asked for: the hotspot share is too uncertain to report.${coverageText(p)}`,
    ];
  const parts: Inline[] = [{ text: who, strong: true }, `: ${fmtInt(p.samples)} CPU samples${at}; `];
  if (p.hotspotShare !== undefined && p.hotspotCI95)
    parts.push(
      'the hotspot is ',
      {
        text: shareWithCI(p.hotspotShare, p.hotspotCI95, p.samples),
        strong: true,
      },
      ' of its CPU',
    );
  if (p.rustShare)
    parts.push(
      `; time in Rust (samples under runtime.cgocall / _Cfunc_*): ${shareWithCI(p.rustShare.share, p.rustShare.ci95, p.samples)}`,
    );
  parts.push(
    `. ${fmtShare(p.unlabelledShare)} of the samples carry no endpoint label (GC, connection handling).${coverageText(p)}`,
  );
  return parts;
};

const amdahlParts = (h: ProfileHeadline): Inline[] | undefined => {
  if (!h.ceiling) return undefined;
  const measured = h.measured ? fmtChange(h.measured.ratio) : undefined;
  return [
    'If the hotspot cost nothing, CPU per request could fall at most ',
    { text: fmtShare(-h.ceiling.change), strong: true },
    ` (Amdahl's law; up to ${fmtShare(-h.ceiling.range[0])} within the CI)`,
    measured ? '; measured ' : '.',
    ...(measured
      ? [{ text: measured, strong: true }, ' (CPU seconds per request, candidate vs baseline).']
      : []),
  ];
};

const profileSection = (m: ReportModel): SectionView => {
  if (!m.profiles?.length) return { id: 'profile', title: 'Where the CPU goes', blocks: [] };
  const h = profileHeadline(m);
  const shown = ROLES.flatMap((role) => (h[role] ? [h[role]] : []));
  const amdahl = amdahlParts(h);
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      tone: 'muted',
      parts: [
        'From Go CPU profiles (pprof, 100 samples per busy core-second) taken under load. Flat = the function itself was running; cum = it was anywhere on the stack (once per sample). Shares carry a binomial (Wilson) 95 % CI on the number of samples.',
      ],
    },
    ...shown.map((p): Block => ({ kind: 'paragraph', parts: profileOf(m, p) })),
    ...(amdahl ? [{ kind: 'paragraph', tone: 'headline', parts: amdahl } satisfies Block] : []),
  ];
  for (const p of shown) {
    blocks.push(
      { kind: 'heading', text: `Top functions: ${configLabel(m, p.role)}` },
      {
        kind: 'table',
        table: tableView(`profile-top-${p.role}`, FUNCTION_COLUMNS, p.topFunctions.slice(0, 10)),
      },
    );
  }
  const rows = shown.flatMap((p) => p.byEndpoint.map((e) => ({ ...e, role: p.role })));
  if (rows.length)
    blocks.push(
      { kind: 'heading', text: 'CPU per endpoint (profile samples labelled endpoint=…)' },
      { kind: 'table', table: tableView('profile-endpoints', endpointCpuColumns(m), rows) },
    );
  blocks.push({ kind: 'charts', section: 'profile' });
  return { id: 'profile', title: 'Where the CPU goes', blocks };
};

// ---- significance ----

const SIGNIFICANCE_COLUMNS: ColumnDef<SignificanceRow>[] = [
  { key: 'comparison', label: 'comparison', kind: 'text', cell: (r) => r.label },
  {
    key: 'baseline',
    label: 'baseline',
    kind: 'number',
    cell: (r) => fmtValue(r.comparison.baseline.median, r.comparison.unit),
  },
  {
    key: 'candidate',
    label: 'candidate',
    kind: 'number',
    cell: (r) => fmtValue(r.comparison.candidate.median, r.comparison.unit),
  },
  {
    key: 'change',
    label: 'change',
    kind: 'change',
    cell: (r) =>
      r.mark === '~'
        ? { text: `~ (${fmtChange(r.comparison.ratio)})`, warnings: r.warnings }
        : { text: fmtChange(r.comparison.ratio), strong: true, warnings: r.warnings },
  },
  { key: 'ci', label: '95 % CI', kind: 'ci', cell: (r) => fmtChangeCI(displayCI(r.comparison)) },
  { key: 'p', label: 'p', kind: 'p', cell: (r) => r.comparison.pValue },
  { key: 'pAdjusted', label: 'p (Holm)', kind: 'p', cell: (r) => r.comparison.pAdjusted },
  {
    key: 'shift',
    label: 'shift (HL)',
    kind: 'effect',
    cell: (r) => signedValue(r.comparison.hodgesLehmann, r.comparison.unit),
  },
  {
    key: 'cliff',
    label: "Cliff's δ",
    kind: 'effect',
    cell: (r) => {
      const d = r.comparison.cliffsDelta;
      return typeof d === 'number' ? `${d < 0 ? MINUS : ''}${Math.abs(d).toFixed(2)}` : d;
    },
  },
  { key: 'runs', label: 'runs', kind: 'text', align: 'right', cell: (r) => `${r.n[0]}+${r.n[1]}` },
];

/** A canary's comparisons are paired per window (src/analysis/canary.ts), not the run-level test. */
const CANARY_SIGNIFICANCE_CAPTION =
  'Live traffic, window-level and paired: each window gives one value per arm, and both arms share it. Change = the Hodges-Lehmann centre of the per-window log-ratios (candidate ÷ baseline) − 1; 95 % CI: the signed-rank CI of that centre; p from the Wilcoxon signed-rank test on the log-ratios; effect sizes as in a trial. ';

const significanceSection = (m: ReportModel): SectionView => ({
  id: 'significance',
  title: 'Significance',
  blocks: [
    {
      kind: 'paragraph',
      tone: 'muted',
      parts: [
        m.canary
          ? CANARY_SIGNIFICANCE_CAPTION
          : `${comparedPhasesLabel(m)}, run-level: each run contributes one value per figure. Change = median(candidate) ÷ median(baseline) − 1; 95 % CI: ${CI_CAPTION}; p from Mann-Whitney U on the run values, then Holm-adjusted; effect sizes: the Hodges-Lehmann shift (candidate − baseline, in the figure's unit) and Cliff's δ (−1 … 1). `,
        { text: '~', strong: true },
        ' = not significant after adjustment.',
      ],
    },
    {
      kind: 'table',
      table: tableView(
        'significance',
        SIGNIFICANCE_COLUMNS.map((c) => (c.key === 'runs' ? { ...c, label: unitNoun(m) } : c)),
        significanceRows(m),
      ),
    },
    { kind: 'charts', section: 'significance' },
  ],
});

// ---- capacity ----

const capacityColumns = (m: ReportModel): ColumnDef<CapacityEstimate>[] => {
  const rps = (x: number | undefined) =>
    x === undefined ? undefined : typeof x === 'number' ? `${fmtInt(x)} rps` : x;
  const bold = (x: number | undefined) =>
    x === undefined ? undefined : { text: typeof x === 'number' ? `${fmtInt(x)}` : String(x), strong: true };
  return [
    { key: 'config', label: 'configuration', kind: 'config', cell: (c) => configCell(m, c.role) },
    {
      key: 'knee',
      label: 'knee',
      kind: 'rps',
      // A capacity search's lower bound says so in the cell (a ramp's keeps its footnote).
      cell: (c) =>
        c.search && c.kneeIsLowerBound && c.kneeRps !== undefined ? `≥ ${rps(c.kneeRps)}` : rps(c.kneeRps),
    },
    { key: 'cpuBased', label: 'CPU-based', kind: 'rps', cell: (c) => rps(c.cpuBasedRps) },
    {
      key: 'perInstance',
      label: 'per instance',
      kind: 'rps',
      cell: (c) => {
        const t = rps(c.perInstanceRps);
        return t === undefined ? t : { text: t, strong: true };
      },
    },
    { key: 'forPeak', label: 'for peak', kind: 'int', cell: (c) => c.instancesForPeak },
    { key: 'instances', label: 'with redundancy', kind: 'int', cell: (c) => bold(c.instances) },
    {
      key: 'perMonth',
      label: 'per month',
      kind: 'money',
      cell: (c) =>
        c.costPerMonth === undefined
          ? undefined
          : typeof c.costPerMonth === 'number'
            ? fmtMoney(c.costPerMonth, m.plan.capacity.currency)
            : c.costPerMonth,
      warnings: (c) => c.warnings ?? [],
    },
  ];
};

const inputRows = (m: ReportModel): [string, string][] => {
  const cap = m.plan.capacity;
  return [
    ['peak load', `${fmtInt(cap.peakRps)} requests/s`],
    ['redundancy', `N+${cap.redundancy}`],
    ['cores per instance', String(cap.coresPerInstance)],
    ['target CPU utilisation', fmtShare(cap.targetUtilisation)],
    ['price per instance-hour', `${cap.costPerInstanceHour} ${cap.currency}`],
    [
      'SLO',
      `${pLabel(m.plan.slo.quantile)} ≤ ${fmtMs(m.plan.slo.latencyMs)}, errors ≤ ${fmtShare(m.plan.slo.maxErrorRate)}`,
    ],
  ];
};

const INPUT_COLUMNS: ColumnDef<[string, string]>[] = [
  { key: 'input', label: 'what-if input', kind: 'text', cell: (r) => r[0] },
  { key: 'value', label: 'value', kind: 'text', align: 'right', cell: (r) => r[1] },
];

const savingsParts = (m: ReportModel): Block => {
  const s = m.capacity.savings;
  if (!s)
    return {
      kind: 'paragraph',
      tone: 'muted',
      parts: ['Savings could not be computed (a configuration has no per-instance rate).'],
    };
  if (s.instances === 0 && Math.abs(s.moneyPerMonth) < 0.5)
    return {
      kind: 'paragraph',
      tone: 'headline',
      parts: [
        `No saving: both configurations need ${fmtInt(m.capacity.baseline.instances ?? 0)} instances at peak.`,
      ],
    };
  const n = Math.abs(s.instances);
  return {
    kind: 'paragraph',
    tone: 'headline',
    parts: [
      `${s.instances >= 0 ? 'Saves' : 'Costs'} `,
      { text: `${fmtInt(n)} instance${n === 1 ? '' : 's'}`, strong: true },
      ' and ',
      { text: `${fmtMoney(Math.abs(s.moneyPerMonth), s.currency)} per month`, strong: true },
      ` (${fmtShare(Math.abs(s.share))} of the fleet).`,
    ],
  };
};

/** "Knee under Poisson arrivals (phase ramp)": the capacity depends on how bursty the load was. */
const kneeArrivalsParts = (m: ReportModel): Block[] => {
  const k = m.capacity.kneePhase;
  const a = k ? arrivalsOf(m, k.name) : undefined;
  if (!k || !a) return [];
  return [
    {
      kind: 'paragraph',
      tone: 'muted',
      parts: [
        { text: `Knee under ${ARRIVALS_TEXT[a] ?? a} arrivals`, strong: true },
        ` (phase ${k.name}).`,
        a === 'uniform'
          ? ' Evenly spaced arrivals queue less than production traffic at the same rate, so this knee is likely too high; a ramp with arrivals: poisson gives a production-like one.'
          : '',
      ],
    },
  ];
};

// ---- capacity search ----

const STOPPED_BY: Record<CapacitySearch['stoppedBy'], string> = {
  converged: 'converged',
  'max-rps': 'stopped by its maxRps cap before any probe failed: a lower bound, not the knee',
  budget: 'stopped by its time budget: a lower bound, not the knee',
  generator: 'stopped by the load generator (its probe was generator-limited): a lower bound, not the knee',
  'never-passed': 'never passed: the first probe already missed the SLO, so there is no knee',
  unfinished: 'did not finish (a probe failed to run or the trial stopped)',
};

/** One sentence per configuration with a search: the knee (or bound), its bracket and how it was found. */
const searchSentence = (m: ReportModel, role: Role): Inline[] => {
  const c = m.capacity[role];
  const s = c.search!;
  const arrivals =
    s.arrivals === 'poisson' ? 'Poisson' : s.arrivals === 'uniform' ? 'evenly spaced' : s.arrivals;
  const head =
    s.stoppedBy === 'converged'
      ? { text: `knee ${fmtInt(s.passRps!)} rps under ${arrivals} arrivals`, strong: true }
      : s.passRps !== undefined
        ? { text: `at least ${fmtInt(s.passRps)} rps under ${arrivals} arrivals`, strong: true }
        : { text: 'no knee', strong: true };
  const bracket =
    s.passRps !== undefined && s.failRps !== undefined
      ? `passes at ${fmtInt(s.passRps)} rps, fails at ${fmtInt(s.failRps)} rps`
      : s.passRps !== undefined
        ? `passes at ${fmtInt(s.passRps)} rps, no failing probe`
        : `fails at ${fmtInt(s.failRps ?? 0)} rps`;
  const range =
    c.kneeRangeRps && c.searches
      ? `; over ${c.searches.length} searches the knee ranges ${fmtInt(c.kneeRangeRps[0])}–${fmtInt(c.kneeRangeRps[1])} rps (median shown)`
      : '';
  const cpu =
    c.cpuBasedRps !== undefined ? `; CPU-based estimate ${fmtInt(c.cpuBasedRps)} rps beside it` : '';
  const seed = s.seed
    ? `, seeded at ${fmtInt(s.seed.seedRps)} rps from the first probe's CPU per request`
    : '';
  return [
    { text: configLabel(m, role) },
    ': ',
    head,
    ` (search ${STOPPED_BY[s.stoppedBy]}; ${bracket}; ${s.probes.length} probe${s.probes.length === 1 ? '' : 's'}, ${fmtInt(s.loadSeconds)} s of load${seed})${range}${cpu}.`,
  ];
};

const savingsRangeParts = (m: ReportModel): Block[] => {
  const r = m.capacity.savingsRange;
  if (!r) return [];
  return [
    {
      kind: 'paragraph',
      parts: [
        'Across the repeated searches’ knees the saving ranges ',
        { text: `${fmtInt(r.instances[0])} to ${fmtInt(r.instances[1])} instances`, strong: true },
        ' and ',
        {
          text: `${fmtMoney(r.moneyPerMonth[0], r.currency)} to ${fmtMoney(r.moneyPerMonth[1], r.currency)} per month`,
          strong: true,
        },
        ' (baseline at its highest knee against the candidate at its lowest, and the other way round).',
      ],
    },
  ];
};

interface ProbeRow {
  role: Role;
  repetition: number;
  index: number;
  probe: CapacitySearch['probes'][number];
}

const probeColumns = (m: ReportModel): ColumnDef<ProbeRow>[] => [
  { key: 'config', label: 'configuration', kind: 'config', cell: (r) => configCell(m, r.role) },
  { key: 'rep', label: 'rep', kind: 'int', cell: (r) => r.repetition },
  { key: 'n', label: '#', kind: 'int', cell: (r) => r.index },
  { key: 'purpose', label: 'probe', kind: 'text', cell: (r) => r.probe.purpose },
  { key: 'rate', label: 'offered', kind: 'rps', cell: (r) => `${fmtInt(r.probe.rateRps)} rps` },
  {
    key: 'quantile',
    label: pLabel(m.plan.slo.quantile),
    kind: 'ms',
    cell: (r) => (Number.isFinite(r.probe.quantileMs) ? fmtMs(r.probe.quantileMs) : undefined),
  },
  { key: 'errors', label: 'errors', kind: 'percent', cell: (r) => fmtShare(r.probe.errorRate) },
  { key: 'achieved', label: 'achieved', kind: 'rps', cell: (r) => `${sig(r.probe.achievedRps)} rps` },
  { key: 'requests', label: 'requests', kind: 'int', cell: (r) => r.probe.requests },
  {
    key: 'pass',
    label: 'within SLO',
    kind: 'status',
    cell: (r) =>
      r.probe.pass
        ? { text: '✔ pass', tone: 'pass' }
        : { text: '✘ fail', tone: 'fail', detail: (r.probe.failedOn ?? []).join('; ') },
  },
];

const searchBlocks = (m: ReportModel): Block[] => {
  const roles = ROLES.filter((r) => m.capacity[r].search);
  if (roles.length === 0) return [];
  const rows: ProbeRow[] = roles.flatMap((role) =>
    (m.capacity[role].searches ?? []).flatMap((s) =>
      s.probes.map((probe, i) => ({ role, repetition: s.repetition, index: i + 1, probe })),
    ),
  );
  return [
    { kind: 'list', items: roles.map((role) => searchSentence(m, role)) },
    ...savingsRangeParts(m),
    {
      kind: 'paragraph',
      tone: 'muted',
      only: 'full',
      parts: [
        'Capacity search: each probe is one constant-rate run judged on its own window (SLO quantile, errors, delivered load, no dropped iterations, generator not limited); the rate doubles from the first probe (or jumps to the CPU-based seed and gallops from it) until a probe fails, then the bracket is bisected until the failing rate is within the resolution of the passing one, and a confirmation probe at the passing rate must pass again. The service drains between probes.',
      ],
    },
    { kind: 'table', table: tableView('search-probes', probeColumns(m), rows) },
  ];
};

const capacitySection = (m: ReportModel): SectionView => ({
  id: 'capacity',
  title: 'Capacity',
  blocks: [
    savingsParts(m),
    ...kneeArrivalsParts(m),
    ...searchBlocks(m),
    { kind: 'table', table: tableView('capacity-inputs', INPUT_COLUMNS, inputRows(m)) },
    {
      kind: 'paragraph',
      tone: 'muted',
      only: 'full',
      parts: [
        'Per-instance rate = the smaller of the knee (highest ramp step within the SLO) and the CPU-based rate (cores × target utilisation ÷ CPU seconds per request). Instances = ⌈peak ÷ per-instance rate⌉ + redundancy; a month is 730 hours.',
      ],
    },
    {
      kind: 'table',
      table: tableView(
        'capacity',
        capacityColumns(m),
        ROLES.map((role) => ({ ...m.capacity[role], role })),
      ),
    },
    { kind: 'charts', section: 'capacity' },
    ...queueModelBlocks(m),
  ],
});

// ---- queueing model check (runs with Poisson arrivals) ----

const FIT_TEXT: Record<QueueModelCheck['fit'], string> = {
  close: 'close (within ×1.5)',
  rough: 'rough (within ×3)',
  off: 'off (more than ×3 apart)',
  unjudged: 'not judged (no run with a measurable wait below ρ 0.9)',
};

type QueueRow = QueueModelRow & { role: Role };

const queueColumns = (m: ReportModel): ColumnDef<QueueRow>[] => [
  { key: 'config', label: 'configuration', kind: 'config', cell: (r) => configCell(m, r.role) },
  { key: 'run', label: 'run', kind: 'code', cell: (r) => r.runId },
  { key: 'rate', label: 'rate', kind: 'rps', cell: (r) => `${sig(r.rateRps)} rps` },
  { key: 'rho', label: 'ρ', kind: 'number', cell: (r) => sig(r.rho, 2) },
  {
    key: 'measured',
    label: 'measured wait',
    kind: 'ms',
    cell: (r) => (r.reference ? { text: 'reference (E[S])', muted: true } : r.measuredWaitMs),
  },
  {
    key: 'pk',
    label: 'M/G/1 (P-K)',
    kind: 'ms',
    cell: (r) => (Number.isFinite(r.pkWaitMs) ? r.pkWaitMs : '∞ (ρ ≥ 1)'),
  },
  {
    key: 'erlang',
    label: 'Erlang C',
    kind: 'ms',
    cell: (r) => (Number.isFinite(r.erlangWaitMs) ? r.erlangWaitMs : '∞ (ρ ≥ 1)'),
  },
  {
    key: 'factor',
    label: 'P-K off by',
    kind: 'number',
    missing: '',
    cell: (r) => (r.pkFactor === undefined ? undefined : `×${sig(r.pkFactor, 2)}`),
  },
];

const queueModelBlocks = (m: ReportModel): Block[] => {
  const checks = m.capacity.queueModel ?? [];
  if (checks.length === 0) return [];
  const per = checks.map(
    (c) =>
      `${configLabel(m, c.role)}: E[S] ${fmtMs(c.serviceTime.meanMs)}, Cs² ${sig(c.serviceTime.scv, 2)} (from ${c.serviceTime.runId} at ${sig(c.serviceTime.rateRps)} rps; its CPU per request ${fmtMs(c.serviceTime.cpuMsPerRequest)}); P-K ${FIT_TEXT[c.fit]}, Erlang C ${FIT_TEXT[c.erlangFit]}`,
  );
  return [
    { kind: 'heading', text: 'Queueing model check (Poisson runs)' },
    {
      kind: 'paragraph',
      parts: [
        'Do the queueing what-ifs (Erlang C in ',
        { text: 'hotswap plan queue', code: true },
        ") fit this service? At each Poisson run's utilisation ρ = rate × CPU seconds per request (one core), the M/G/1 mean wait of Pollaczek–Khinchine, Wq = ρ·E[S]·(1 + Cs²) / (2(1 − ρ)), and the Erlang C (M/M/1) one are set against the wait the run measured (its mean latency − E[S]).",
      ],
    },
    { kind: 'list', items: per.map((p) => [p]) },
    ...(checks.some((c) => c.warnings.length > 0)
      ? [{ kind: 'warnings', warnings: checks.flatMap((c) => c.warnings) } satisfies Block]
      : []),
    {
      kind: 'paragraph',
      tone: 'muted',
      only: 'full',
      parts: [
        'Service time is not measured per request: E[S] and Cs² are the mean and squared coefficient of variation of the per-request latency of the lowest-load Poisson run, where requests wait least (CPU per request gives E[S] only, not its spread). That latency also holds the client, loopback and any downstream wait, which no core serves, so E[S] runs high where a downstream is in the path. Erlang C assumes exponential service (Cs² = 1): with a mix of heavy and light requests (Cs² > 1) it predicts too little waiting. Runs at ρ ≥ 0.9 and waits under 0.5 ms are not judged.',
      ],
    },
    {
      kind: 'table',
      table: tableView(
        'queue-model',
        queueColumns(m),
        checks.flatMap((c) => c.rows.map((r) => ({ ...r, role: c.role }))),
      ),
    },
  ];
};

// ---- resources ----

/**
 * Where the run's CPU per request came from (the service's Prometheus counter, its cgroup, or /proc) and,
 * when more than one source measured it, the other figures beside it (ms per request).
 */
const cpuSourceCell = (r: ResourceUse): string | undefined => {
  const used = r.sources?.cpu;
  if (!used) return undefined;
  const others = Object.entries(r.cpuSecondsPerRequestBySource ?? {})
    .filter(([source]) => source !== used)
    .map(([source, v]) => `${source} ${fmtMs((v ?? 0) * 1000)}`);
  return others.length ? `${used} (${others.join(', ')})` : used;
};

const resourceColumns = (m: ReportModel): ColumnDef<ResourceUse>[] => [
  { key: 'run', label: 'run', kind: 'code', cell: (r) => r.runId },
  { key: 'config', label: 'configuration', kind: 'config', cell: (r) => configCell(m, r.role) },
  {
    key: 'cpu',
    label: 'CPU / req',
    kind: 'ms',
    cell: (r) =>
      typeof r.cpuSecondsPerRequest === 'number' ? r.cpuSecondsPerRequest * 1000 : r.cpuSecondsPerRequest,
  },
  { key: 'cpuSource', label: 'CPU from', kind: 'text', cell: cpuSourceCell },
  { key: 'goAlloc', label: 'Go alloc / req', kind: 'bytes', cell: (r) => r.goAllocBytesPerRequest },
  { key: 'rustAlloc', label: 'Rust alloc / req', kind: 'bytes', cell: (r) => r.rustAllocBytesPerRequest },
  { key: 'rss', label: 'RSS steady', kind: 'bytes', cell: (r) => r.rssBytesSteady },
  { key: 'memorySource', label: 'memory from', kind: 'text', cell: (r) => r.sources?.memory },
  { key: 'gc', label: 'GC pause p99', kind: 'ms', cell: (r) => r.gcPauseP99Ms },
  {
    key: 'cgo',
    label: 'cgo calls / req',
    kind: 'number',
    cell: (r) => r.cgoCallsPerRequest,
    warnings: (r) => r.warnings ?? [],
  },
];

const hotspotParts = (m: ReportModel): Inline[] | undefined => {
  const h = headline(m);
  const hb = h.hotspotMs.baseline;
  const hc = h.hotspotMs.candidate;
  if (hb === undefined || hc === undefined) return undefined;
  const sb = h.hotspotShare.baseline;
  const sc = h.hotspotShare.candidate;
  const profiled = profileHeadline(m).baseline;
  return [
    `Hotspot time per request (Server-Timing): ${fmtMs(hb)} → ${fmtMs(hc)} (`,
    { text: fmtChange(hc / hb), strong: true },
    ').',
    // The CPU profile's share (with its CI) replaces the wall-time ratio, which can exceed 100 %.
    profiled?.hotspotShare !== undefined
      ? ` In the baseline's CPU profile the hotspot is ${fmtShare(profiled.hotspotShare)} of its CPU (see Where the CPU goes), so even a large cut in it moves end-to-end latency less (Amdahl's law).`
      : sb === undefined || sb > 1
        ? ''
        : ` The hotspot is ${fmtShare(sb)} of the baseline's server time${
            sc !== undefined ? ` and ${fmtShare(sc)} of the candidate's` : ''
          }, so even a large cut in it moves end-to-end latency less (Amdahl's law).`,
  ];
};

const resourcesSection = (m: ReportModel): SectionView => {
  const h = headline(m);
  const parts = [
    h.cpu ? `CPU ${fmtChange(h.cpu.ratio)}` : '',
    h.endToEnd ? `end-to-end ${fmtChange(h.endToEnd.ratio)}` : '',
  ].filter(Boolean);
  const why = [
    h.cpu
      ? `CPU = CPU seconds per request across the process (${fmtChangeCI(displayCI(h.cpu))} 95 % CI)`
      : '',
    h.endToEnd
      ? `end-to-end = median latency of all requests as the client saw it (${fmtChangeCI(displayCI(h.endToEnd))})`
      : '',
  ].filter(Boolean);
  const hotspot = hotspotParts(m);
  const phase = mainPhase(m);
  const blocks: Block[] = [];
  if (parts.length) blocks.push({ kind: 'paragraph', tone: 'headline', parts: [parts.join(', ')] });
  if (why.length) blocks.push({ kind: 'paragraph', tone: 'muted', parts: [`${why.join('; ')}.`] });
  if (hotspot) blocks.push({ kind: 'paragraph', parts: hotspot });
  blocks.push(
    { kind: 'charts', section: 'resources' },
    { kind: 'heading', text: `Per run (${phase} phase)`, only: 'full' },
    {
      kind: 'table',
      only: 'full',
      table: tableView(
        'resources',
        resourceColumns(m),
        m.resources.filter((r) => r.phase === phase),
      ),
    },
  );
  return { id: 'resources', title: 'Resource cost', blocks };
};

// ---- errors ----

const ERROR_COLUMNS: ColumnDef<ErrorClassRow>[] = [
  {
    key: 'class',
    label: 'error class',
    kind: 'code',
    cell: (r) => ({ text: String(r.errorClass), badge: r.isNew ? 'NEW' : undefined }),
  },
  { key: 'endpoint', label: 'endpoint', kind: 'text', cell: (r) => endpointLabel(r.endpoint) },
  { key: 'baseline', label: 'baseline', kind: 'int', cell: (r) => r.baseline },
  { key: 'candidate', label: 'candidate', kind: 'int', cell: (r) => r.candidate },
  {
    key: 'example',
    label: 'example message',
    kind: 'code',
    missing: '',
    cell: (r) => r.example || undefined,
  },
];

const correctnessItems = (m: ReportModel): Inline[][] => {
  const c = correctness(m);
  const per = (rec: Partial<Record<Role, number>>, what: string) =>
    ROLES.map((role) =>
      rec[role] === undefined
        ? `${configLabel(m, role)}: not measured`
        : `${configLabel(m, role)}: ${fmtInt(rec[role]!)} ${what}`,
    ).join('; ');
  const impl = ROLES.flatMap((role) => {
    const counts = c.implRequests[role];
    if (!counts) return [];
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const shares = Object.entries(counts).map(([k, v]) => `${k} ${fmtShare(v / total)}`);
    return [`${configLabel(m, role)}: ${shares.join(', ')}`];
  }).join('; ');
  const same = m.correctness;
  return [
    [`Fallbacks to Go after a Rust error or panic — ${per(c.fallbacks, 'fallbacks')}`],
    same
      ? [
          `Result mismatches between Go and Rust — ${fmtInt(same.mismatches)} of ${fmtInt(same.comparedRequests)} compared candidate requests (response digests per corpus line; see Same output)`,
        ]
      : [`Result mismatches between Go and Rust — ${per(c.mismatches, 'mismatches')}`],
    ...(impl ? [[`Requests served by implementation (X-Hotspot-Impl) — ${impl}`]] : []),
  ];
};

const errorsSection = (m: ReportModel): SectionView => {
  const newCount = m.errors.filter((r) => r.isNew).length;
  return {
    id: 'errors',
    title: 'Correctness and errors',
    blocks: [
      newCount
        ? {
            kind: 'paragraph',
            tone: 'bad',
            parts: [
              `${newCount === 1 ? '1 error class appears' : `${fmtInt(newCount)} error classes appear`} only in the candidate.`,
            ],
          }
        : { kind: 'paragraph', parts: ['No error class appears only in the candidate.'] },
      m.errors.length
        ? { kind: 'table', table: tableView('errors', ERROR_COLUMNS, m.errors) }
        : { kind: 'paragraph', tone: 'muted', parts: [`No errors in any ${unitNoun(m, 1)}.`] },
      { kind: 'list', items: correctnessItems(m) },
    ],
  };
};

// ---- same output ----

interface EndpointMismatchRow {
  endpoint: string;
  compared: number;
  mismatches: number;
}

const SAME_OUTPUT_COLUMNS: ColumnDef<EndpointMismatchRow>[] = [
  { key: 'endpoint', label: 'endpoint', kind: 'text', cell: (r) => endpointLabel(r.endpoint) },
  { key: 'compared', label: 'compared requests', kind: 'int', cell: (r) => r.compared },
  {
    key: 'mismatches',
    label: 'mismatches',
    kind: 'int',
    cell: (r) => (r.mismatches > 0 ? { text: fmtInt(r.mismatches), tone: 'fail' } : r.mismatches),
  },
  {
    key: 'share',
    label: 'share',
    kind: 'percent',
    cell: (r) => (r.compared > 0 ? r.mismatches / r.compared : undefined),
  },
];

const EXAMPLE_COLUMNS: ColumnDef<CorrectnessExample>[] = [
  { key: 'line', label: 'corpus line', kind: 'int', cell: (e) => e.line },
  { key: 'endpoint', label: 'endpoint', kind: 'text', cell: (e) => endpointLabel(e.endpoint) },
  {
    key: 'baseline',
    label: 'baseline answer',
    kind: 'code',
    cell: (e) => `${e.baselineStatus} ${e.baselineDigest}`,
  },
  {
    key: 'candidate',
    label: 'candidate answer',
    kind: 'code',
    cell: (e) => `${e.candidateStatus} ${e.candidateDigest}`,
  },
  {
    key: 'request',
    label: 'request (first bytes)',
    kind: 'code',
    missing: '',
    cell: (e) => e.requestPrefix || undefined,
  },
];

const SHADOW_COLUMNS = (m: ReportModel): ColumnDef<ShadowTotals>[] => [
  { key: 'config', label: 'configuration', kind: 'config', cell: (r) => configCell(m, r.role) },
  { key: 'compared', label: 'shadowed requests', kind: 'int', cell: (r) => r.compared },
  { key: 'mismatches', label: 'mismatches', kind: 'int', cell: (r) => r.mismatches },
  { key: 'rate', label: 'mismatch rate', kind: 'percent', cell: (r) => r.mismatches / r.compared },
  { key: 'errors', label: 'Rust errors', kind: 'int', cell: (r) => r.rustErrors },
  { key: 'go', label: 'Go hotspot (mean)', kind: 'ms', cell: (r) => r.goMsMean },
  { key: 'rust', label: 'Rust hotspot (mean)', kind: 'ms', cell: (r) => r.rustMsMean },
];

const digestBlocks = (m: ReportModel): Block[] => {
  const c = m.correctness;
  if (!c) return [];
  const ci = c.mismatchShareCi95;
  const share =
    c.mismatchShare !== undefined && ci
      ? ` (${fmtShare(c.mismatchShare)}, 95 % CI ${fmtShare(ci[0])}–${fmtShare(ci[1])})`
      : '';
  const rows = Object.entries(c.byEndpoint)
    .map(([endpoint, x]) => ({ endpoint, ...x }))
    .sort((a, b) => a.endpoint.localeCompare(b.endpoint));
  return [
    {
      kind: 'paragraph',
      ...(c.mismatches > 0 ? { tone: 'bad' as const } : {}),
      parts: [
        { text: `${fmtInt(c.mismatches)} mismatches`, strong: true },
        ` over ${fmtInt(c.comparedRequests)} compared candidate requests${share}, on ${fmtInt(c.comparedLines)} corpus lines.`,
      ],
    },
    {
      kind: 'paragraph',
      tone: 'muted',
      parts: [
        `Each request recorded its status and a sha256 digest of its response body, keyed by its corpus line; a candidate answer counts as a mismatch when it differs from the baseline's answer to the same line. Noise floor (as Twitter's Diffy): ${fmtInt(c.noisyLines)} lines the baseline itself answered in more than one way (${fmtInt(c.noisyRequests)} candidate requests) are left out${
          c.ignoredLines > 0 ? `, and ${fmtInt(c.ignoredLines)} lines of ignored endpoints` : ''
        }. ${
          c.unpairedRequests > 0
            ? `${fmtInt(c.unpairedRequests)} candidate requests hit lines no baseline run reached and have nothing to compare with. `
            : ''
        }Transport failures are errors, not answers, and are not compared.`,
      ],
    },
    ...(rows.length
      ? [{ kind: 'table', table: tableView('same-output', SAME_OUTPUT_COLUMNS, rows) } satisfies Block]
      : []),
    ...(c.examples.length
      ? [
          { kind: 'heading', text: 'First mismatches' } satisfies Block,
          {
            kind: 'table',
            table: tableView('same-output-examples', EXAMPLE_COLUMNS, c.examples),
          } satisfies Block,
        ]
      : []),
  ];
};

const shadowBlocks = (m: ReportModel): Block[] => {
  const rows = shadowTotals(m);
  if (rows.length === 0) return [];
  const total = rows.reduce((s, r) => s + r.compared, 0);
  const wrong = rows.reduce((s, r) => s + r.mismatches, 0);
  return [
    { kind: 'heading', text: 'Shadow mode' },
    {
      kind: 'paragraph',
      ...(wrong > 0 ? { tone: 'bad' as const } : {}),
      parts: [
        `The service ran Rust beside Go on ${fmtInt(total)} requests routed to Go, compared the two answers byte for byte and answered with Go's: mismatch rate ${fmtShare(wrong / total)}. The safe first step before any traffic goes to Rust: same inputs, both timings, no user sees Rust's answer.`,
      ],
    },
    { kind: 'table', table: tableView('shadow', SHADOW_COLUMNS(m), rows) },
  ];
};

const sameOutputSection = (m: ReportModel): SectionView => ({
  id: 'same-output',
  title: 'Same output',
  blocks: [...digestBlocks(m), ...shadowBlocks(m)],
});

// ---- runs and environment ----

/** How a phase timed its arrivals: k6 phases say; a k6 phase of a folder older than the field was uniform. */
const arrivalsOf = (m: ReportModel, phase: string): string | undefined => {
  const p = m.plan.phases.find((x) => x.name === phase);
  return p?.arrivals ?? (p?.driver === 'k6' ? 'uniform' : undefined);
};

const ARRIVALS_TEXT: Record<string, string> = {
  uniform: 'uniform (evenly spaced)',
  poisson: 'Poisson',
  replay: 'replayed from the capture',
};

/**
 * How late the generator started a run's paced arrivals (Poisson, replay): p99 / max of the run's "*"
 * summary, footnoted when the analysis warned; uniform k6 phases are paced by k6's own executor.
 */
const latenessColumn = (m: ReportModel): ColumnDef<RunRecord> => ({
  key: 'startLateness',
  label: 'start lateness p99 / max',
  kind: 'ms',
  missing: '',
  cell: (r) => {
    const all = m.summaries.find((s) => s.runId === r.id && s.endpoint === '*');
    const late = all?.startLatenessMs;
    if (!late)
      return arrivalsOf(m, r.phase) === 'uniform' ? { text: 'k6’s executor', kind: 'text' } : undefined;
    return {
      text: `${sig(late.p99)} / ${fmtMs(late.max)}`,
      warnings: (all.warnings ?? []).filter((w) => w.code === 'arrivals-started-late'),
    };
  },
});

/** Said once under the runs table when it shows start lateness. */
export const LATENESS_NOTE =
  'Start lateness: how late k6 started each paced arrival (Poisson, replay) against its schedule, after warm-up. k6 reads its clock in whole milliseconds, so each value is ±1 ms; an arrival later than MAX_LATE_MS (100 ms unless the phase’s env sets it) was not sent and counts as dropped.';

const runColumns = (m: ReportModel): ColumnDef<RunRecord>[] => [
  {
    key: 'order',
    label: '#',
    kind: 'int',
    cell: (r) => (typeof r.order === 'number' ? r.order + 1 : r.order),
  },
  { key: 'run', label: 'run', kind: 'code', cell: (r) => r.id },
  { key: 'config', label: 'configuration', kind: 'config', cell: (r) => configCell(m, r.role) },
  { key: 'phase', label: 'phase', kind: 'text', cell: (r) => r.phase },
  { key: 'repetition', label: 'rep.', kind: 'int', cell: (r) => r.repetition },
  {
    key: 'status',
    label: 'status',
    kind: 'status',
    cell: (r) => ({
      text: `${r.status}${r.failureReason ? ` ${r.failureReason}` : ''}`,
      tone: r.status === 'ok' ? 'pass' : 'fail',
    }),
  },
  {
    key: 'rate',
    label: 'achieved / offered rps',
    kind: 'rps',
    cell: (r) =>
      r.generator.offeredRps === undefined
        ? undefined
        : `${sig(r.generator.achievedRps ?? 0)} / ${sig(r.generator.offeredRps)}`,
  },
  { key: 'arrivals', label: 'arrivals', kind: 'text', missing: '', cell: (r) => arrivalsOf(m, r.phase) },
  { key: 'dropped', label: 'dropped', kind: 'int', cell: (r) => r.generator.droppedIterations },
  ...(m.summaries.some((s) => s.startLatenessMs) ? [latenessColumn(m)] : []),
  {
    key: 'generator',
    label: 'generator',
    kind: 'status',
    cell: (r) =>
      r.status !== 'ok'
        ? undefined
        : r.generator.limited
          ? { text: `limited ${r.generator.limitedReason ?? ''}`.trim(), tone: 'fail' }
          : { text: 'ok', tone: 'pass' },
    warnings: (r) => r.warnings ?? [],
  },
];

const runItems = (m: ReportModel, runs: RunRecord[]): Inline[][] => [
  ...runs
    .filter((r) => r.status !== 'ok')
    .map((r): Inline[] => [
      { text: r.id, code: true },
      ` ${r.status}: ${r.failureReason ?? 'no reason recorded'}`,
    ]),
  ...runs
    .filter((r) => r.generator.limited)
    .map((r): Inline[] => [
      { text: r.id, code: true },
      ` generator-limited: ${r.generator.limitedReason ?? ''}`,
    ]),
  ...runs.flatMap((r): Inline[][] =>
    (m.summaries.find((s) => s.runId === r.id && s.endpoint === '*')?.warnings ?? [])
      .filter((w) => w.code === 'arrivals-started-late')
      .map((w) => [{ text: r.id, code: true }, ` ${w.message}`]),
  ),
];

const runsSection = (m: ReportModel): SectionView => {
  if (m.canary) return windowsSection(m, m.canary);
  const runs = runsInOrder(m);
  const failed = runs.filter((r) => r.status !== 'ok').length;
  const limited = runs.filter((r) => r.generator.limited).length;
  const items = runItems(m, runs);
  return {
    id: 'runs',
    title: 'Runs',
    blocks: [
      {
        kind: 'paragraph',
        parts: [
          `${runs.length} runs in execution order (${m.plan.order}, ${repetitionsText(m.plan.repetitions)}, ${m.plan.warmupSeconds} s warm-up excluded); ${failed} not completed, ${limited} generator-limited.`,
        ],
      },
      { kind: 'table', only: 'full', table: tableView('runs', runColumns(m), runs) },
      ...(m.summaries.some((s) => s.startLatenessMs)
        ? [{ kind: 'paragraph', only: 'full', tone: 'muted', parts: [LATENESS_NOTE] } satisfies Block]
        : []),
      ...(items.length ? [{ kind: 'list', only: 'brief', items } satisfies Block] : []),
    ],
  };
};

const envFacts = (m: ReportModel): [string, string][] => {
  const env = m.environment;
  const facts: [string, string | undefined][] = [
    ['CPU', `${env.cpus} cores${env.cpuModel ? ` · ${env.cpuModel}` : ''}`],
    ['memory', env.memoryBytes === undefined ? undefined : formatByKind('bytes', env.memoryBytes)],
    [
      'CPU pinning',
      env.pinned
        ? 'service and load generator on separate cores'
        : 'not pinned (service and generator share cores)',
    ],
    [
      'target',
      env.targetHost === '127.0.0.1' || env.targetHost === 'localhost'
        ? `${env.targetHost} (loopback: no network in the path)`
        : env.targetHost,
    ],
    ['OS', env.os],
    ['host', env.hostname],
    ['Node.js', env.node],
    ['k6', env.k6Version],
    ['autocannon', env.autocannonVersion],
    ['Go', env.goVersion],
    ['Rust', env.rustVersion],
    ['git revision', env.gitRevision],
  ];
  return facts
    .filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '')
    .map(([k, v]) => [k, String(v)]);
};

interface BuildRow {
  role: Role;
  build: ReportModel['builds'][Role];
}

const buildColumns = (m: ReportModel): ColumnDef<BuildRow>[] => [
  { key: 'config', label: 'configuration', kind: 'config', cell: (r) => configCell(m, r.role) },
  { key: 'cold', label: 'cold build', kind: 'seconds', cell: (r) => r.build?.coldBuildSeconds },
  { key: 'last', label: 'last build (incremental)', kind: 'seconds', cell: (r) => r.build?.buildSeconds },
  { key: 'binary', label: 'binary size', kind: 'bytes', cell: (r) => r.build?.binaryBytes },
  {
    key: 'toolchains',
    label: 'toolchains',
    kind: 'text',
    missing: 'not recorded',
    cell: (r) => (r.build ? (r.build.toolchains ?? []).join(', ') : undefined),
  },
];

const environmentSection = (m: ReportModel): SectionView => ({
  id: 'environment',
  title: 'Environment and caveats',
  blocks: [
    { kind: 'facts', facts: envFacts(m) },
    m.warnings.length
      ? { kind: 'warnings', warnings: m.warnings }
      : { kind: 'paragraph', tone: 'muted', parts: ['No trial-wide caveats.'] },
    { kind: 'heading', text: 'Cost of ownership' },
    {
      kind: 'table',
      table: tableView(
        'builds',
        buildColumns(m),
        ROLES.map((role) => ({ role, build: m.builds[role] })),
      ),
    },
    {
      kind: 'paragraph',
      tone: 'muted',
      only: 'full',
      parts: [
        'Cold build: from an empty Go build cache and Cargo target folder (',
        { text: 'HOTSWAP_COLD_BUILD=1 bash service/build.sh', code: true },
        '), the cost a newcomer or CI pays; "—" when not measured. Last build: the one that last ran here, usually incremental.',
      ],
    },
  ],
});

const tailSection = (): SectionView => ({
  id: 'tail',
  title: 'Tail latency',
  blocks: [{ kind: 'charts', section: 'tail' }],
});

// ---- the live rollout (a canary's report only) ----

type CanaryWindow = CanaryReport['windows'][number];

const span = (seconds: number): string => {
  const units: [number, string][] = [
    [86400, 'd'],
    [3600, 'h'],
    [60, 'min'],
  ];
  for (const [size, name] of units)
    if (seconds >= size && Math.abs(seconds / size - Math.round(seconds / size)) < 1e-9)
      return `${fmtInt(seconds / size)} ${name}`;
  return fmtSeconds(seconds);
};

const JUDGEMENT_TEXT: Record<NonNullable<CanaryWindow['judgement']>, string> = {
  better: 'better',
  same: 'within the cut',
  worse: 'worse',
};

/** What the stop rule says to do now: its consequence when it failed, "keep" when it held. */
const stopRuleParts = (m: ReportModel, c: CanaryReport): Inline[][] =>
  c.stopRule.map((r) => [
    {
      text: r.outcome,
      strong: true,
      tone: r.status === 'fail' ? 'fail' : r.status === 'pass' ? 'pass' : 'warn',
    },
    ` — the condition of "${r.text}" is ${r.status === 'fail' ? 'met' : r.status === 'pass' ? 'not met' : 'not decided'} over ${span(c.windowSeconds)}${c.horizon ? ` (the rule's horizon: ${c.horizon})` : ''}, judged on ${fmtInt(c.windowsUsed)} ${unitNoun(m, c.windowsUsed)}.`,
  ]);

const canaryFacts = (m: ReportModel, c: CanaryReport): [string, string][] => {
  const used = c.windows.filter((w) => w.used);
  const share = used.length ? used.reduce((a, w) => a + w.candidateShare, 0) / used.length : undefined;
  return [
    ['window', `${fmtDate(c.start)} → ${fmtDate(c.end)} (${span(c.windowSeconds)})`],
    ['step', `${span(c.stepSeconds)} (the resolution of every range query)`],
    ['unit', `${span(c.unitSeconds)}: each window gives one value per arm`],
    [
      'windows',
      `${fmtInt(c.windowsUsed)} judged, ${fmtInt(c.windowsSkipped)} left out (too few requests in an arm)`,
    ],
    [
      'split',
      `${c.split.label}: ${configLabel(m, 'baseline')} = {${c.split.baseline.join(', ')}}, ${configLabel(m, 'candidate')} = {${c.split.candidate.join(', ')}}`,
    ],
    [
      'share on the candidate',
      share === undefined ? '—' : `${fmtShare(share)} on average over the windows judged`,
    ],
    [
      'CPU per request',
      c.cpuSeparable
        ? 'judged: the arms are separate processes'
        : 'not separable: one process serves both arms',
    ],
    [
      'source',
      c.source.kind === 'prometheus'
        ? `Prometheus ${c.source.url ?? ''}`.trim()
        : `file ${c.source.file ?? ''}`.trim(),
    ],
  ];
};

const QUERY_COLUMNS: ColumnDef<[string, string]>[] = [
  { key: 'name', label: 'query', kind: 'text', cell: (r) => r[0] },
  { key: 'promql', label: 'PromQL (as run)', kind: 'code', cell: (r) => r[1] },
];

const canarySection = (m: ReportModel): SectionView | null => {
  const c = m.canary;
  if (!c) return null;
  return {
    id: 'canary',
    title: 'Live rollout',
    blocks: [
      { kind: 'list', items: stopRuleParts(m, c) },
      { kind: 'facts', facts: canaryFacts(m, c) },
      { kind: 'charts', section: 'canary' },
      { kind: 'heading', text: 'What differs from a lab trial' },
      { kind: 'list', items: c.assumptions.map((a) => [a]) },
      { kind: 'heading', text: 'Queries', only: 'full' },
      {
        kind: 'table',
        only: 'full',
        table: tableView('canary-queries', QUERY_COLUMNS, Object.entries(c.queries) as [string, string][]),
      },
    ],
  };
};

const windowColumns = (m: ReportModel): ColumnDef<CanaryWindow & { n: number }>[] => [
  { key: 'n', label: '#', kind: 'int', cell: (w) => w.n },
  { key: 'start', label: 'start', kind: 'text', cell: (w) => fmtDate(w.start) },
  {
    key: 'share',
    label: `share on ${m.plan.configurations.candidate.name}`,
    kind: 'percent',
    cell: (w) => w.candidateShare,
  },
  { key: 'baseline', label: 'baseline requests', kind: 'int', cell: (w) => w.baseline?.requests },
  { key: 'candidate', label: 'candidate requests', kind: 'int', cell: (w) => w.candidate?.requests },
  {
    key: 'ratio',
    label: 'judged change',
    kind: 'change',
    cell: (w) => (w.judgedRatio === undefined ? undefined : fmtChange(w.judgedRatio)),
  },
  {
    key: 'judgement',
    label: 'judgement',
    kind: 'status',
    cell: (w) =>
      !w.used
        ? { text: `left out: ${w.skippedReason ?? 'too few requests'}`, muted: true }
        : w.judgement
          ? {
              text: JUDGEMENT_TEXT[w.judgement],
              tone: w.judgement === 'better' ? 'pass' : w.judgement === 'worse' ? 'fail' : 'warn',
            }
          : undefined,
  },
];

/** A canary's "runs" are its windows: the judgement of each on a timeline, in time order. */
const windowsSection = (m: ReportModel, c: CanaryReport): SectionView => {
  const count = (j: CanaryWindow['judgement']) => c.windows.filter((w) => w.used && w.judgement === j).length;
  const rule = c.stopRule[0]?.text;
  return {
    id: 'runs',
    title: 'Windows',
    blocks: [
      {
        kind: 'paragraph',
        parts: [
          `${fmtInt(c.windows.length)} windows of ${span(c.unitSeconds)} in time order (not randomised); ${fmtInt(c.windowsUsed)} judged, ${fmtInt(c.windowsSkipped)} left out. Per window${rule ? ` on "${rule}"` : ''}: ${fmtInt(count('better'))} better, ${fmtInt(count('same'))} within the cut, ${fmtInt(count('worse'))} worse.`,
        ],
      },
      {
        kind: 'table',
        only: 'full',
        table: tableView(
          'windows',
          windowColumns(m),
          c.windows.map((w, i) => ({ ...w, n: i + 1 })),
        ),
      },
    ],
  };
};

/** The sections in report order: add a section by adding its function here (null: not in this report). */
export const SECTIONS: readonly ((m: ReportModel) => SectionView | null)[] = [
  betSection,
  verdictSection,
  canarySection,
  baselineSection,
  profileSection,
  tailSection,
  drillsSection,
  significanceSection,
  capacitySection,
  resourcesSection,
  errorsSection,
  sameOutputSection,
  runsSection,
  environmentSection,
];

const intro = (m: ReportModel): Block[] => [
  ...(m.trial.description
    ? [{ kind: 'paragraph', tone: 'lede', parts: [m.trial.description] } satisfies Block]
    : []),
  {
    kind: 'paragraph',
    tone: 'muted',
    parts: [
      m.canary ? 'Canary ' : 'Trial ',
      { text: m.trial.id, code: true },
      ` · ${m.trial.status} · plan frozen ${fmtDate(m.trial.planFrozenAt)} · analysed ${fmtDate(m.trial.analyzedAt)} · hotswap ${m.generator.version}`,
    ],
  },
  {
    kind: 'paragraph',
    parts: [
      `${ROLES.map((r) => configLabel(m, r)).join(' vs ')} · ${pLabel(m.plan.slo.quantile)} SLO ${fmtMs(m.plan.slo.latencyMs)}`,
    ],
    only: 'brief',
  },
  {
    kind: 'list',
    only: 'full',
    items: ROLES.map((r) => [
      { text: configLabel(m, r), strong: true },
      `: ${m.plan.configurations[r].description}`,
    ]),
  },
  {
    kind: 'list',
    only: 'full',
    items: m.plan.phases.map((p) => [
      { text: p.name, strong: true },
      ` (${p.driver}, ${p.scenario}${arrivalsOf(m, p.name) ? `, ${ARRIVALS_TEXT[arrivalsOf(m, p.name)!] ?? arrivalsOf(m, p.name)} arrivals` : ''}): ${p.description}`,
    ]),
  },
];

/** The whole report as typed sections: what every exporter lays out. */
export const reportView = (m: ReportModel): ReportView => ({
  title: m.trial.planName,
  intro: intro(m),
  // A section that is not shown (null) or has nothing to show (Same output without digests) is left out.
  sections: SECTIONS.map((s) => s(m)).filter((s): s is SectionView => s !== null && s.blocks.length > 0),
});
