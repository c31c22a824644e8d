/**
 * The offline HTML report: one self-contained file, sections top to bottom as a release review reads
 * them (verdict first). Charts are inline SVG rendered here, so the page needs no script and no
 * network to show them; each chart's vega-lite spec (with its data) is embedded as JSON for
 * re-plotting. A Content-Security-Policy forbids every fetch, so a stray reference cannot phone home.
 * Every string from the model is escaped (names, tags and error messages are untrusted input).
 */
import type { CheckResult, ReportModel, Role, RunRecord, Warning } from '../../model/index.js';
import { ROLES } from '../../model/index.js';
import { CHARTS, ROLE_COLORS, type ChartDef } from '../charts/index.js';
import {
  configLabel,
  endpointLabel,
  escapeHtml as e,
  fmtBytes,
  fmtChange,
  fmtChangeCI,
  fmtDate,
  fmtInt,
  fmtMoney,
  fmtMs,
  fmtP,
  fmtSeconds,
  fmtShare,
  fmtValue,
  jsonForScript,
  pLabel,
  sig,
} from '../format.js';
import { renderSvg } from '../render-svg.js';
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

interface RenderedChart {
  def: ChartDef;
  spec: object | null;
  svg: string | null;
}

const STATUS_MARK: Record<CheckResult['status'], string> = {
  pass: '✔ pass',
  fail: '✘ fail',
  warn: '⚠ warn',
  error: '? not judged',
};

const warningsHtml = (ws: Warning[]): string =>
  ws.length === 0
    ? ''
    : `<ul class="warnings">${ws
        .map(
          (w) =>
            `<li><span class="wicon" aria-hidden="true">⚠</span> ${e(w.message)}${
              w.hint ? ` <span class="hint">— ${e(w.hint)}</span>` : ''
            } <code class="wcode">${e(w.code)}</code></li>`,
        )
        .join('')}</ul>`;

/**
 * benchmath-style footnotes: each distinct warning gets a number, the number sits beside the figure
 * it qualifies, the text once below the table (a warning shared by every row is not repeated).
 */
const footnotes = (prefix: string) => {
  const list: Warning[] = [];
  const indexOf = (w: Warning): number => {
    const i = list.findIndex((x) => x.code === w.code && x.message === w.message);
    if (i >= 0) return i + 1;
    list.push(w);
    return list.length;
  };
  return {
    mark: (ws: Warning[]): string =>
      ws
        .map((w) => {
          const i = indexOf(w);
          return `<sup class="fn"><a href="#${prefix}-${i}" title="${e(w.message)}">⚠${i}</a></sup>`;
        })
        .join(''),
    html: (): string =>
      list.length === 0
        ? ''
        : `<ol class="footnotes">${list
            .map(
              (w, i) =>
                `<li id="${prefix}-${i + 1}">${e(w.message)}${w.hint ? ` <span class="hint">— ${e(w.hint)}</span>` : ''}</li>`,
            )
            .join('')}</ol>`,
  };
};

/** A shift in a figure's unit with its sign: "−1.20 ms", "+4.0 KiB". */
const signedValue = (x: number, unit: string): string =>
  x === 0 ? fmtValue(0, unit) : `${x < 0 ? '−' : '+'}${fmtValue(Math.abs(x), unit)}`;

const table = (head: string[], rows: string[][], cls = ''): string =>
  `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.join('')}</tr>`)
    .join('')}</tbody></table>`;
const td = (html: string, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${html}</td>`;
const num = (html: string): string => td(html, 'num');
const swatch = (role: Role): string =>
  `<span class="swatch" style="background:${ROLE_COLORS[role]}" aria-hidden="true"></span>`;
const configCell = (model: ReportModel, role: Role): string =>
  td(`${swatch(role)}${e(configLabel(model, role))}`);

