/**
 * The ReportModel itself, pretty-printed: what `report.json` holds and what every other exporter
 * reads. Key order is the model's, so re-exporting an unchanged model gives the same bytes.
 */
import type { ReportModel } from '../../model/index.js';

export const renderJson = (model: ReportModel): string => `${JSON.stringify(model, null, 2)}\n`;
