/**
 * The exporter registry: one file per format, each pure (ReportModel in, text out); the CLI writes
 * what they return. `file` is the name inside the trial folder.
 */
import type { ReportModel } from '../../model/index.js';
import { FORMATS, formatFor, type ExportFormat } from './formats.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

export interface Exporter {
  format: ExportFormat;
  /** Extra names accepted by --format. */
  aliases: readonly string[];
  file: string;
  render: (model: ReportModel) => string | Promise<string>;
}

const RENDERERS: Record<ExportFormat, Exporter['render']> = {
  html: renderHtml,
  md: renderMarkdown,
  text: renderText,
  json: renderJson,
};

export const EXPORTERS: readonly Exporter[] = FORMATS.map((f) => ({ ...f, render: RENDERERS[f.format] }));

/** The exporter for a --format name (or alias), undefined when unknown. */
export const exporterFor = (name: string): Exporter | undefined => {
  const f = formatFor(name);
  return f && EXPORTERS.find((x) => x.format === f.format);
};

export type { ExportFormat } from './formats.js';
export { FORMATS, formatFor } from './formats.js';
export { renderHtml, renderJson, renderMarkdown, renderText };
