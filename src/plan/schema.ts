import { z } from 'zod';
import { planObjectSchema, passLineSchema } from '../model/index.js';
import { parsePassLineText } from './pass-line-text.js';
import { canarySchema } from './canary-schema.js';

/**
 * The plan *file*'s schema: the plan object of src/model/plan.ts (where every field, default and unit is
 * defined once, and `Plan` is derived from it) plus what only a file needs: pass lines written as plain
 * sentences, and checks across fields (unique phase names and pass-line ids).
 */

/** A pass line may also be a plain sentence ("CPU −30%"), read by parsePassLineText. */
const passLine = z.preprocess((input, ctx) => {
  if (typeof input !== 'string') return input;
  const line = parsePassLineText(input);
  if (line) return line;
  ctx.issues.push({
    code: 'custom',
    input,
    message: `cannot read "${input}" as a pass line (e.g. "CPU −30%", "scan p99 −20%", "memory flat (±5%)", "no new error classes", "meets the SLO", "breaker trips within 5 s", "rollback within 1 s", "no failed requests during the drill", "pays back within 6 months", "same output"); write it structured, see plans/README.md`,
  });
  return input;
}, passLineSchema);

export const planSchema = planObjectSchema
  .extend({ passLines: z.array(passLine).default([]), canary: canarySchema.optional() })
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
      if (p.driver === 'k6' && p.arrivals === 'replay' && !plan.corpus?.path)
        ctx.addIssue({
          code: 'custom',
          path: ['phases', i, 'arrivals'],
          message: 'replay needs a corpus file with "atMs" on every line (corpus.path)',
        });
    });
    if (plan.sequential && typeof plan.repetitions === 'number')
      ctx.addIssue({
        code: 'custom',
        path: ['sequential'],
        message: 'needs repetitions as a look schedule, e.g. { min: 5, max: 20, every: 5 }',
      });
    if (plan.profile?.phase && !plan.phases.some((p) => p.name === plan.profile?.phase))
      ctx.addIssue({
        code: 'custom',
        path: ['profile', 'phase'],
        message: `no phase named "${plan.profile.phase}"`,
      });
    const searches = plan.phases.filter((p) => p.driver === 'k6' && p.scenario === 'capacity-search');
    if (searches.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['phases', plan.phases.indexOf(searches[1]!), 'scenario'],
        message: 'a plan has at most one capacity-search phase (one search per configuration and repetition)',
      });
    const ids = new Set<string>();
    plan.passLines.forEach((l, i) => {
      if (ids.has(l.id))
        ctx.addIssue({ code: 'custom', path: ['passLines', i, 'id'], message: `duplicate id "${l.id}"` });
      ids.add(l.id);
      if (l.check === 'same-output' && !plan.correctness?.digests)
        ctx.addIssue({
          code: 'custom',
          path: ['passLines', i],
          message: `"${l.text}" needs response digests: add \`correctness: { digests: true }\``,
        });
    });
  })
  // Absent arrivals means uniform; writing it out freezes the resolved value in plan.json. A look
  // schedule freezes its alpha-spending choice the same way, before the first run.
  .transform((plan) => ({
    ...plan,
    ...(typeof plan.repetitions === 'object'
      ? { sequential: plan.sequential ?? { spending: 'pocock' as const, alpha: 0.05 } }
      : {}),
    phases: plan.phases.map((p) =>
      p.driver === 'k6' && p.scenario !== 'script'
        ? { ...p, arrivals: p.arrivals ?? (p.scenario === 'capacity-search' ? 'poisson' : 'uniform') }
        : p,
    ),
  }));
