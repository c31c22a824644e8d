import type { z } from 'zod';
import type {
  RESOURCE_SOURCES,
  SEARCH_STOPS,
  armValuesSchema,
  capacityEstimateSchema,
  capacitySearchSchema,
  checkResultSchema,
  comparisonSchema,
  endpointCpuSchema,
  profileFunctionSchema,
  profileSummarySchema,
  quantileCIMapSchema,
  quantileMapSchema,
  queueModelCheckSchema,
  queueModelRowSchema,
  resourceUseSchema,
  sampledShareSchema,
  savingsRangeSchema,
  savingsSchema,
  searchProbeSchema,
  sequentialVerdictSchema,
  startLatenessSchema,
  summarySchema,
  verdictSchema,
} from './report-schema.js';

/**
 * The analysis types of report.json, derived from its schema (report-schema.ts, where each field's
 * comment is): the schema is the one definition, so the reader's check and the code cannot drift apart.
 */

/** Quantiles keyed by probability as written in PERCENTILES ("0.5", "0.99", …). */
export type QuantileMap = z.output<typeof quantileMapSchema>;
/** Distribution-free 95 % CI per quantile; null for a side the sample cannot bound. */
export type QuantileCIMap = z.output<typeof quantileCIMapSchema>;
/** One run, one endpoint ("*" = every request of the run). */
export type Summary = z.output<typeof summarySchema>;
export type StartLateness = z.output<typeof startLatenessSchema>;
/** Run-level comparison of one figure, baseline vs candidate, across runs. */
export type Comparison = z.output<typeof comparisonSchema>;
export type ArmValues = z.output<typeof armValuesSchema>;
/** Resource cost of one run, from the service's Prometheus counters scraped before and after. */
export type ResourceUse = z.output<typeof resourceUseSchema>;
/** Where a resource figure came from. */
export type ResourceSource = (typeof RESOURCE_SOURCES)[number];
/** Per-instance capacity of one configuration and the fleet it implies at peak. */
export type CapacityEstimate = z.output<typeof capacityEstimateSchema>;
/** The queueing model check of one configuration (src/analysis/capacity/queue-check.ts). */
export type QueueModelCheck = z.output<typeof queueModelCheckSchema>;
export type QueueModelRow = z.output<typeof queueModelRowSchema>;
/** Why a capacity search ended (see SEARCH_STOPS). */
export type SearchStop = (typeof SEARCH_STOPS)[number];
/** One capacity search of one configuration and repetition (analysis/capacity/search.ts). */
export type CapacitySearch = z.output<typeof capacitySearchSchema>;
export type SearchProbe = z.output<typeof searchProbeSchema>;
/** The instance saving as a range over the repeated searches' knees (capacity.savingsRange). */
export type SavingsRange = z.output<typeof savingsRangeSchema>;
export type Savings = z.output<typeof savingsSchema>;
/** The judgement of one pass line or stop rule. */
export type CheckResult = z.output<typeof checkResultSchema>;
export type Verdict = z.output<typeof verdictSchema>;
/** A look schedule's state at the look the verdict was judged at (`verdict.sequential`). */
export type SequentialVerdict = z.output<typeof sequentialVerdictSchema>;
/** One function's shares of a CPU profile's samples, 0..1. */
export type ProfileFunction = z.output<typeof profileFunctionSchema>;
/** One node of a profile's call tree (root = all samples), pruned to the nodes worth drawing. */
export type { ProfileNode } from './report-schema.js';
/** CPU of one endpoint in a profile (the samples carrying the pprof label `endpoint=<endpoint>`). */
export type EndpointCpu = z.output<typeof endpointCpuSchema>;
/** A share of a profile's samples with its binomial 95 % CI (Wilson score interval on n samples). */
export type SampledShare = z.output<typeof sampledShareSchema>;
/** One CPU profile (Go pprof, 100 Hz) of one run. */
export type ProfileSummary = z.output<typeof profileSummarySchema>;
