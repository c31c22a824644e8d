import type { z } from 'zod';
import { InputError, excerpt, printable } from './errors.js';

/**
 * Checking a JSON document hotswap reads (manifest.json, report.json, …) against its zod schema, with
 * errors in a reader's words: `file: runs[2].raw.outputs: expected a list, got "x"`. zod's own wording
 * ("expected a starts_with") never reaches the user, and a bad value is quoted only as a short excerpt.
 */

/** `['runs', 2, 'raw']` → `runs[2].raw`. */
export const fieldPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (acc, key) =>
      typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${safeKey(key)}` : safeKey(key),
    '',
  );

/** A key as it may appear in a message: control characters as \xNN, at most 60 characters. */
export const safeKey = (key: PropertyKey): string => {
  const shown = printable(String(key));
  return shown.length > 60 ? `${shown.slice(0, 59)}…` : shown;
};

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  object: 'an object',
  array: 'a list',
  boolean: 'true or false',
  record: 'an object',
  nan: 'a number',
};

/** One zod issue → `field: expected …, got …`, never zod's message text. */
export const describeZodIssue = (issue: z.core.$ZodIssue, input?: unknown): string => {
  const field = fieldPath(issue.path) || '(top level)';
  const got = (issue as { input?: unknown }).input ?? input;
  switch (issue.code) {
    case 'invalid_type':
      return got === undefined
        ? `${field}: missing; expected ${EXPECTED[issue.expected] ?? issue.expected}`
        : `${field}: expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${excerpt(got)}`;
    case 'invalid_value':
      if (got === undefined)
        return `${field}: missing; expected one of ${issue.values.map((v) => excerpt(v, 20)).join(', ')}`;
      return `${field}: expected one of ${issue.values.map((v) => excerpt(v, 20)).join(', ')}, got ${excerpt(got)}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `${field}: expected at least ${issue.minimum} item(s)`
        : issue.origin === 'string'
          ? `${field}: expected a string of at least ${issue.minimum} character(s)`
          : `${field}: expected a value ${issue.inclusive ? '≥' : '>'} ${issue.minimum}, got ${excerpt(got)}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `${field}: expected at most ${issue.maximum} ${issue.origin === 'array' ? 'item(s)' : 'character(s)'}`
        : `${field}: expected a value ${issue.inclusive ? '≤' : '<'} ${issue.maximum}, got ${excerpt(got)}`;
    case 'invalid_format':
      return `${field}: expected ${formatWords(issue)}, got ${excerpt(got)}`;
    case 'unrecognized_keys':
      return `${fieldPath([...issue.path, issue.keys[0] ?? ''])}: unknown field`;
    case 'invalid_union':
      return `${field}: does not match any allowed form, got ${excerpt(got)}`;
    case 'custom':
      return `${field}: ${issue.message}`;
    default:
      return `${field}: invalid value ${excerpt(got)}`;
  }
};

const formatWords = (issue: z.core.$ZodIssueInvalidStringFormat): string => {
  const i = issue as { format: string; prefix?: string; suffix?: string; includes?: string };
  if (i.format === 'starts_with') return `a string starting with ${excerpt(i.prefix ?? '')}`;
  if (i.format === 'ends_with') return `a string ending with ${excerpt(i.suffix ?? '')}`;
  if (i.format === 'includes') return `a string containing ${excerpt(i.includes ?? '')}`;
  if (i.format === 'regex')
    return issue.message && !issue.message.startsWith('Invalid')
      ? issue.message
      : 'a string of the documented form';
  if (i.format === 'url') return 'a URL';
  if (i.format === 'datetime') return 'an ISO-8601 date and time';
  return `a ${i.format} string`;
};

/** Parses `value` with `schema`; the first issue becomes one InputError line naming `file` and the field. */
export const checkDocument = <S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> => {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new InputError(`${file}: ${printable(describeZodIssue(issues[0]!))}${more}`);
};
