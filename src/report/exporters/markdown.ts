/**
 * Markdown for a pull-request comment or a CI job summary (GitHub-flavoured tables): the brief blocks
 * of the view's sections (report/sections.ts), pointing at the HTML for the charts. Escaping is by
 * construction: every cell and span goes through escapeMd, so a name with `|` or `<script>` (or a
 * number field holding markup) cannot break a table or reach the page as HTML.
 */
import type { ReportModel, Warning } from '../../model/index.js';
import { blocksFor, type Block, type Cell, type Inline, type TableView } from '../blocks.js';
import { escapeMd as md } from '../format.js';
import { reportView } from '../sections.js';

const DECISION: Record<string, string> = {
  keep: '✅ KEEP',
  drop: '❌ DROP',
  inconclusive: '⚠️ INCONCLUSIVE',
};

/**
 * An identifier as an inline code span when it is plain (letters, digits, `.:/_-`); anything else is
 * escaped text instead, since a code span shows entities literally and could not neutralise `<`.
 */
const code = (s: string): string => (/^[\w.:/-]+$/.test(s) ? `\`${s}\`` : md(s));

const span = (p: Inline): string => {
  if (typeof p === 'string') return md(p);
  const text = p.code ? code(p.text) : md(p.text);
  return p.strong && text ? `**${text}**` : text;
};
const spans = (parts: readonly Inline[]): string => parts.map(span).join('');

const hint = (w: Warning): string => (w.hint ? ` — ${md(w.hint)}` : '');

const cellMd = (c: Cell): string => {
  let text = c.kind === 'code' && c.text ? code(c.text) : md(c.text);
  if (c.strong && text) text = `**${text}**`;
  if (c.badge) text = `**${md(c.badge)}** ${text}`;
  return text + c.notes.map((n) => ` ⚠${n}`).join('');
};

/** The one table primitive. */
const tableMd = (t: TableView): string => {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const lines = [
    line(t.columns.map((c) => md(c.label))),
    line(t.columns.map((c) => (c.align === 'right' ? '---:' : '---'))),
    ...t.rows.map((r) => line(t.columns.map((c) => cellMd(r[c.key]!)))),
  ];
  const notes = t.footnotes.map((w, i) => `${i + 1}. ⚠ ${md(w.message)}${hint(w)}`);
  return [lines.join('\n'), ...(notes.length ? ['', notes.join('\n')] : [])].join('\n');
};

const blockMd = (b: Block): string => {
  switch (b.kind) {
    case 'paragraph':
      return spans(b.parts);
    case 'heading':
      return `### ${md(b.text)}`;
    case 'table':
      return tableMd(b.table);
    case 'list':
      return b.items.map((i, n) => `${b.ordered ? `${n + 1}.` : '-'} ${spans(i)}`).join('\n');
    case 'facts':
      return b.facts.map(([k, v]) => `- ${md(k)}: ${md(v)}`).join('\n');
    case 'warnings':
      return b.warnings.map((w) => `- ⚠️ ${md(w.message)}${hint(w)}`).join('\n');
    case 'decision':
      return [
        `**${Object.hasOwn(DECISION, b.decision) ? DECISION[b.decision] : md(b.decision)}**`,
        '',
        ...b.reasons.map((r, i) => `${i + 1}. ${md(r)}`),
      ].join('\n');
    case 'charts':
      return '';
  }
};

const blocksMd = (blocks: readonly Block[]): string[] =>
  blocksFor(blocks, 'brief')
    .map(blockMd)
    .filter((s) => s !== '');

export const renderMarkdown = (m: ReportModel): string => {
  const view = reportView(m);
  const parts = [`# hotswap: ${md(view.title)}`, ...blocksMd(view.intro)];
  for (const s of view.sections) {
    const body = blocksMd(s.blocks);
    if (body.length) parts.push(`## ${md(s.title)}`, ...body);
  }
  parts.push('<sub>Charts, per-run figures and caveats: report.html in the trial folder.</sub>');
  return `${parts.join('\n\n')}\n`;
};
