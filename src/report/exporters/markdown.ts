/**
 * Markdown for a pull-request comment or a CI job summary (GitHub-flavoured tables): the verdict and
 * the figures behind it, short enough to read in a review, pointing at the HTML for the charts.
 * Every model string is escaped (escapeMd): a name with `|` or `<script>` cannot break the table or
 * inject markup.
 */
import type { CheckResult, ReportModel, Warning } from '../../model/index.js';
import { ROLES } from '../../model/index.js';
import {
  configLabel,
  endpointLabel,
  escapeMd as md,
  fmtBytes,
  fmtChange,
  fmtChangeCI,
  fmtDate,
  fmtInt,
  fmtMoney,
  fmtMs,
  fmtP,
  fmtShare,
  fmtValue,
  pLabel,
  sig,
} from '../format.js';
import {
  baselineTable,
  correctness,
  displayCI,
  headline,
  mainPhase,
  moreRunsNote,
  runsInOrder,
  significanceRows,
  comparedPhasesLabel,
  CI_CAPTION,
  capacityFigures,
} from '../view.js';

const STATUS: Record<CheckResult['status'], string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  warn: '⚠️ warn',
  error: '❔ not judged',
};
const DECISION = { keep: '✅ KEEP', drop: '❌ DROP', inconclusive: '⚠️ INCONCLUSIVE' } as const;

/**
 * An identifier as an inline code span when it is plain (letters, digits, `.:/_-`); anything else is
 * escaped text instead, since a code span shows entities literally and could not neutralise `<`.
 */
const code = (s: string): string => (/^[\w.:/-]+$/.test(s) ? `\`${s}\`` : md(s));

const tableMd = (head: string[], rows: string[][], align?: ('l' | 'r')[]): string => {
  const sep = head.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
};

/** benchmath-style footnotes: a number beside the figure, each distinct warning listed once. */
const footnotes = () => {
  const list: Warning[] = [];
  return {
    mark: (ws: Warning[]): string =>
      ws
        .map((w) => {
          let i = list.findIndex((x) => x.code === w.code && x.message === w.message);
          if (i < 0) i = list.push(w) - 1;
          return ` ⚠${i + 1}`;
        })
        .join(''),
    text: (): string =>
      list.map((w, i) => `${i + 1}. ⚠ ${md(w.message)}${w.hint ? ` — ${md(w.hint)}` : ''}`).join('\n'),
  };
};

const checksMd = (checks: CheckResult[]): string =>
  tableMd(
    ['', 'line (as written)', 'result'],
    checks.map((c) => [
      STATUS[c.status],
      md(c.text),
      md(c.message) + c.warnings.map((w) => ` ⚠ ${md(w.message)}`).join(''),
    ]),
  );

const verdictMd = (m: ReportModel): string => {
  const v = m.verdict;
  const lines = [
    `## Verdict: ${DECISION[v.decision]}`,
    '',
    ...v.reasons.map((r, i) => `${i + 1}. ${md(r)}`),
    '',
  ];
  const note = moreRunsNote(m);
  if (v.decision === 'inconclusive' && note)
    lines.push(
      note.runs === null
        ? 'No number of runs would likely settle this.'
        : `About **${fmtInt(note.runs)} runs per configuration** would likely settle it.`,
      '',
    );
  lines.push(
    `Pass lines and stop rules as written, frozen ${md(fmtDate(m.trial.planFrozenAt))} before the first run:`,
    '',
    checksMd([...v.checks, ...v.stopRules]),
  );
  return lines.join('\n');
};

