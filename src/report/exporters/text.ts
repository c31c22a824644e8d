/**
 * Terminal text in benchstat's shape: one aligned table per phase with baseline, candidate and the
 * change, "~" where the change is not significant, and warnings as numbered footnotes under the
 * table (benchmath's habit). Control characters in model strings are shown escaped, so a hostile
 * name cannot send escape sequences to the reader's terminal.
 */
import type { CheckResult, ReportModel, Warning } from '../../model/index.js';
import { ROLES } from '../../model/index.js';
import {
  configLabel,
  endpointLabel,
  escapeTerminal as t,
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
  sig,
} from '../format.js';
import {
  baselineTable,
  correctness,
  displayCI,
  headline,
  moreRunsNote,
  runsInOrder,
  significanceRows,
  comparedPhasesLabel,
  CI_CAPTION,
  capacityFigures,
} from '../view.js';

/** Display width: count code points, not UTF-16 units ("−" and "→" are one column). */
const width = (s: string): number => [...s].length;
const pad = (s: string, w: number, right = false): string => {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
};

/** Columns aligned to the widest cell; `right` marks numeric columns. */
const grid = (head: string[], rows: string[][], right: boolean[]): string => {
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) =>
    r
      .map((c, i) => pad(c, widths[i]!, right[i]))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
};

const notesOf = () => {
  const list: Warning[] = [];
  return {
    mark: (ws: Warning[]): string =>
      ws
        .map((w) => {
          let i = list.findIndex((x) => x.code === w.code && x.message === w.message);
          if (i < 0) i = list.push(w) - 1;
          return `¹²³⁴⁵⁶⁷⁸⁹`[i] ?? `(${i + 1})`;
        })
        .join(''),
    text: (): string[] =>
      list.map(
        (w, i) => `${`¹²³⁴⁵⁶⁷⁸⁹`[i] ?? `(${i + 1})`} ${t(w.message)}${w.hint ? ` (${t(w.hint)})` : ''}`,
      ),
  };
};

const STATUS: Record<CheckResult['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  error: 'N/A ',
};

const verdictText = (m: ReportModel): string[] => {
  const v = m.verdict;
  const out = [`verdict: ${v.decision.toUpperCase()}`];
  v.reasons.forEach((r, i) => out.push(`  ${i + 1}. ${t(r)}`));
  const note = moreRunsNote(m);
  if (v.decision === 'inconclusive' && note)
    out.push(
      note.runs === null
        ? '  no number of runs would likely settle it'
        : `  about ${fmtInt(note.runs)} runs per configuration would likely settle it`,
    );
  out.push('', `pass lines and stop rules (frozen ${fmtDate(m.trial.planFrozenAt)}):`);
  for (const c of [...v.checks, ...v.stopRules])
    out.push(`  ${STATUS[c.status]}  ${t(c.text)}: ${t(c.message)}`);
  return out;
};

const significanceText = (m: ReportModel): string[] => {
  const notes = notesOf();
  const rows = significanceRows(m).map((r) => {
    const c = r.comparison;
    const vs = r.mark === '~' ? '~' : fmtChange(c.ratio);
    return [
      t(r.label),
      fmtValue(c.baseline.median, c.unit),
      fmtValue(c.candidate.median, c.unit),
      vs + notes.mark(r.warnings),
      r.mark === '~' ? '' : fmtChangeCI(displayCI(c)),
      `(p=${fmtP(c.pAdjusted)} n=${r.n[0]}+${r.n[1]})`,
    ];
  });
  const head = [
    t(comparedPhasesLabel(m)),
    t(m.plan.configurations.baseline.name),
    t(m.plan.configurations.candidate.name),
    'vs base',
    '95 % CI',
    '',
  ];
  return [
    grid(head, rows, [false, true, true, true, false, false]),
    '',
    `~ not significant after Holm adjustment; p: Mann-Whitney U on run values; CI: ${CI_CAPTION}`,
    ...notes.text(),
  ];
};

