/**
 * Same output (issue 11): whether the candidate answers each corpus line as the baseline does, and the
 * service's own shadow comparison. Types only; the analysis is src/analysis/correctness.ts, the report's
 * part of them is derived from report-schema.ts.
 */
import type { z } from 'zod';
import type {
  correctnessExampleSchema,
  correctnessReportSchema,
  shadowFiguresSchema,
} from './report-schema.js';

/** One distinct answer of a run to one corpus line: HTTP status and a digest of the response body. */
export interface LineAnswer {
  status: number;
  /** First 16 hex digits of sha256(body) as the k6 scenario records them; "-" for no body. */
  digest: string;
  /** Requests of the run that got this answer. */
  count: number;
}

/** Every answer one run got for one corpus line (k6 `response_digest`, DIGESTS=1), over the whole run. */
export interface LineAnswers {
  /** 0-based corpus line (request i is line i mod N). */
  line: number;
  endpoint: string;
  answers: LineAnswer[];
}

/** report.json `correctness`: a contract field of the report (derived from report-schema.ts). */
export type CorrectnessReport = z.output<typeof correctnessReportSchema>;
export type CorrectnessExample = z.output<typeof correctnessExampleSchema>;
/** report.json `resources[].shadow`: the service's shadow mode over one run (GitHub Scientist). */
export type ShadowFigures = z.output<typeof shadowFiguresSchema>;