const figure = (c: RenderedChart): string => {
  if (!c.svg) return `<p class="nodata">${e(c.def.caption)}: no data in this report for this chart.</p>`;
  return `<figure id="chart-${c.def.id}"><div class="chart" role="img" aria-label="${e(c.def.caption)}">${c.svg}</div><figcaption>${e(
    c.def.caption,
  )} · <span class="muted">spec and data: <code>script#chart-spec-${c.def.id}</code></span></figcaption></figure>`;
};

const charts = (rendered: RenderedChart[], section: ChartDef['section']): string =>
  rendered
    .filter((c) => c.def.section === section)
    .map(figure)
    .join('\n');

// ---- sections ----

const checkRows = (checks: CheckResult[]): string[][] =>
  checks.map((c) => [
    td(`<span class="status ${c.status}">${STATUS_MARK[c.status]}</span>`),
    td(`<b>${e(c.text)}</b><div class="muted">${e(c.howJudged)}</div>`),
    td(`${e(c.message)}${warningsHtml(c.warnings)}`),
  ]);

const verdictSection = (m: ReportModel): string => {
  const v = m.verdict;
  const note = moreRunsNote(m);
  const more = !note
    ? ''
    : v.decision === 'inconclusive'
      ? `<p>${
          note.runs === null
            ? 'No number of runs would likely settle this: the difference is smaller than the noise allows to resolve.'
            : `About <b>${fmtInt(note.runs)} runs per configuration</b> would likely settle it.`
        }</p>`
      : note.runs
        ? `<p class="muted">For a tighter answer: about ${fmtInt(note.runs)} runs per configuration.</p>`
        : '';
  return `<section id="verdict">
<h2>Verdict</h2>
<div class="verdict ${e(v.decision)}"><span class="decision">${e(v.decision.toUpperCase())}</span><ol>${v.reasons
    .map((r) => `<li>${e(r)}</li>`)
    .join('')}</ol></div>
${more}
<h3>Pass lines, as written before the trial</h3>
<p class="muted">Frozen on ${e(fmtDate(m.trial.planFrozenAt))}, before the first run; judged on the ${e(
    mainPhase(m),
  )} phase.</p>
${table(['', 'pass line', 'result'], checkRows(v.checks), 'checks')}
<h3>Stop rules</h3>
${v.stopRules.length ? table(['', 'stop rule', 'result'], checkRows(v.stopRules), 'checks') : '<p class="muted">The plan has no stop rule.</p>'}
</section>`;
};

const baselineSection = (m: ReportModel): string => {
  const rows = baselineTable(m).map((r) => [
    configCell(m, r.role),
    td(e(endpointLabel(r.endpoint))),
    num(fmtMs(r.p95Ms)),
    num(fmtMs(r.p99Ms)),
    num(r.cpuMsPerRequest === undefined ? '' : `${sig(r.cpuMsPerRequest)} ms`),
    num(r.allocBytesPerRequest === undefined ? '' : fmtBytes(r.allocBytesPerRequest)),
    num(r.rssBytesSteady === undefined ? '' : fmtBytes(r.rssBytesSteady)),
    num(r.rssBytesPeak === undefined ? '' : fmtBytes(r.rssBytesPeak)),
    num(fmtShare(r.downstreamShare)),
    num(String(r.runs)),
  ]);
  return `<section id="baseline">
<h2>Baseline table</h2>
<p class="muted">${e(mainPhase(m))} phase, median across runs. CPU, allocations and memory come from the service's own counters, which cover the whole process, so they appear on the all-endpoints row only. Memory at peak is the highest RSS seen in any phase.</p>
${table(['configuration', 'endpoint', 'p95', 'p99', 'CPU / request', 'allocated / request', 'RSS steady', 'RSS peak', 'downstream wait', 'runs'], rows)}
</section>`;
};

const tailSection = (rendered: RenderedChart[]): string => `<section id="tail">
<h2>Tail latency</h2>
${charts(rendered, 'tail')}
</section>`;

