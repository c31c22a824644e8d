import { z } from 'zod';
import { DRIVERS, ROLES, RUN_STATUSES } from './constants.js';

/**
 * The schema of manifest.json (**contract**: the trial folder), checked on every read. Unknown keys pass
 * (the manifest grows by additions within a schemaVersion, and other stages add their own fields); the
 * keys listed are strict about their types. Paths are strings here; `confineManifestPaths` (confine.ts)
 * checks that each stays inside the trial folder.
 */
const finite = z.number().finite();
const count = z.number().int().nonnegative();
const relPath = z.string().min(1).max(4096);

const gatheredSchema = z.looseObject({
  gatherer: z.string(),
  hook: z.enum(['before', 'during', 'after']),
  path: relPath,
  meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

const rawSchema = z.looseObject({
  outputs: z.array(relPath),
  logs: z.array(relPath),
  metricsBefore: relPath.optional(),
  metricsAfter: relPath.optional(),
  metricsDuring: z.array(relPath).optional(),
  summary: relPath.optional(),
  gathered: z.array(gatheredSchema).optional(),
});

const generatorSchema = z.looseObject({
  offeredRps: finite.nonnegative().optional(),
  achievedRps: finite.nonnegative().optional(),
  droppedIterations: count.optional(),
  cpuSeconds: finite.nonnegative().optional(),
  cpuUtilisation: finite.nonnegative().optional(),
  limited: z.boolean(),
  limitedReason: z.string().optional(),
});

const warningSchema = z.looseObject({ code: z.string(), message: z.string(), hint: z.string().optional() });

export const runRecordSchema = z.looseObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/),
  role: z.enum(ROLES),
  configurationName: z.string(),
  phase: z.string(),
  scenario: z.string(),
  repetition: count,
  order: count,
  driver: z.enum(DRIVERS),
  driverVersion: z.string(),
  status: z.enum(RUN_STATUSES),
  failureReason: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  warmupSeconds: finite.nonnegative(),
  driverExitCode: z.number().int().optional(),
  thresholdsCrossed: z.boolean().optional(),
  generator: generatorSchema,
  raw: rawSchema,
  serviceCpu: count.optional(),
  generatorCpu: count.optional(),
  overrides: z
    .looseObject({ rateRps: finite.positive().optional(), durationSeconds: finite.positive().optional() })
    .optional(),
  warnings: z.array(warningSchema),
});

export const manifestSchema = z.looseObject({
  schemaVersion: z.literal(1),
  trialId: z.string(),
  createdAt: z.string(),
  planFrozenAt: z.string(),
  status: z.enum(['running', 'complete', 'interrupted', 'failed']),
  environment: z.looseObject({
    cpus: count,
    node: z.string(),
    pinned: z.boolean(),
    targetHost: z.string(),
  }),
  runs: z.array(runRecordSchema),
});

/** The manifest as its schema reads it (every key listed above typed; others kept as found). */
export type ManifestDocument = z.output<typeof manifestSchema>;