const significanceMd = (m: ReportModel): string => {
  const notes = footnotes();
  const rows = significanceRows(m).map((r) => {
    const c = r.comparison;
    const change =
      (r.mark === '~' ? `~ (${fmtChange(c.ratio)})` : `**${fmtChange(c.ratio)}**`) + notes.mark(r.warnings);
    return [
      md(r.label),
      md(fmtValue(c.baseline.median, c.unit)),
      md(fmtValue(c.candidate.median, c.unit)),
      change,
      fmtChangeCI(displayCI(c)),
      `${fmtP(c.pAdjusted)}`,
      `${r.n[0]}+${r.n[1]}`,
    ];
  });
  const foot = notes.text();
  return [
    `## Significance (${md(comparedPhasesLabel(m))}, run-level)`,
    '',
    tableMd(['comparison', 'baseline', 'candidate', 'change', '95 % CI', 'p (Holm)', 'runs'], rows, [
      'l',
      'r',
      'r',
      'r',
      'r',
      'r',
      'r',
    ]),
    '',
    `\`~\` not significant after Holm adjustment · change = median(candidate) ÷ median(baseline) − 1 · CI: ${CI_CAPTION} · p: Mann-Whitney U`,
    ...(foot ? ['', foot] : []),
  ].join('\n');
};

