/**
 * Terminal text: the brief blocks of the view's sections (report/sections.ts), tables aligned to the
 * widest cell (benchstat's shape) with warnings as numbered footnotes under each table (benchmath's
 * habit). Every cell and span goes through escapeTerminal, so a hostile name cannot send escape
 * sequences to the reader's terminal.
 */
import type { ReportModel, Warning } from '../../model/index.js';
import { blocksFor, plain, type Block, type Cell, type TableView } from '../blocks.js';
import { escapeTerminal as t } from '../format.js';
import { reportView } from '../sections.js';

const SUPERSCRIPTS = '¹²³⁴⁵⁶⁷⁸⁹';
const mark = (n: number): string => SUPERSCRIPTS[n - 1] ?? `(${n})`;

/** Display width: count code points, not UTF-16 units ("−" and "→" are one column). */
const width = (s: string): number => [...s].length;
const pad = (s: string, w: number, right: boolean): string => {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
};

const hint = (w: Warning): string => (w.hint ? ` (${t(w.hint)})` : '');

const cellText = (c: Cell): string =>
  `${c.badge ? `${t(c.badge)} ` : ''}${t(c.text)}${c.notes.map(mark).join('')}`;

/** The one table primitive: columns aligned to the widest cell, footnotes below. */
const tableText = (tv: TableView): string => {
  const head = tv.columns.map((c) => t(c.label));
  const rows = tv.rows.map((r) => tv.columns.map((c) => cellText(r[c.key]!)));
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const line = (r: string[]) =>
    r
      .map((c, i) => pad(c, widths[i]!, tv.columns[i]!.align === 'right'))
      .join('  ')
      .trimEnd();
  const notes = tv.footnotes.map((w, i) => `${mark(i + 1)} ${t(w.message)}${hint(w)}`);
  return [line(head), ...rows.map(line), ...notes].join('\n');
};

const blockText = (b: Block): string => {
  switch (b.kind) {
    case 'paragraph':
      return t(plain(b.parts));
    case 'heading':
      return `${t(b.text)}:`;
    case 'table':
      return tableText(b.table);
    case 'list':
      return b.items.map((i, n) => `  ${b.ordered ? `${n + 1}.` : '-'} ${t(plain(i))}`).join('\n');
    case 'facts':
      return b.facts.map(([k, v]) => `  ${t(k)}: ${t(v)}`).join('\n');
    case 'warnings':
      return b.warnings.map((w) => `warning: ${t(w.message)}${hint(w)}`).join('\n');
    case 'decision':
      return [
        `verdict: ${t(String(b.decision).toUpperCase())}`,
        ...b.reasons.map((r, i) => `  ${i + 1}. ${t(r)}`),
      ].join('\n');
    case 'charts':
      return '';
  }
};

const blocksText = (blocks: readonly Block[]): string[] =>
  blocksFor(blocks, 'brief')
    .map(blockText)
    .filter((s) => s !== '');

export const renderText = (m: ReportModel): string => {
  const view = reportView(m);
  const parts = [[t(view.title), ...blocksText(view.intro)].join('\n')];
  for (const s of view.sections) {
    const body = blocksText(s.blocks);
    if (body.length) parts.push(`${t(s.title.toUpperCase())}\n${body.join('\n\n')}`);
  }
  return `${parts.join('\n\n')}\n`;
};