const significanceSection = (m: ReportModel, rendered: RenderedChart[]): string => {
  const notes = footnotes('sig-warning');
  const rows = significanceRows(m).map((r) => {
    const c = r.comparison;
    const change =
      (r.mark === '~'
        ? `~ <span class="muted">(${fmtChange(c.ratio)})</span>`
        : `<b>${fmtChange(c.ratio)}</b>`) + notes.mark(r.warnings);
    return [
      td(e(r.label)),
      num(e(fmtValue(c.baseline.median, c.unit))),
      num(e(fmtValue(c.candidate.median, c.unit))),
      num(change),
      num(fmtChangeCI(displayCI(c))),
      num(`${fmtP(c.pValue)} / ${fmtP(c.pAdjusted)}`),
      num(e(signedValue(c.hodgesLehmann, c.unit))),
      num(`${c.cliffsDelta < 0 ? '−' : ''}${Math.abs(c.cliffsDelta).toFixed(2)}`),
      num(`${r.n[0]} + ${r.n[1]}`),
    ];
  });
  return `<section id="significance">
<h2>Significance</h2>
<p class="muted">${e(comparedPhasesLabel(m))}. The unit is the run: each run contributes one value per figure. Change = median(candidate) ÷ median(baseline) − 1; 95 % CI: ${e(CI_CAPTION)}; p from Mann-Whitney U on the run values, then Holm-adjusted; effect sizes: the Hodges-Lehmann shift (candidate − baseline, in the figure's unit) and Cliff's δ (−1 … 1). <b>~</b> = not significant after adjustment.</p>
${table(['comparison', 'baseline', 'candidate', 'change', '95 % CI', 'p / p adj.', 'shift (HL)', "Cliff's δ", 'n (runs)'], rows, 'sig')}
${notes.html()}
${charts(rendered, 'significance')}
</section>`;
};

const capacitySection = (m: ReportModel, rendered: RenderedChart[]): string => {
  const cap = m.plan.capacity;
  const inputs = table(
    ['what-if input', 'value'],
    [
      [td('peak load'), num(`${fmtInt(cap.peakRps)} requests/s`)],
      [td('redundancy'), num(`N+${cap.redundancy}`)],
      [td('cores per instance'), num(String(cap.coresPerInstance))],
      [td('target CPU utilisation'), num(fmtShare(cap.targetUtilisation))],
      [td('price per instance-hour'), num(`${cap.costPerInstanceHour} ${e(cap.currency)}`)],
      [
        td('SLO'),
        num(
          `${pLabel(m.plan.slo.quantile)} ≤ ${fmtMs(m.plan.slo.latencyMs)}, errors ≤ ${fmtShare(m.plan.slo.maxErrorRate)}`,
        ),
      ],
    ],
  );
  const rows = ROLES.map((role) => {
    const f = capacityFigures(m, role);
    const bold = (x: string) => (x === '—' ? x : `<b>${e(x)}</b>`);
    return [
      configCell(m, role),
      num(e(f.kneeRps)),
      num(e(f.cpuBasedRps)),
      num(bold(f.perInstanceRps)),
      num(e(f.instancesForPeak)),
      num(bold(f.instances)),
      num(e(f.costPerMonth)),
      td(warningsHtml(m.capacity[role].warnings)),
    ];
  });
  const s = m.capacity.savings;
  const savings =
    s && s.instances === 0 && Math.abs(s.moneyPerMonth) < 0.5
      ? `<p class="headline">No saving: both configurations need ${fmtInt(m.capacity.baseline.instances ?? 0)} instances at peak.</p>`
      : s
        ? `<p class="headline">${s.instances >= 0 ? 'Saves' : 'Costs'} <b>${fmtInt(Math.abs(s.instances))} instance${
            Math.abs(s.instances) === 1 ? '' : 's'
          }</b> and <b>${e(fmtMoney(Math.abs(s.moneyPerMonth), s.currency))} per month</b> (${fmtShare(Math.abs(s.share))} of the fleet).</p>`
        : '<p class="muted">Savings could not be computed (a configuration has no per-instance rate).</p>';
  return `<section id="capacity">
<h2>Capacity</h2>
${savings}
<div class="cols">${inputs}
<p class="muted">Per-instance rate = the smaller of the knee (highest ramp step within the SLO) and the CPU-based rate (cores × target utilisation ÷ CPU seconds per request). Instances = ⌈peak ÷ per-instance rate⌉ + redundancy; a month is 730 hours.</p></div>
${table(['configuration', 'knee', 'CPU-based', 'per instance', 'for peak', 'with redundancy', 'per month', 'warnings'], rows)}
${charts(rendered, 'capacity')}
</section>`;
};