const baselineMd = (m: ReportModel): string => {
  const rows = baselineTable(m).map((r) => [
    md(r.config),
    md(endpointLabel(r.endpoint)),
    fmtMs(r.p95Ms),
    fmtMs(r.p99Ms),
    r.cpuMsPerRequest === undefined ? '' : `${sig(r.cpuMsPerRequest)} ms`,
    r.allocBytesPerRequest === undefined ? '' : fmtBytes(r.allocBytesPerRequest),
    r.rssBytesSteady === undefined ? '' : fmtBytes(r.rssBytesSteady),
    r.rssBytesPeak === undefined ? '' : fmtBytes(r.rssBytesPeak),
    fmtShare(r.downstreamShare),
  ]);
  return [
    `## Baseline (${md(mainPhase(m))} phase, median across runs)`,
    '',
    tableMd(
      [
        'configuration',
        'endpoint',
        'p95',
        'p99',
        'CPU/req',
        'alloc/req',
        'RSS steady',
        'RSS peak',
        'downstream wait',
      ],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ].join('\n');
};

const capacityMd = (m: ReportModel): string => {
  const cap = m.plan.capacity;
  const rows = ROLES.map((role) => {
    const f = capacityFigures(m, role);
    return [
      md(configLabel(m, role)),
      f.kneeRps,
      f.cpuBasedRps,
      f.perInstanceRps,
      f.instances,
      md(f.costPerMonth),
    ];
  });
  const s = m.capacity.savings;
  return [
    `## Capacity at ${fmtInt(cap.peakRps)} rps peak (N+${cap.redundancy}, ${md(String(cap.costPerInstanceHour))} ${md(cap.currency)}/instance-hour)`,
    '',
    tableMd(['configuration', 'knee', 'CPU-based', 'per instance', 'instances', 'per month'], rows, [
      'l',
      'r',
      'r',
      'r',
      'r',
      'r',
    ]),
    ...(s
      ? [
          '',
          `**${s.instances >= 0 ? 'Saves' : 'Costs'} ${fmtInt(Math.abs(s.instances))} instances, ${md(fmtMoney(Math.abs(s.moneyPerMonth), s.currency))} per month** (${fmtShare(Math.abs(s.share))} of the fleet).`,
        ]
      : []),
  ].join('\n');
};

const resourcesMd = (m: ReportModel): string => {
  const h = headline(m);
  const parts = [
    h.cpu ? `CPU ${fmtChange(h.cpu.ratio)}` : '',
    h.endToEnd ? `end-to-end ${fmtChange(h.endToEnd.ratio)}` : '',
  ].filter(Boolean);
  const lines = ['## Resource cost', ''];
  if (parts.length)
    lines.push(`**${parts.join(', ')}** (CPU seconds per request; median latency of all requests)`);
  const hb = h.hotspotMs.baseline;
  const hc = h.hotspotMs.candidate;
  if (hb !== undefined && hc !== undefined)
    lines.push(
      '',
      `Hotspot time per request ${fmtMs(hb)} → ${fmtMs(hc)} (${fmtChange(hc / hb)})${
        h.hotspotShare.baseline !== undefined
          ? `; the hotspot is ${fmtShare(h.hotspotShare.baseline)} of the baseline's server time`
          : ''
      }.`,
    );
  return lines.join('\n');
};

const errorsMd = (m: ReportModel): string => {
  const c = correctness(m);
  const rows = m.errors.map((r) => [
    `${r.isNew ? '🆕 **NEW** ' : ''}${code(r.errorClass)}`,
    md(endpointLabel(r.endpoint)),
    fmtInt(r.baseline),
    fmtInt(r.candidate),
    r.example ? md(r.example) : '',
  ]);
  const fb = ROLES.map(
    (role) =>
      `${md(configLabel(m, role))} ${c.fallbacks[role] === undefined ? 'n/a' : fmtInt(c.fallbacks[role]!)}`,
  );
  const mm = ROLES.map(
    (role) =>
      `${md(configLabel(m, role))} ${c.mismatches[role] === undefined ? 'not measured' : fmtInt(c.mismatches[role]!)}`,
  );
  return [
    '## Correctness and errors',
    '',
    m.errors.length
      ? tableMd(['error class', 'endpoint', 'baseline', 'candidate', 'example'], rows, [
          'l',
          'l',
          'r',
          'r',
          'l',
        ])
      : 'No errors in any run.',
    '',
    `Fallbacks to Go: ${fb.join(', ')} · Go/Rust mismatches: ${mm.join(', ')}`,
  ].join('\n');
};

const runsMd = (m: ReportModel): string => {
  const runs = runsInOrder(m);
  const bad = runs.filter((r) => r.status !== 'ok');
  const limited = runs.filter((r) => r.generator.limited);
  const env = m.environment;
  const lines = [
    '## Runs and environment',
    '',
    `${runs.length} runs (${md(m.plan.order)}, ${m.plan.repetitions} repetitions, ${m.plan.warmupSeconds} s warm-up excluded); ${bad.length} not completed, ${limited.length} generator-limited.`,
  ];
  for (const r of bad)
    lines.push(`- ❌ ${code(r.id)} ${md(r.status)}: ${md(r.failureReason ?? 'no reason recorded')}`);
  for (const r of limited)
    lines.push(`- ⚠️ ${code(r.id)} generator-limited: ${md(r.generator.limitedReason ?? '')}`);
  for (const w of m.warnings) lines.push(`- ⚠️ ${md(w.message)}${w.hint ? ` — ${md(w.hint)}` : ''}`);
  const envBits = [
    `${env.cpus} cores${env.cpuModel ? ` (${env.cpuModel})` : ''}`,
    env.pinned ? 'pinned' : 'not pinned',
    `target ${env.targetHost}`,
    env.k6Version ? `k6 ${env.k6Version}` : '',
    env.goVersion ?? '',
    env.rustVersion ?? '',
    env.gitRevision ? `rev ${env.gitRevision.slice(0, 12)}` : '',
  ].filter(Boolean);
  lines.push('', `Environment: ${md(envBits.join(' · '))}`);
  const builds = ROLES.flatMap((role) => {
    const b = m.builds[role];
    return b
      ? [
          `${md(configLabel(m, role))} ${b.coldBuildSeconds !== undefined ? `${sig(b.coldBuildSeconds)} s cold build, ` : ''}${sig(b.buildSeconds)} s last build, ${fmtBytes(b.binaryBytes)} binary`,
        ]
      : [];
  });
  if (builds.length) lines.push('', `Cost of ownership: ${builds.join('; ')}`);
  return lines.join('\n');
};

export const renderMarkdown = (m: ReportModel): string =>
  [
    `# hotswap: ${md(m.trial.planName)}`,
    '',
    `Trial ${code(m.trial.id)} · ${ROLES.map((r) => md(configLabel(m, r))).join(' vs ')} · ${pLabel(m.plan.slo.quantile)} SLO ${fmtMs(m.plan.slo.latencyMs)} · hotswap ${md(m.generator.version)}`,
    '',
    verdictMd(m),
    '',
    significanceMd(m),
    '',
    baselineMd(m),
    '',
    capacityMd(m),
    '',
    resourcesMd(m),
    '',
    errorsMd(m),
    '',
    runsMd(m),
    '',
    '<sub>Charts, per-run figures and caveats: report.html in the trial folder.</sub>',
    '',
  ].join('\n');
