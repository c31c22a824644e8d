/**
 * The offline HTML report: one self-contained file laying out the view's sections (report/sections.ts)
 * top to bottom. Charts are inline SVG rendered here, so the page needs no script and no network to
 * show them; each chart's vega-lite spec (with its data) is embedded as JSON for re-plotting. A
 * Content-Security-Policy forbids every fetch. Escaping is by construction: every cell, span, title and
 * attribute value from the view goes through `e` (escapeHtml); class names come only from closed sets.
 */
import { isRole, type Decision, type ReportModel, type Role, type Warning } from '../../model/index.js';
import { blocksFor, type Block, type Cell, type Inline, type TableView, toneOf } from '../blocks.js';
import { CHARTS, ROLE_COLORS, type ChartDef } from '../charts/index.js';
import { escapeHtml as e, jsonForScript } from '../format.js';
import { renderSvg } from '../render-svg.js';
import { reportView } from '../sections.js';

interface RenderedChart {
  def: ChartDef;
  spec: object | null;
  svg: string | null;
}

const DECISIONS: Record<Decision, string> = { keep: 'keep', drop: 'drop', inconclusive: 'inconclusive' };

const swatch = (role: Role): string =>
  `<span class="swatch" style="background:${isRole(role) ? ROLE_COLORS[role] : '#999'}" aria-hidden="true"></span>`;

const span = (p: Inline): string => {
  if (typeof p === 'string') return e(p);
  let html = e(p.text);
  if (p.code) html = `<code>${html}</code>`;
  if (p.strong) html = `<b>${html}</b>`;
  if (p.muted) html = `<span class="muted">${html}</span>`;
  const tone = toneOf(p.tone);
  if (tone) html = `<span class="status ${tone}">${html}</span>`;
  return html;
};
const spans = (parts: readonly Inline[]): string => parts.map(span).join('');

const hint = (w: Warning): string => (w.hint ? ` <span class="hint">— ${e(w.hint)}</span>` : '');

const warningsHtml = (ws: readonly Warning[]): string =>
  `<ul class="warnings">${ws
    .map(
      (w) =>
        `<li><span class="wicon" aria-hidden="true">⚠</span> ${e(w.message)}${hint(w)} <code class="wcode">${e(w.code)}</code></li>`,
    )
    .join('')}</ul>`;

const cellHtml = (c: Cell, align: string, t: TableView): string => {
  let html = e(c.text);
  if (c.kind === 'code' && c.text) html = `<code>${html}</code>`;
  if (c.strong) html = `<b>${html}</b>`;
  const tone = toneOf(c.tone);
  if (tone) html = `<span class="status ${tone}">${html}</span>`;
  if (c.role !== undefined) html = swatch(c.role) + html;
  if (c.badge) html = `<span class="new">${e(c.badge)}</span> ${html}`;
  if (c.detail) html += `<div class="muted">${e(c.detail)}</div>`;
  for (const n of c.notes)
    html += `<sup class="fn"><a href="#${e(t.id)}-note-${n}" title="${e(t.footnotes[n - 1]?.message ?? '')}">⚠${n}</a></sup>`;
  return `<td${align === 'right' ? ' class="num"' : ''}>${html}</td>`;
};

/** The one table primitive: head, rows of typed cells, footnotes below. */
const tableHtml = (t: TableView): string => {
  const head = t.columns.map((c) => `<th>${e(c.label)}</th>`).join('');
  const rows = t.rows
    .map((r) => `<tr>${t.columns.map((c) => cellHtml(r[c.key]!, c.align, t)).join('')}</tr>`)
    .join('');
  const notes = t.footnotes.length
    ? `<ol class="footnotes">${t.footnotes
        .map((w, i) => `<li id="${e(t.id)}-note-${i + 1}">${e(w.message)}${hint(w)}</li>`)
        .join('')}</ol>`
    : '';
  return `<table class="${e(t.id)}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>${notes}`;
};

const figure = (c: RenderedChart): string => {
  if (!c.svg) return `<p class="nodata">${e(c.def.caption)}: no data in this report for this chart.</p>`;
  return `<figure id="chart-${e(c.def.id)}"><div class="chart" role="img" aria-label="${e(c.def.caption)}">${c.svg}</div><figcaption>${e(
    c.def.caption,
  )} · <span class="muted">spec and data: <code>script#chart-spec-${e(c.def.id)}</code></span></figcaption></figure>`;
};

const PARAGRAPH_CLASS = { lede: 'lede', headline: 'headline', muted: 'muted', bad: 'headline bad' } as const;

const blockHtml = (b: Block, charts: RenderedChart[]): string => {
  switch (b.kind) {
    case 'paragraph':
      return `<p${b.tone ? ` class="${PARAGRAPH_CLASS[b.tone]}"` : ''}>${spans(b.parts)}</p>`;
    case 'heading':
      return `<h3>${e(b.text)}</h3>`;
    case 'table':
      return tableHtml(b.table);
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((i) => `<li>${spans(i)}</li>`).join('')}</${tag}>`;
    }
    case 'facts':
      return `<dl class="env">${b.facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
    case 'warnings':
      return warningsHtml(b.warnings);
    case 'decision': {
      const cls = Object.hasOwn(DECISIONS, b.decision) ? DECISIONS[b.decision] : 'inconclusive';
      return `<div class="verdict ${cls}"><span class="decision">${e(String(b.decision).toUpperCase())}</span><ol>${b.reasons
        .map((r) => `<li>${e(r)}</li>`)
        .join('')}</ol></div>`;
    }
    case 'charts':
      return charts
        .filter((c) => c.def.section === b.section)
        .map(figure)
        .join('\n');
  }
};

const blocksHtml = (blocks: readonly Block[], charts: RenderedChart[]): string =>
  blocksFor(blocks, 'full')
    .map((b) => blockHtml(b, charts))
    .join('\n');

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
table.significance td:first-child,table.runs code{white-space:nowrap}
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
  const view = reportView(model);
  const rendered = await renderCharts(model);
  const specs = rendered
    .filter((c) => c.spec)
    .map(
      (c) =>
        `<script type="application/json" id="chart-spec-${e(c.def.id)}" data-format="vega-lite">${jsonForScript(c.spec)}</script>`,
    )
    .join('\n');
  const nav = view.sections.map((s) => `<a href="#${e(s.id)}">${e(s.title)}</a>`).join(' · ');
  const sections = view.sections
    .map(
      (s) =>
        `<section id="${e(s.id)}">\n<h2>${e(s.title)}</h2>\n${blocksHtml(s.blocks, rendered)}\n</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="hotswap ${e(model.generator.version)}">
<title>${e(`${String(model.verdict.decision).toUpperCase()}: ${view.title} — hotswap report`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<p class="kicker">hotswap trial report</p>
<h1>${e(view.title)}</h1>
${blocksHtml(view.intro, rendered)}
<nav>${nav}</nav>
</header>
<main>
${sections}
</main>
<footer>Written by hotswap ${e(model.generator.version)} from report.json (schema ${e(model.schemaVersion)}); re-render with <code>hotswap report &lt;trial-dir&gt;</code>. Charts are SVG drawn when the report was written; each chart's vega-lite spec with its data is embedded below as JSON (<code>script[type="application/json"]</code>) for re-plotting. No raw per-request samples are included.</footer>
${specs}
</body>
</html>
`;
};