const resourceSection = (m: ReportModel, rendered: RenderedChart[]): string => {
  const h = headline(m);
  const parts: string[] = [];
  if (h.cpu) parts.push(`CPU ${fmtChange(h.cpu.ratio)}`);
  if (h.endToEnd) parts.push(`end-to-end ${fmtChange(h.endToEnd.ratio)}`);
  const hb = h.hotspotMs.baseline;
  const hc = h.hotspotMs.candidate;
  const hotspot =
    hb !== undefined && hc !== undefined
      ? `<p>Hotspot time per request (Server-Timing): ${fmtMs(hb)} → ${fmtMs(hc)} (<b>${fmtChange(hc / hb)}</b>).${
          h.hotspotShare.baseline !== undefined
            ? ` The hotspot is ${fmtShare(h.hotspotShare.baseline)} of the baseline's server time${
                h.hotspotShare.candidate !== undefined
                  ? ` and ${fmtShare(h.hotspotShare.candidate)} of the candidate's`
                  : ''
              }, so even a large cut in it moves end-to-end latency less (Amdahl's law).`
            : ''
        }</p>`
      : '';
  const why = [
    h.cpu
      ? `CPU = CPU seconds per request across the process (${fmtChangeCI(displayCI(h.cpu))} 95 % CI)`
      : '',
    h.endToEnd
      ? `end-to-end = median latency of all requests as the client saw it (${fmtChangeCI(displayCI(h.endToEnd))})`
      : '',
  ].filter(Boolean);
  const resRows = m.resources
    .filter((r) => r.phase === mainPhase(m))
    .map((r) => [
      td(e(r.runId)),
      configCell(m, r.role),
      num(r.cpuSecondsPerRequest === undefined ? '—' : `${sig(r.cpuSecondsPerRequest * 1000)} ms`),
      num(fmtBytes(r.goAllocBytesPerRequest)),
      num(fmtBytes(r.rustAllocBytesPerRequest)),
      num(fmtBytes(r.rssBytesSteady)),
      num(r.gcPauseP99Ms === undefined ? '—' : fmtMs(r.gcPauseP99Ms)),
      num(r.cgoCallsPerRequest === undefined ? '—' : sig(r.cgoCallsPerRequest)),
      td(warningsHtml(r.warnings)),
    ]);
  return `<section id="resources">
