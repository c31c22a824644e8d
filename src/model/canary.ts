/**
 * The live-rollout judge (`hotswap canary`): what a plan says about the split of one fleet between the
 * baseline and the candidate path, the range-query results it reads from Prometheus, and the canary
 * block of the ReportModel. Types only; the schema is src/plan/canary-schema.ts, the judgement
 * src/analysis/canary.ts, the gathering src/canary/; the report's canary block is derived from
 * report-schema.ts.
 */
import type { z } from 'zod';
import type {
  canaryReportSchema,
  canarySourceSchema,
  canarySplitSchema,
  canaryWindowArmSchema,
} from './report-schema.js';

/** Names of the PromQL templates a canary plan may set (each has a default for the reference service). */
export const CANARY_QUERIES = [
  'latencyBuckets',
  'latencySum',
  'requests',
  'errors',
  'fallbacks',
  'breakerOpens',
  'cpuSeconds',
] as const;
export type CanaryQueryName = (typeof CANARY_QUERIES)[number];

/** The plan's `canary:` section, defaults filled in. */
export interface CanarySpec {
  /**
   * The label that tells the two arms apart and the values of each arm. Default: `impl`, baseline
   * `go`, candidate `rust`, `go-fallback`, `go-breaker` (intent to treat: a request sent to Rust that
   * Go served after a failure still counts against Rust).
   */
  split: CanarySplit;
  /** The comparison unit: one value per arm per window of this length, e.g. "1h". */
  unit: string;
  /** Default query resolution, e.g. "5m" (`--step` overrides). */
  step: string;
  /** Windows with fewer requests than this in either arm are left out (and counted). */
  minRequestsPerWindow: number;
  /** Latency quantiles compared beside those the pass lines and stop rules name. */
  quantiles: number[];
  /**
   * PromQL templates. Placeholders: `{{split}}` (the split label), `{{step}}` (the step as a PromQL
   * duration, the range of increase()), `{{endpoint}}` (the endpoint label name).
   */
  queries: Partial<Record<CanaryQueryName, string>>;
  /** Label naming the endpoint in every series (default `endpoint`); absent in a series = "*". */
  endpointLabel: string;
  /** Latency histogram unit: `seconds` (client_golang) or `milliseconds`. */
  latencyUnit: 'seconds' | 'milliseconds';
  /** The stop rule's horizon as written ("14d"): shown in the report, and a window shorter than it is said so. */
  horizon?: string;
}

/** One series of a Prometheus matrix result (`/api/v1/query_range`, resultType matrix). */
export interface MatrixSeries {
  metric: Record<string, string>;
  /** [unix seconds, value as a string], Prometheus's own encoding. */
  values: [number, string][];
}

/** What one canary read: every query rendered, its Prometheus response, the range asked. */
export interface CanaryData {
  source: z.output<typeof canarySourceSchema>;
  /** Unix seconds. */
  start: number;
  end: number;
  stepSeconds: number;
  queries: Partial<Record<CanaryQueryName, { query: string; result: MatrixSeries[] }>>;
}

/** The label that tells the two arms apart and the values of each arm (report-schema.ts). */
export type CanarySplit = z.output<typeof canarySplitSchema>;
/** One window's figures for one arm (endpoint "*" = all endpoints together). */
export type CanaryWindowArm = z.output<typeof canaryWindowArmSchema>;
/** The report's canary header, derived from report-schema.ts (where each field's comment is). */
export type CanaryReport = z.output<typeof canaryReportSchema>;
