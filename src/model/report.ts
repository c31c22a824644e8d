import type { z } from 'zod';
import type {
  betResultSchema,
  drillResultSchema,
  errorClassRowSchema,
  ladderRowSchema,
  reportSchema,
  spectrumSeriesSchema,
  timeseriesEventSchema,
  timeseriesSeriesSchema,
} from './report-schema.js';

export const REPORT_SCHEMA_VERSION = 1;

/**
 * The one document between computing and rendering (`report.json`), derived from its schema
 * (report-schema.ts, where each field's comment is). Every exporter (HTML, Markdown, text, JSON) reads
 * only this; nothing in it is raw per-request data: distributions are pre-aggregated so a 10-run trial
 * stays small.
 */
export type ReportModel = z.output<typeof reportSchema>;
/** **contract** (report.json `drills[]`): one drill run of the candidate and its measured times. */
export type DrillResult = z.output<typeof drillResultSchema>;
/** **contract** (report.json `bet`): the plan's bet and its payback (src/analysis/bet.ts). */
export type BetResult = z.output<typeof betResultSchema>;
/** A moment marked on a run's timeline (a fault drill's injection, trip, clearing, recovery). */
export type TimeseriesEvent = z.output<typeof timeseriesEventSchema>;
export type LadderRow = z.output<typeof ladderRowSchema>;
export type SpectrumSeries = z.output<typeof spectrumSeriesSchema>;
export type TimeseriesSeries = z.output<typeof timeseriesSeriesSchema>;
export type ErrorClassRow = z.output<typeof errorClassRowSchema>;