<h2>Resource cost</h2>
${parts.length ? `<p class="headline">${e(parts.join(', '))}</p>` : ''}
${why.length ? `<p class="muted">${e(why.join('; '))}.</p>` : ''}
${hotspot}
${charts(rendered, 'resources')}
<details><summary>Per run (${e(mainPhase(m))} phase)</summary>
${table(['run', 'configuration', 'CPU / req', 'Go alloc / req', 'Rust alloc / req', 'RSS steady', 'GC pause p99', 'cgo calls / req', 'warnings'], resRows)}
</details>
</section>`;
};

const errorsSection = (m: ReportModel): string => {
  const rows = m.errors.map((r) => [
    td(`${r.isNew ? '<span class="new">NEW</span> ' : ''}<code>${e(r.errorClass)}</code>`),
    td(e(endpointLabel(r.endpoint))),
    num(fmtInt(r.baseline)),
    num(fmtInt(r.candidate)),
    td(r.example ? `<code class="example">${e(r.example)}</code>` : '<span class="muted">—</span>'),
  ]);
  const c = correctness(m);
  const per = (rec: Partial<Record<Role, number>>, what: string) =>
    ROLES.map((role) =>
      rec[role] === undefined
        ? `${e(configLabel(m, role))}: not measured`
        : `${e(configLabel(m, role))}: ${fmtInt(rec[role]!)} ${what}`,
    ).join('; ');
  const impl = ROLES.map((role) => {
    const counts = c.implRequests[role];
    if (!counts) return '';
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return `${e(configLabel(m, role))}: ${Object.entries(counts)
      .map(([k, v]) => `${e(k)} ${fmtShare(v / total)}`)
      .join(', ')}`;
  })
    .filter(Boolean)
    .join('; ');
  const newCount = m.errors.filter((r) => r.isNew).length;
  return `<section id="errors">
<h2>Correctness and errors</h2>
${newCount ? `<p class="headline bad">${newCount === 1 ? '1 error class appears' : `${newCount} error classes appear`} only in the candidate.</p>` : '<p>No error class appears only in the candidate.</p>'}
${m.errors.length ? table(['error class', 'endpoint', 'baseline', 'candidate', 'example message'], rows, 'errors') : '<p class="muted">No errors in any run.</p>'}
<ul>
<li>Fallbacks to Go after a Rust error or panic — ${per(c.fallbacks, 'fallbacks')}</li>
<li>Result mismatches between Go and Rust — ${per(c.mismatches, 'mismatches')}</li>
${impl ? `<li>Requests served by implementation (X-Hotspot-Impl) — ${impl}</li>` : ''}
</ul>
</section>`;
};

const runRow = (m: ReportModel, r: RunRecord): string[] => {
  const g = r.generator;
  const health =
    r.status !== 'ok'
      ? '<span class="muted">—</span>'
      : g.limited
        ? `<span class="status fail">limited</span> ${e(g.limitedReason ?? '')}`
        : `<span class="status pass">ok</span>`;
  return [
    num(String(r.order + 1)),
    td(`<code>${e(r.id)}</code>`),
    configCell(m, r.role),
    td(e(r.phase)),
    num(String(r.repetition)),
    td(
      `<span class="status ${r.status === 'ok' ? 'pass' : 'fail'}">${e(r.status)}</span>${
        r.failureReason ? ` ${e(r.failureReason)}` : ''
      }`,
    ),
    num(g.offeredRps === undefined ? '—' : `${sig(g.achievedRps ?? 0)} / ${sig(g.offeredRps)}`),
    num(g.droppedIterations === undefined ? '—' : fmtInt(g.droppedIterations)),
    td(health),
    td(warningsHtml(r.warnings)),
  ];
};

const runsSection = (m: ReportModel): string => {
  const runs = runsInOrder(m);
  const failed = runs.filter((r) => r.status !== 'ok').length;
  const env = m.environment;
  const envRows: [string, string | undefined][] = [
    ['CPU', `${env.cpus} cores${env.cpuModel ? ` · ${env.cpuModel}` : ''}`],
    ['memory', env.memoryBytes === undefined ? undefined : fmtBytes(env.memoryBytes)],
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
  const builds = ROLES.map((role) => {
    const b = m.builds[role];
    return [
      configCell(m, role),
      num(b?.coldBuildSeconds !== undefined ? fmtSeconds(b.coldBuildSeconds) : '—'),
      num(b ? fmtSeconds(b.buildSeconds) : '—'),
      num(b ? fmtBytes(b.binaryBytes) : '—'),
      td(b ? e(b.toolchains.join(', ')) : '<span class="muted">not recorded</span>'),
    ];
  });
  return `<section id="runs">
