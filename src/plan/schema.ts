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
    message: `cannot read "${input}" as a pass line (e.g. "CPU −30%", "scan p99 −20%", "memory flat (±5%)", "no new error classes", "meets the SLO"); write it structured, see plans/README.md`,
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
    });
  })
  // Absent arrivals means uniform (poisson for a capacity search's probes: bursty arrivals are what
  // production sends, and evenly spaced ones put the knee too high); writing it out freezes the
  // resolved value in plan.json.
  .transform((plan) => ({
    ...plan,
    phases: plan.phases.map((p) =>
      p.driver === 'k6'
        ? { ...p, arrivals: p.arrivals ?? (p.scenario === 'capacity-search' ? 'poisson' : 'uniform') }
        : p,
    ),
  }));
