/**
 * The typed document the exporters lay out (hyperfine's MarkupExporter, Lighthouse's details-renderer):
 * sections of blocks; a table is columns {key, label, align, kind} and rows of typed cells, with the
 * warnings of its rows as numbered footnotes. The view (sections.ts) decides every word and figure;
 * an exporter only escapes cell and span text for its format and lays blocks out. Pure.
 */
import type { Decision, Role, Warning } from '../model/index.js';
import type { ChartDef } from './charts/common.js';
import { fmtBytes, fmtChange, fmtInt, fmtMs, fmtP, fmtSeconds, fmtShare, sig } from './format.js';

/** What a cell holds: decides how a number is written and whether the column is right-aligned. */
export type CellKind =
  | 'text'
  | 'code'
  | 'config'
  | 'status'
  | 'int'
  | 'number'
  | 'ms'
  | 'bytes'
  | 'percent'
  | 'money'
  | 'rps'
  | 'seconds'
  | 'change'
  | 'ci'
  | 'p'
  | 'effect';

export type Align = 'left' | 'right';
/** The tone of a status cell or span: a closed set, so a hostile status can never become a class name. */
export type Tone = 'pass' | 'fail' | 'warn' | 'error';

export interface Cell {
  kind: CellKind;
  /** The text as shown, unescaped: each exporter escapes it for its own syntax. */
  text: string;
  strong?: boolean;
  muted?: boolean;
  /** A configuration cell: the exporter may draw its colour swatch. */
  role?: Role;
  tone?: Tone;
  /** A short label before the text ("NEW"). */
  badge?: string;
  /** A second, smaller line (how a check is judged); one-line formats leave it out. */
  detail?: string;
  /** 1-based footnote numbers of the table's footnotes that qualify this cell. */
  notes: number[];
}

export interface Column {
  key: string;
  label: string;
  align: Align;
  kind: CellKind;
}

export interface TableView {
  id: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  /** Each distinct warning of the rows once, numbered from 1 in order of first mention. */
  footnotes: Warning[];
}

/** A run of text inside a paragraph or list item. */
export interface Span {
  text: string;
  strong?: boolean;
  code?: boolean;
  muted?: boolean;
  tone?: Tone;
}
export type Inline = string | Span;

/** `full` blocks only in the long-form format (HTML); `brief` blocks only in Markdown and text. */
export type Audience = 'full' | 'brief';
/** The charts a block stands for: every registered chart of that report section. */
export type ChartSection = ChartDef['section'];

export type Block = (
  | { kind: 'paragraph'; parts: Inline[]; tone?: 'lede' | 'headline' | 'muted' | 'bad' }
  | { kind: 'heading'; text: string }
  | { kind: 'table'; table: TableView }
  | { kind: 'list'; items: Inline[][]; ordered?: boolean }
  | { kind: 'facts'; facts: [string, string][] }
  | { kind: 'warnings'; warnings: Warning[] }
  | { kind: 'decision'; decision: Decision; reasons: string[] }
  | { kind: 'charts'; section: ChartSection }
) & { only?: Audience };

export interface SectionView {
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportView {
  title: string;
  intro: Block[];
  sections: SectionView[];
}

// ---- building tables ----

/** What a column's cell function may return: a bare value (written by the column's kind) or a cell. */
export type CellInput =
  | string
  | number
  | null
  | undefined
  | (Partial<Omit<Cell, 'notes'>> & { text: string; warnings?: Warning[] });

export interface ColumnDef<T> {
  key: string;
  label: string;
  kind: CellKind;
  align?: Align;
  /** Shown for a missing value (default "—"). */
  missing?: string;
  cell: (row: T) => CellInput;
  /** Warnings of the row to footnote on this column's cell. */
  warnings?: (row: T) => Warning[];
}

const RIGHT: ReadonlySet<CellKind> = new Set([
  'int',
  'number',
  'ms',
  'bytes',
  'percent',
  'money',
  'rps',
  'seconds',
  'change',
  'ci',
  'p',
  'effect',
]);

/**
 * A number written the way its kind is written everywhere. A value that is not a finite number (a
 * hostile report.json can hold a string where a number belongs) is shown as the text it is.
 */
export const formatByKind = (kind: CellKind, value: string | number): string => {
  if (typeof value !== 'number') return String(value);
  switch (kind) {
    case 'int':
      return fmtInt(value);
    case 'ms':
      return fmtMs(value);
    case 'bytes':
      return fmtBytes(value);
    case 'percent':
      return fmtShare(value);
    case 'rps':
      return `${fmtInt(value)} rps`;
    case 'seconds':
      return fmtSeconds(value);
    case 'change':
      return fmtChange(value);
    case 'p':
      return fmtP(value);
    case 'number':
      return sig(value);
    default:
      return String(value);
  }
};

/** Numbers warnings in order of first mention; a warning met again gets its first number. */
export const footnoteList = () => {
  const list: Warning[] = [];
  return {
    list,
    mark: (ws: readonly Warning[]): number[] =>
      ws.map((w) => {
        const i = list.findIndex((x) => x.code === w.code && x.message === w.message);
        return i >= 0 ? i + 1 : list.push(w);
      }),
  };
};

/** Builds a table: each column's cell function is applied to each row. */
export const tableView = <T>(id: string, columns: readonly ColumnDef<T>[], rows: readonly T[]): TableView => {
  const notes = footnoteList();
  const cellOf = (col: ColumnDef<T>, row: T): Cell => {
    const input = col.cell(row);
    const extra = col.warnings?.(row) ?? [];
    if (input === undefined || input === null)
      return { kind: col.kind, text: col.missing ?? '—', notes: notes.mark(extra) };
    if (typeof input === 'string' || typeof input === 'number')
      return { kind: col.kind, text: formatByKind(col.kind, input), notes: notes.mark(extra) };
    const { warnings = [], ...rest } = input;
    return { kind: col.kind, ...rest, text: String(rest.text), notes: notes.mark([...warnings, ...extra]) };
  };
  return {
    id,
    columns: columns.map((c) => ({
      key: c.key,
      label: c.label,
      kind: c.kind,
      align: c.align ?? (RIGHT.has(c.kind) ? 'right' : 'left'),
    })),
    rows: rows.map((row) => Object.fromEntries(columns.map((c) => [c.key, cellOf(c, row)]))),
    footnotes: notes.list,
  };
};

/** The blocks a format shows. */
export const blocksFor = (blocks: readonly Block[], audience: Audience): Block[] =>
  blocks.filter((b) => b.only === undefined || b.only === audience);

/** Inline text with no markup (for the text format and for titles). */
export const plain = (parts: readonly Inline[]): string =>
  parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');

export const TONES: readonly Tone[] = ['pass', 'fail', 'warn', 'error'];
/** A value from the model as a tone, or undefined when it is none of them. */
export const toneOf = (x: unknown): Tone | undefined => TONES.find((t) => t === x);
