/**
 * The exporter registry: one file per format, each pure (ReportModel in, text out); the CLI writes
 * what they return. `file` is the name inside the trial folder.
 */
import type { ReportModel } from '../../model/index.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

export interface Exporter {
  format: string;
  /** Extra names accepted by --format. */
  aliases: readonly string[];
  file: string;
  render: (model: ReportModel) => string | Promise<string>;
}

export const EXPORTERS = [
  { format: 'html', aliases: [], file: 'report.html', render: renderHtml },
  { format: 'md', aliases: ['markdown'], file: 'report.md', render: renderMarkdown },
  { format: 'text', aliases: ['txt'], file: 'report.txt', render: renderText },
  { format: 'json', aliases: [], file: 'report.json', render: renderJson },
] as const satisfies readonly Exporter[];

export type ExportFormat = (typeof EXPORTERS)[number]['format'];

/** The exporter for a --format name (or alias), undefined when unknown. */
export const exporterFor = (name: string): Exporter | undefined =>
  EXPORTERS.find((x) => x.format === name || (x.aliases as readonly string[]).includes(name));

export { renderHtml, renderJson, renderMarkdown, renderText };
