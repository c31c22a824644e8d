import { z } from 'zod';
import { CHECK_STATUSES, DECISIONS, ROLES } from './constants.js';
import { runRecordSchema } from './manifest-schema.js';

/**
 * The schema of report.json (**contract**: ReportModel), checked before rendering so that a string where a
 * number belongs is one line naming the file and the field, not a TypeError inside an exporter. Unknown
 * keys pass at every level (report.json grows by additions within a schemaVersion, and other stages add
 * sections); the keys listed are strict about their types. A number may be `null` where JSON.stringify
 * wrote a NaN or an unbounded side; exporters show those as "—".
 */
const num = z.number().nullable();
const opt = num.optional();
const str = z.string();
const role = z.enum(ROLES);
const warnings = z.array(z.looseObject({ code: str, message: str, hint: str.optional() }));
const pair = z.tuple([num, num]);
const numRecord = z.record(z.string(), num);

const check = z.looseObject({
  id: str,
  title: str,
  text: str,
  howJudged: str,
  status: z.enum(CHECK_STATUSES),
  figures: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  message: str,
  warnings,
});

const arm = z.looseObject({ values: z.array(num), runIds: z.array(str), median: num });

const summary = z.looseObject({
  runId: str,
  role,
  phase: str,
  endpoint: str,
  n: num,
  errors: num,
  errorRate: num,
  meanMs: num,
  quantilesMs: numRecord,
  quantileCI95Ms: z.record(z.string(), pair),
  durationSeconds: num,
  achievedRps: num,
  errorClasses: numRecord,
  implShare: numRecord,
  hotspotMsMean: opt,
  downstreamMsMean: opt,
  warnings,
});

const comparison = z.looseObject({
  phase: str,
  endpoint: str,
  metric: str,
  quantile: opt,
  unit: str,
  baseline: arm,
  candidate: arm,
  ratio: num,
  ratioCI95: pair,
  ratioCI95Rank: pair.optional(),
  judgedCI95: pair.optional(),
  pValue: num,
  pAdjusted: num,
  method: str,
  significant: z.boolean(),
  hodgesLehmann: num,
  cliffsDelta: num,
  warnings,
});

const resource = z.looseObject({
  runId: str,
  role,
  phase: str,
  requests: num,
  cpuSecondsPerRequest: opt,
  goAllocBytesPerRequest: opt,
  rustAllocBytesPerRequest: opt,
  allocBytesPerRequest: opt,
  rssBytesSteady: opt,
  rssBytesPeak: opt,
  gcPauseP99Ms: opt,
  fallbacks: opt,
  mismatches: opt,
  cgoCallsPerRequest: opt,
  hotspotShare: opt,
  warnings,
});

const capacityEstimate = z.looseObject({
  role,
  kneeRps: opt,
  cpuBasedRps: opt,
  kneeBelowRps: opt,
  noRateMeetsSlo: z.boolean().optional(),
  perInstanceRps: opt,
  sizedBy: str.optional(),
  kneeIsLowerBound: z.boolean().optional(),
  instancesForPeak: opt,
  instances: opt,
  costPerMonth: opt,
  steps: z.array(
    z.looseObject({ offeredRps: num, achievedRps: num, p99Ms: num, errorRate: num, ok: z.boolean() }),
  ),
  warnings,
});

const plan = z.looseObject({
  configurations: z.looseObject({
    baseline: z.looseObject({ name: str, description: str }),
    candidate: z.looseObject({ name: str, description: str }),
  }),
  phases: z.array(z.looseObject({ name: str, scenario: str, driver: str, description: str })),
  slo: z.looseObject({ quantile: num, latencyMs: num, maxErrorRate: opt }),
  capacity: z.looseObject({ currency: str.optional() }),
  passLines: z.array(z.looseObject({ id: str })),
  stopRules: z.array(z.looseObject({})).optional(),
  repetitions: z.union([z.number(), z.array(z.number())]).optional(),
  order: str.optional(),
  warmupSeconds: opt,
  seed: opt,
});

export const reportSchema = z.looseObject({
  schemaVersion: z.literal(1),
  generator: z.looseObject({ name: str, version: str }),
  trial: z.looseObject({
    id: str,
    planName: str,
    description: str.optional(),
    planFrozenAt: str,
    analyzedAt: str.optional(),
    status: str,
  }),
  plan,
  verdict: z.looseObject({
    decision: z.enum(DECISIONS),
    reasons: z.array(str),
    checks: z.array(check),
    stopRules: z.array(check),
    moreRunsPerArm: opt,
    additionalRunsPerArm: opt,
    phase: str.optional(),
  }),
  runs: z.array(runRecordSchema),
  summaries: z.array(summary),
  comparisons: z.array(comparison),
  resources: z.array(resource),
  capacity: z.looseObject({
    baseline: capacityEstimate,
    candidate: capacityEstimate,
    savings: z.looseObject({ instances: num, moneyPerMonth: num, currency: str, share: num }).optional(),
  }),
  ladders: z.array(
    z.looseObject({
      role,
      phase: str,
      endpoint: str,
      quantile: num,
      valueMs: num,
      ci95Ms: pair,
      pooledCI95Ms: pair.optional(),
      requestsPerRun: opt,
      minRequests: opt,
      tooFewRequests: z.boolean().optional(),
    }),
  ),
  spectra: z.array(
    z.looseObject({
      role,
      phase: str,
      endpoint: str,
      points: z.array(z.looseObject({ p: num, latencyMs: num })),
    }),
  ),
  timeseries: z.array(
    z.looseObject({
      runId: str,
      role,
      phase: str,
      bucketSeconds: num,
      points: z.array(
        z.looseObject({
          tSeconds: num,
          requests: num,
          p50Ms: num,
          p99Ms: num,
          errors: num,
          rustShare: opt,
        }),
      ),
      flips: z.array(z.looseObject({ tSeconds: num, from: str, to: str })),
    }),
  ),
  errors: z.array(
    z.looseObject({
      errorClass: str,
      endpoint: str,
      baseline: num,
      candidate: num,
      isNew: z.boolean(),
      example: str.optional(),
    }),
  ),
  checks: z.array(check),
  environment: z.looseObject({ cpus: num, node: str, pinned: z.boolean(), targetHost: str }),
  builds: z.looseObject({}),
  warnings,
});
