import { z } from 'zod';
import { CANARY_QUERIES, type CanaryQueryName } from '../model/index.js';

/**
 * The plan's `canary:` section (zod), mirroring `CanarySpec` in src/model/canary.ts. Everything has a
 * default for the reference service (split by `impl`, Go vs Rust with its fallbacks), so `canary: {}`
 * is a valid section; a client_golang service changes `queries` and `split`.
 */

/** "14d", "1h", "5m", "30s", "500ms": Prometheus's duration syntax, one unit. */
export const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
// refine, not regex: the plan's error text names a custom issue by its message ("expected a duration …").
const duration = z
  .string()
  .refine((s) => DURATION_RE.test(s), 'expected a duration such as "1h", "5m", "30s" or "14d"');
const labelName = z
  .string()
  .refine((s) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(s), 'expected a Prometheus label name');

const queries = z
  .strictObject(
    Object.fromEntries(CANARY_QUERIES.map((q) => [q, z.string().min(1).optional()])) as Record<
      CanaryQueryName,
      z.ZodOptional<z.ZodString>
    >,
  )
  .default({});

export const canarySchema = z
  .strictObject({
    split: z
      .strictObject({
        label: labelName.default('impl'),
        baseline: z.array(z.string().min(1)).min(1).default(['go']),
        candidate: z.array(z.string().min(1)).min(1).default(['rust', 'go-fallback', 'go-breaker']),
      })
      .default({ label: 'impl', baseline: ['go'], candidate: ['rust', 'go-fallback', 'go-breaker'] }),
    unit: duration.default('1h'),
    step: duration.default('5m'),
    minRequestsPerWindow: z.number().int().nonnegative().default(100),
    quantiles: z.array(z.number().gt(0).lt(1)).default([0.5, 0.99]),
    queries,
    endpointLabel: labelName.default('endpoint'),
    latencyUnit: z.enum(['seconds', 'milliseconds']).default('seconds'),
    horizon: duration.optional(),
  })
  .superRefine((c, ctx) => {
    const both = c.split.baseline.filter((v) => c.split.candidate.includes(v));
    if (both.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['split', 'candidate'],
        message: `"${both[0]}" is in both arms`,
      });
  });
