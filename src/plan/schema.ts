import { z } from 'zod';
import { METRICS } from '../model/index.js';
import { parsePassLineText } from './pass-line-text.js';
import { canarySchema } from './canary-schema.js';

/**
 * The plan file's schema (zod), mirroring `Plan` in src/model/plan.ts. Objects are strict so a misspelt
 * field ("repetitons") is an error, not a silently ignored line. Defaults here are the ones a release
 * review would pick: interleaved order, 5 s warm-up, keep going after a failed run, pinned CPUs.
 */

const positive = z.number().positive();
const positiveInt = z.number().int().positive();
const share = z.number().min(0).max(1);
const env = z.record(z.string(), z.string()).optional();
const quantile = z.number().gt(0).lt(1);

const reference = z.strictObject({
  kind: z.literal('reference'),
  name: z.string().min(1),
  env,
  build: z.enum(['baseline', 'rust']),
  impl: z.enum(['go', 'rust']).optional(),
  rustSharePercent: z.number().min(0).max(100).optional(),
});

const command = z.strictObject({
  kind: z.literal('command'),
  name: z.string().min(1),
  env,
  command: z.array(z.string()).min(1),
  url: z.url(),
  healthPath: z.string().startsWith('/').default('/healthz'),
  metricsUrl: z.url().optional(),
});

const url = z.strictObject({
  kind: z.literal('url'),
  name: z.string().min(1),
  env,
  url: z.url(),
  healthPath: z.string().startsWith('/').default('/healthz'),
  metricsUrl: z.url().optional(),
});

const configuration = z.discriminatedUnion('kind', [reference, command, url]);

const step = z.strictObject({ rateRps: positive, durationSeconds: positive });

const k6Phase = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes'),
    driver: z.literal('k6'),
    scenario: z.enum(['steady', 'ramp', 'spike', 'soak', 'rollback']),
    rateRps: positive.optional(),
    durationSeconds: positive.optional(),
    steps: z.array(step).min(1).optional(),
    preAllocatedVus: positiveInt.optional(),
    maxVus: positiveInt.optional(),
    processes: positiveInt.max(16).optional(),
    spikeMultiplier: z.number().gt(1).optional(),
    flipAtSeconds: positive.optional(),
    flipBackAtSeconds: positive.optional(),
  })
  .superRefine((p, ctx) => {
    const need = (key: 'rateRps' | 'durationSeconds' | 'steps', why: string): void => {
      if (p[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `required ${why}` });
    };
    if (p.scenario === 'ramp') need('steps', 'for a ramp (the plateaus)');
    else {
      need('rateRps', `for scenario ${p.scenario}`);
      need('durationSeconds', `for scenario ${p.scenario}`);
    }
    if (
      p.flipAtSeconds !== undefined &&
      p.flipBackAtSeconds !== undefined &&
      p.flipBackAtSeconds <= p.flipAtSeconds
    ) {
      ctx.addIssue({ code: 'custom', path: ['flipBackAtSeconds'], message: 'must come after flipAtSeconds' });
    }
  });

const autocannonPhase = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes'),
  driver: z.literal('autocannon'),
  scenario: z.literal('saturation'),
  connections: positiveInt,
  durationSeconds: positive,
  // Appended to the base URL, so it must be a plain path: "//host/x" or "@host/x" would leave 127.0.0.1.
  path: z
    .string()
    .regex(/^\/(?!\/)/, 'expected a path starting with a single "/" (no host)')
    .optional(),
});

const phase = z.discriminatedUnion('driver', [k6Phase, autocannonPhase]);

const metric = z.enum(METRICS);
const lineBase = {
  id: z.string().min(1),
  text: z.string().min(1),
  endpoint: z.string().optional(),
};
const structuredPassLine = z.discriminatedUnion('check', [
  z.strictObject({
    ...lineBase,
    check: z.literal('change'),
    metric,
    quantile: quantile.optional(),
    maxChange: z.number(),
  }),
  z.strictObject({
    ...lineBase,
    check: z.literal('flat'),
    metric,
    quantile: quantile.optional(),
    tolerance: positive,
  }),
  z.strictObject({ ...lineBase, check: z.literal('no-new-error-classes') }),
  z.strictObject({ ...lineBase, check: z.literal('slo') }),
]);

/** A pass line may also be a plain sentence ("CPU −30%"), read by parsePassLineText. */
const passLine = z.preprocess((input, ctx) => {
  if (typeof input !== 'string') return input;
  const line = parsePassLineText(input);
  if (line) return line;
  ctx.issues.push({
    code: 'custom',
    input,
    message: `cannot read "${input}" as a pass line (e.g. "CPU −30%", "scan p99 −20%", "memory flat (±5%)", "no new error classes", "meets the SLO"); write it structured, see plans/README.md`,
  });
  return input;
}, structuredPassLine);

const stopRule = z.strictObject({
  ...lineBase,
  metric,
  quantile: quantile.optional(),
  minImprovement: z.number(),
  decision: z.literal('drop').default('drop'),
});

export const planSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    seed: z.number().int().nonnegative(),
    configurations: z.strictObject({ baseline: configuration, candidate: configuration }),
    phases: z.array(phase).min(1),
    repetitions: positiveInt,
    order: z.enum(['interleaved', 'balanced-random']).default('interleaved'),
    warmupSeconds: z.number().nonnegative().default(5),
    corpus: z
      .strictObject({
        path: z.string().min(1).optional(),
        count: positiveInt.optional(),
        mix: z
          .record(z.string(), z.number().nonnegative())
          .refine((m) => Object.values(m).some((w) => w > 0), 'at least one endpoint needs a weight > 0')
          .optional(),
        messyShare: share.optional(),
      })
      .optional(),
    slo: z.strictObject({ quantile, latencyMs: positive, maxErrorRate: share }),
    capacity: z.strictObject({
      peakRps: positive,
      redundancy: z.number().int().nonnegative().default(1),
      costPerInstanceHour: z.number().nonnegative().default(0),
      currency: z.string().default('USD'),
      coresPerInstance: positiveInt.default(1),
      targetUtilisation: z.number().gt(0).max(1).default(0.65),
    }),
    passLines: z.array(passLine).default([]),
    stopRules: z.array(stopRule).default([]),
    onRunFailure: z.enum(['continue', 'stop']).default('continue'),
    pinCpus: z.boolean().default(true),
    canary: canarySchema.optional(),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.phases.forEach((p, i) => {
      if (seen.has(p.name))
        ctx.addIssue({
          code: 'custom',
          path: ['phases', i, 'name'],
          message: `duplicate phase name "${p.name}"`,
        });
      seen.add(p.name);
    });
    const ids = new Set<string>();
    plan.passLines.forEach((l, i) => {
      if (ids.has(l.id))
        ctx.addIssue({ code: 'custom', path: ['passLines', i, 'id'], message: `duplicate id "${l.id}"` });
      ids.add(l.id);
    });
  });
