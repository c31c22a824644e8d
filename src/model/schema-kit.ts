import { z } from 'zod';
import { isWarningCode, type WarningCode } from './warnings.js';

/**
 * Building blocks of the document schemas (manifest-schema.ts, report-schema.ts): each document has one
 * zod schema and its TypeScript types are `z.output` of it, so a field cannot be added to one and not the
 * other.
 */

/**
 * An object schema whose unknown keys pass and are kept (a document grows by additions within its
 * schemaVersion, and other stages add their own fields), while the keys listed are strict about their
 * types. It is `z.looseObject` at run time but typed as a plain `z.object`: the derived type lists the
 * known keys only, without a `[key: string]: unknown` index signature, so a misspelt field in code that
 * builds the document is still a compile error. (An object with more keys than its type lists is
 * assignable to it, so the typing is sound.)
 */
export const open = <S extends z.core.$ZodLooseShape>(shape: S): ReturnType<typeof z.object<S>> =>
  z.looseObject(shape) as unknown as ReturnType<typeof z.object<S>>;

/**
 * A number of the in-memory model that may be NaN or ±Infinity (a quantile of no requests, a wait at
 * ρ ≥ 1): JSON.stringify writes those as `null`, so a read accepts `null` there (exporters show it as
 * "—"); the type is `number`, what analysis builds.
 */
export const figure = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);

/** A number the model itself says may be null (an unbounded side of a CI, a time not measured). */
export const nullableNumber = z.number().nullable();

/** A CI whose sides may be unbounded (null). */
export const openPair = z.tuple([nullableNumber, nullableNumber]);

/** A warning's code: one of WARNINGS (warnings.ts). */
export const warningCode = z.custom<WarningCode>(isWarningCode, { message: 'expected a known warning code' });

/**
 * A caveat attached to the figure it qualifies (benchmath's habit): the report prints it beside that
 * figure, not in a pile at the end. `code` is stable for machines; `message` says what is wrong;
 * `hint` says what to do about it. Every caveat is an entry of WARNINGS (warnings.ts) and is made by
 * `warning(code, params)`.
 */
export const warningSchema = open({
  /** Stable kebab-case identifier, e.g. `few-runs`, `generator-limited`, `truncated-line`. */
  code: warningCode,
  message: z.string(),
  hint: z.string().optional(),
});

export const warningsSchema = z.array(warningSchema);
