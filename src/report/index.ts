/**
 * The report stage: ReportModel in, documents out (HTML with server-rendered vega-lite charts,
 * Markdown, terminal text, JSON). Pure: no file system, no clock; the CLI writes the files.
 */
export {
  renderHtml,
  renderJson,
  renderMarkdown,
  renderText,
  EXPORTERS,
  exporterFor,
  FORMATS,
  formatFor,
} from './exporters/index.js';
export type { Exporter, ExportFormat } from './exporters/index.js';
export { CHARTS } from './charts/index.js';
export type { ChartDef } from './charts/index.js';
export { renderSvg } from './render-svg.js';
export { validateReportModel } from './validate.js';