<h2>Runs</h2>
<p>${runs.length} runs in execution order (${e(m.plan.order)}, ${m.plan.repetitions} repetitions, ${m.plan.warmupSeconds} s warm-up excluded)${
    failed ? `; <b>${failed} did not complete</b> and are left out of the statistics` : ''
  }.</p>
${table(
  [
    '#',
    'run',
    'configuration',
    'phase',
    'rep.',
    'status',
    'achieved / offered rps',
    'dropped',
    'generator',
    'warnings',
  ],
  runs.map((r) => runRow(m, r)),
  'runs',
)}
<h2 id="environment">Environment and caveats</h2>
<dl class="env">${envRows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`)
    .join('')}</dl>
${m.warnings.length ? `<h3>Caveats</h3>${warningsHtml(m.warnings)}` : '<p class="muted">No trial-wide caveats.</p>'}
<h3>Cost of ownership</h3>
${table(['configuration', 'cold build', 'last build (incremental)', 'binary size', 'toolchains'], builds)}
<p class="muted">Cold build: from an empty Go build cache and Cargo target folder (<code>HOTSWAP_COLD_BUILD=1 bash service/build.sh</code>), the cost a newcomer or CI pays; "—" when not measured. Last build: the one that last ran here, usually incremental.</p>
</section>`;
};

const header = (m: ReportModel): string => {
  const phases = m.plan.phases
    .map((p) => `<li><b>${e(p.name)}</b> (${e(p.driver)}, ${e(p.scenario)}): ${e(p.description)}</li>`)
    .join('');
  return `<header>
<p class="kicker">hotswap trial report</p>
<h1>${e(m.trial.planName)}</h1>
${m.trial.description ? `<p class="lede">${e(m.trial.description)}</p>` : ''}
<p class="meta">Trial <code>${e(m.trial.id)}</code> · ${e(m.trial.status)} · plan frozen ${e(fmtDate(m.trial.planFrozenAt))} · analysed ${e(
    fmtDate(m.trial.analyzedAt),
  )} · hotswap ${e(m.generator.version)}</p>
<ul class="configs">${ROLES.map(
    (r) => `<li>${swatch(r)}<b>${e(configLabel(m, r))}</b>: ${e(m.plan.configurations[r].description)}</li>`,
  ).join('')}</ul>
<ul class="phases">${phases}</ul>
<nav><a href="#verdict">Verdict</a> · <a href="#baseline">Baseline</a> · <a href="#tail">Tail latency</a> · <a href="#significance">Significance</a> · <a href="#capacity">Capacity</a> · <a href="#resources">Resource cost</a> · <a href="#errors">Errors</a> · <a href="#runs">Runs</a> · <a href="#environment">Environment</a></nav>
</header>`;
};