const baselineText = (m: ReportModel): string[] => {
  const rows = baselineTable(m).map((r) => [
    t(r.config),
    t(endpointLabel(r.endpoint)),
    fmtMs(r.p95Ms),
    fmtMs(r.p99Ms),
    r.cpuMsPerRequest === undefined ? '' : `${sig(r.cpuMsPerRequest)} ms`,
    r.allocBytesPerRequest === undefined ? '' : fmtBytes(r.allocBytesPerRequest),
    r.rssBytesSteady === undefined ? '' : fmtBytes(r.rssBytesSteady),
    fmtShare(r.downstreamShare),
  ]);
  return [
    grid(['configuration', 'endpoint', 'p95', 'p99', 'CPU/req', 'alloc/req', 'RSS', 'downstream'], rows, [
      false,
      false,
      true,
      true,
      true,
      true,
      true,
      true,
    ]),
  ];
};

const capacityText = (m: ReportModel): string[] => {
  const cap = m.plan.capacity;
  const rows = ROLES.map((role) => {
    const f = capacityFigures(m, role);
    return [
      t(configLabel(m, role)),
      f.kneeRps,
      f.cpuBasedRps,
      f.perInstanceRps,
      f.instances,
      t(f.costPerMonth),
    ];
  });
  const out = [
    `capacity at ${fmtInt(cap.peakRps)} rps peak, N+${cap.redundancy}:`,
    grid(['configuration', 'knee', 'CPU-based', 'per instance', 'instances', 'per month'], rows, [
      false,
      true,
      true,
      true,
      true,
      true,
    ]),
  ];
  const s = m.capacity.savings;
  if (s)
    out.push(
      `${s.instances >= 0 ? 'saves' : 'costs'} ${fmtInt(Math.abs(s.instances))} instances, ${t(fmtMoney(Math.abs(s.moneyPerMonth), s.currency))} per month (${fmtShare(Math.abs(s.share))})`,
    );
  return out;
};

const resourcesText = (m: ReportModel): string[] => {
  const h = headline(m);
  const parts = [
    h.cpu ? `CPU ${fmtChange(h.cpu.ratio)}` : '',
    h.endToEnd ? `end-to-end ${fmtChange(h.endToEnd.ratio)}` : '',
  ].filter(Boolean);
  const out = parts.length ? [`resource cost: ${parts.join(', ')}`] : [];
  const hb = h.hotspotMs.baseline;
  const hc = h.hotspotMs.candidate;
  if (hb !== undefined && hc !== undefined)
    out.push(`hotspot time per request: ${fmtMs(hb)} → ${fmtMs(hc)} (${fmtChange(hc / hb)})`);
  return out;
};

const errorsText = (m: ReportModel): string[] => {
  if (m.errors.length === 0) return ['errors: none'];
  const rows = m.errors.map((r) => [
    r.isNew ? 'NEW' : '',
    t(r.errorClass),
    t(endpointLabel(r.endpoint)),
    fmtInt(r.baseline),
    fmtInt(r.candidate),
  ]);
  const c = correctness(m);
  const fb = ROLES.map((role) => `${t(m.plan.configurations[role].name)} ${c.fallbacks[role] ?? 'n/a'}`).join(
    ', ',
  );
  return [
    grid(['', 'error class', 'endpoint', 'baseline', 'candidate'], rows, [false, false, false, true, true]),
    `fallbacks to Go: ${fb}`,
  ];
};

const runsText = (m: ReportModel): string[] => {
  const runs = runsInOrder(m);
  const out = [`runs: ${runs.length} (${runs.filter((r) => r.status === 'ok').length} ok)`];
  for (const r of runs.filter((x) => x.status !== 'ok'))
    out.push(`  ${t(r.id)} ${r.status}: ${t(r.failureReason ?? '')}`);
  for (const r of runs.filter((x) => x.generator.limited))
    out.push(`  ${t(r.id)} generator-limited: ${t(r.generator.limitedReason ?? '')}`);
  for (const w of m.warnings) out.push(`warning: ${t(w.message)}`);
  return out;
};

export const renderText = (m: ReportModel): string =>
  [
    `${t(m.trial.planName)}  (trial ${t(m.trial.id)})`,
    `baseline: ${t(configLabel(m, 'baseline'))}   candidate: ${t(configLabel(m, 'candidate'))}`,
    '',
    ...verdictText(m),
    '',
    ...significanceText(m),
    '',
    ...baselineText(m),
    '',
    ...capacityText(m),
    '',
    ...resourcesText(m),
    '',
    ...errorsText(m),
    '',
    ...runsText(m),
    '',
  ].join('\n');
