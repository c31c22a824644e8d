/**
 * The report as typed sections, defined once for every format: each section is one function from the
 * ReportModel to blocks, listed once in SECTIONS in the order a release review reads them. A table's
 * columns are listed once beside it (one object per column), so adding a column or a section is one
 * edit here; exporters only add syntax. Every string here is unescaped text: escaping is the
 * exporter's job, applied to every cell and span without exception. Pure.
 */
import type {
  CapacityEstimate,
  CapacitySearch,
  CheckResult,
  ErrorClassRow,
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
  fmtShare,
  fmtValue,
  MINUS,
  pLabel,
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
  runsInOrder,
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

/** A figure in its unit with a sign: "−1.20 ms", "+4.0 KiB". */
const signedValue = (x: number, unit: string): string =>
  x === 0 ? fmtValue(0, unit) : `${x < 0 ? MINUS : '+'}${fmtValue(Math.abs(x), unit)}`;

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
                    { text: `${fmtInt(note.runs)} runs per configuration`, strong: true },
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
              parts: [`For a tighter answer: about ${fmtInt(note.runs)} runs per configuration.`],
            },
          ]
        : [];
  return {
    id: 'verdict',
    title: 'Verdict',
    blocks: [
      { kind: 'decision', decision: v.decision, reasons: v.reasons },
      ...more,
      {
        kind: 'paragraph',
        tone: 'muted',
        parts: [
          `Pass lines and stop rules as written, frozen on ${fmtDate(m.trial.planFrozenAt)}, before the first run; judged on the ${mainPhase(m)} phase.`,
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
  { key: 'downstream', label: 'downstream wait', kind: 'percent', cell: (r) => r.downstreamShare },
  { key: 'runs', label: 'runs', kind: 'int', cell: (r) => r.runs },
];

const baselineSection = (m: ReportModel): SectionView => ({
  id: 'baseline',
  title: 'Baseline',
  blocks: [
    { kind: 'paragraph', tone: 'muted', parts: [`${mainPhase(m)} phase, median across runs.`] },
    {
      kind: 'paragraph',
      tone: 'muted',
      only: 'full',
      parts: [
        "CPU, allocations and memory come from the service's own counters, which cover the whole process, so they appear on the all-endpoints row only. Memory at peak is the highest RSS seen in any phase.",
      ],
    },
    { kind: 'table', table: tableView('baseline', baselineColumns(m), baselineTable(m)) },
  ],
});

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

const significanceSection = (m: ReportModel): SectionView => ({
  id: 'significance',
  title: 'Significance',
  blocks: [
    {
      kind: 'paragraph',
      tone: 'muted',
      parts: [
        `${comparedPhasesLabel(m)}, run-level: each run contributes one value per figure. Change = median(candidate) ÷ median(baseline) − 1; 95 % CI: ${CI_CAPTION}; p from Mann-Whitney U on the run values, then Holm-adjusted; effect sizes: the Hodges-Lehmann shift (candidate − baseline, in the figure's unit) and Cliff's δ (−1 … 1). `,
        { text: '~', strong: true },
        ' = not significant after adjustment.',
      ],
    },
    { kind: 'table', table: tableView('significance', SIGNIFICANCE_COLUMNS, significanceRows(m)) },
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
  ],
});

// ---- resources ----

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
  { key: 'goAlloc', label: 'Go alloc / req', kind: 'bytes', cell: (r) => r.goAllocBytesPerRequest },
  { key: 'rustAlloc', label: 'Rust alloc / req', kind: 'bytes', cell: (r) => r.rustAllocBytesPerRequest },
  { key: 'rss', label: 'RSS steady', kind: 'bytes', cell: (r) => r.rssBytesSteady },
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
  return [
    `Hotspot time per request (Server-Timing): ${fmtMs(hb)} → ${fmtMs(hc)} (`,
    { text: fmtChange(hc / hb), strong: true },
    ').',
    sb === undefined
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
  return [
    [`Fallbacks to Go after a Rust error or panic — ${per(c.fallbacks, 'fallbacks')}`],
    [`Result mismatches between Go and Rust — ${per(c.mismatches, 'mismatches')}`],
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
        : { kind: 'paragraph', tone: 'muted', parts: ['No errors in any run.'] },
      { kind: 'list', items: correctnessItems(m) },
    ],
  };
};

// ---- runs and environment ----

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
  { key: 'dropped', label: 'dropped', kind: 'int', cell: (r) => r.generator.droppedIterations },
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

const runItems = (runs: RunRecord[]): Inline[][] => [
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
];

const runsSection = (m: ReportModel): SectionView => {
  const runs = runsInOrder(m);
  const failed = runs.filter((r) => r.status !== 'ok').length;
  const limited = runs.filter((r) => r.generator.limited).length;
  const items = runItems(runs);
  return {
    id: 'runs',
    title: 'Runs',
    blocks: [
      {
        kind: 'paragraph',
        parts: [
          `${runs.length} runs in execution order (${m.plan.order}, ${m.plan.repetitions} repetitions, ${m.plan.warmupSeconds} s warm-up excluded); ${failed} not completed, ${limited} generator-limited.`,
        ],
      },
      { kind: 'table', only: 'full', table: tableView('runs', runColumns(m), runs) },
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

/** The sections in report order: add a section by adding its function here. */
export const SECTIONS: readonly ((m: ReportModel) => SectionView)[] = [
  verdictSection,
  baselineSection,
  tailSection,
  significanceSection,
  capacitySection,
  resourcesSection,
  errorsSection,
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
      'Trial ',
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
      ` (${p.driver}, ${p.scenario}): ${p.description}`,
    ]),
  },
];

/** The whole report as typed sections: what every exporter lays out. */
export const reportView = (m: ReportModel): ReportView => ({
  title: m.trial.planName,
  intro: intro(m),
  sections: SECTIONS.map((s) => s(m)),
});