const CSS = `
:root{--ink:#1d1d1f;--muted:#5f6368;--line:#e3e3e3;--pass:#1b7f3b;--fail:#b3261e;--warn:#8a5a00}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);max-width:1180px;margin:0 auto;padding:24px 28px 64px}
h1{font-size:28px;margin:0 0 6px}h2{font-size:21px;margin:40px 0 10px;padding-top:10px;border-top:2px solid var(--line)}h3{font-size:16px;margin:22px 0 6px}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:var(--muted);margin:0}
.lede{font-size:17px;margin:4px 0}.meta,.muted{color:var(--muted)}.meta{font-size:13px}
nav{margin:14px 0;font-size:14px}nav a{color:#0b57d0}
ul.configs,ul.phases{margin:6px 0;padding-left:20px}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:baseline}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13.5px;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid var(--line);padding:5px 9px;text-align:left;vertical-align:top}
th{font-weight:600;background:#f6f7f8;white-space:nowrap}td.num{text-align:right;white-space:nowrap}
.verdict{display:flex;gap:18px;align-items:flex-start;padding:14px 18px;border-radius:8px;border:2px solid}
.verdict .decision{font-size:26px;font-weight:800;letter-spacing:.04em;min-width:8.5em}
.verdict ol{margin:0;padding-left:20px;font-size:16px}
.verdict.keep{border-color:var(--pass);background:#eef7f0}.verdict.keep .decision{color:var(--pass)}
.verdict.drop{border-color:var(--fail);background:#fcefee}.verdict.drop .decision{color:var(--fail)}
.verdict.inconclusive{border-color:var(--warn);background:#fdf6e7}.verdict.inconclusive .decision{color:var(--warn)}
.status{font-weight:600;white-space:nowrap}.status.pass{color:var(--pass)}.status.fail,.status.error{color:var(--fail)}.status.warn{color:var(--warn)}
ul.warnings{list-style:none;margin:4px 0 0;padding:0;font-size:12.5px;color:var(--warn)}
ul.warnings li{margin:2px 0}.hint{color:var(--muted)}.wcode{font-size:11px;color:var(--muted)}
.headline{font-size:18px;font-weight:600}.bad{color:var(--fail)}
.new{background:var(--fail);color:#fff;font-weight:700;font-size:11px;padding:1px 5px;border-radius:3px}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px}code.example{white-space:pre-wrap;word-break:break-all}
figure{margin:18px 0 26px}.chart{overflow-x:auto}.chart svg{max-width:none;height:auto}
figcaption{font-size:13px;color:var(--muted);margin-top:4px}
.nodata{padding:10px 14px;background:#f6f7f8;border-radius:6px;color:var(--muted)}
.cols{display:flex;gap:28px;align-items:flex-start}.cols>p{max-width:520px}
dl.env{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;font-size:14px}dt{color:var(--muted)}dd{margin:0}
table.sig td:first-child,table.runs code{white-space:nowrap}
sup.fn a{color:var(--warn);text-decoration:none;font-weight:600}ol.footnotes{font-size:12.5px;color:var(--warn);margin:0 0 12px;padding-left:22px}ol.footnotes .hint{color:var(--muted)}
details{margin:10px 0}summary{cursor:pointer;color:#0b57d0}
footer{margin-top:48px;font-size:12.5px;color:var(--muted);border-top:1px solid var(--line);padding-top:10px}
@media print{nav{display:none}h2{break-before:auto}figure{break-inside:avoid}}
`;

/** Renders every registered chart: spec builder, then vega to SVG. */
const renderCharts = async (model: ReportModel): Promise<RenderedChart[]> => {
  const out: RenderedChart[] = [];
  for (const def of CHARTS) {
    const spec = def.build(model);
    out.push({ def, spec, svg: spec ? await renderSvg(spec) : null });
  }
  return out;
};

export const renderHtml = async (model: ReportModel): Promise<string> => {
  const rendered = await renderCharts(model);
  const specs = rendered
    .filter((c) => c.spec)
    .map(
      (c) =>
        `<script type="application/json" id="chart-spec-${c.def.id}" data-format="vega-lite">${jsonForScript(c.spec)}</script>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="hotswap ${e(model.generator.version)}">
<title>${e(`${model.verdict.decision.toUpperCase()}: ${model.trial.planName} — hotswap report`)}</title>
<style>${CSS}</style>
</head>
<body>
${header(model)}
<main>
${verdictSection(model)}
${baselineSection(model)}
${tailSection(rendered)}
${significanceSection(model, rendered)}
${capacitySection(model, rendered)}
${resourceSection(model, rendered)}
${errorsSection(model)}
${runsSection(model)}
</main>
<footer>Written by hotswap ${e(model.generator.version)} from report.json (schema ${model.schemaVersion}); re-render with <code>hotswap report &lt;trial-dir&gt;</code>. Charts are SVG drawn when the report was written; each chart's vega-lite spec with its data is embedded below as JSON (<code>script[type="application/json"]</code>) for re-plotting. No raw per-request samples are included.</footer>
${specs}
</body>
</html>
`;
};
